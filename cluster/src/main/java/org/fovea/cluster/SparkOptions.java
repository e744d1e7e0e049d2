package org.fovea.cluster;

import org.fovea.models.ModelRequest;
import org.fovea.models.Zoo;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.net.FoveaException;
import picocli.CommandLine.Option;

/**
 * The options of {@code fovea-spark}: the same names and defaults as {@code fovea}'s, declared
 * here because the cluster module does not depend on the command-line module.
 */
final class SparkOptions {

  private SparkOptions() {}

  /** {@code --model --engine --device --tile --axes --normalize}. */
  static final class Model {
    @Option(names = "--model", defaultValue = Zoo.DEFAULT_MODEL,
        description = "model name or path (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--engine", description = "onnx, pytorch or tensorflow")
    String engine;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu, gpu:N or auto")
    String device;

    @Option(names = "--tile", defaultValue = "1024", description = "tile core size in pixels; 0:"
        + " as large as memory allows (default: ${DEFAULT-VALUE})")
    long tile;

    @Option(names = "--axes", defaultValue = "bcyx",
        description = "axes of a bare model file (default: ${DEFAULT-VALUE})")
    String axes;

    @Option(names = "--normalize", defaultValue = "scale_range", description = "normalization of"
        + " a bare model file's input (default: ${DEFAULT-VALUE})")
    String normalize;

    @Option(names = "--no-verify", description = "run models without first checking the"
        + " engine's numbers against the package's test tensors")
    boolean noVerify;

    @Option(names = "--dense", defaultValue = "auto", description = "dense prediction of strided"
        + " models: atrous, shift-stitch, off; auto: atrous for strided models"
        + " (default: ${DEFAULT-VALUE})")
    String dense;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32, or int8 (ONNX"
        + " Runtime, used only when the package's test tensors pass in it); fp16 and bf16 are"
        + " refused on the CPU (default: ${DEFAULT-VALUE})")
    String precision;

    /** @return the request, with a local model path made absolute for the executors */
    ModelRequest request() {
      try {
        return ModelRequest.builder().setModel(model).optEngine(engine).optDevice(device)
            .optTile(tile).optBare(new Zoo.Bare(axes, normalize)).optDense(dense)
            .optPrecision(precision).build().resolved();
      } catch (IllegalArgumentException e) {
        throw new FoveaException("--" + e.getMessage(), e);
      }
    }
  }

  /** The star-convex options of {@code fovea-spark instances}, as {@code fovea instances}'. */
  static final class Star {
    @Option(names = "--method", defaultValue = "auto", description = "auto (star for a"
        + " star-convex model, else watershed), watershed or star (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--prob-threshold", description = "star: object probability of candidate"
        + " pixels (default: the model's own prob_threshold, else 0.5)")
    Double probThreshold;

    @Option(names = "--nms-threshold", description = "star: suppress polygons overlapping a"
        + " better one by more than this (default: the model's own nms_threshold, else 0.4)")
    Double nmsThreshold;

    @Option(names = "--overlap", defaultValue = "smaller", description = "star: smaller"
        + " (intersection over the smaller area) or iou (default: ${DEFAULT-VALUE})")
    String overlap;

    /** @return the method, or a sentence naming the bad value */
    String method() {
      if (!java.util.List.of("auto", "watershed", "star").contains(method)) {
        throw new FoveaException("--method '" + method + "' is unknown: use auto, watershed or"
            + " star");
      }
      return method;
    }

    /** @return the parameters, or a sentence naming the bad value */
    org.fovea.ops.instances.star.StarParams params() {
      org.fovea.ops.instances.star.StarOverlap o = switch (overlap) {
        case "smaller" -> org.fovea.ops.instances.star.StarOverlap.SMALLER;
        case "iou" -> org.fovea.ops.instances.star.StarOverlap.IOU;
        default -> throw new FoveaException("--overlap '" + overlap
            + "' is unknown: use smaller or iou");
      };
      try {
        return new org.fovea.ops.instances.star.StarParams(
            probThreshold == null ? Double.NaN : probThreshold,
            nmsThreshold == null ? Double.NaN : nmsThreshold, o);
      } catch (IllegalArgumentException e) {
        throw new FoveaException("bad star parameters: " + e.getMessage(), e);
      }
    }
  }

  /** The options of {@code fovea-spark saliency}, as {@code fovea saliency}'s. */
  static final class Saliency {
    @Option(names = "--method", defaultValue = "gradient", description = "gradient, absgradient,"
        + " gradxinput, smoothgrad, ig, gradcam, occlusion or erf (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--target", defaultValue = "all", description = "class=C[,x=X,y=Y]"
        + "[,roi=X,Y,W,H] or all (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--steps", defaultValue = "50", description = "Integrated Gradients steps")
    int steps;

    @Option(names = "--samples", defaultValue = "25", description = "SmoothGrad samples")
    int samples;

    @Option(names = "--noise", defaultValue = "0.15",
        description = "SmoothGrad noise, as a fraction of the input's range")
    double noise;

    @Option(names = "--baseline", defaultValue = "zeros",
        description = "Integrated Gradients baseline: zeros or blurred")
    String baseline;

    @Option(names = "--window", defaultValue = "15", description = "occlusion window (px)")
    int window;

    @Option(names = "--stride", defaultValue = "4", description = "occlusion stride (px)")
    int stride;

    /** @return the settings */
    org.fovea.io.saliency.SaliencySettings settings() {
      return new org.fovea.io.saliency.SaliencySettings(method, steps, samples, noise, baseline,
          window, stride, 0, "", 0);
    }
  }

  /** The watershed options of {@code fovea-spark instances}. */
  static final class Watershed {
    @Option(names = "--seeds", defaultValue = "distance",
        description = "interior or distance (default: ${DEFAULT-VALUE})")
    String seeds;

    @Option(names = "--seed-threshold", defaultValue = "0.5",
        description = "interior probability of seeds (default: ${DEFAULT-VALUE})")
    double seedThreshold;

    @Option(names = "--foreground-threshold", description = "interior + boundary probability of"
        + " the foreground (default: 0.9 for 2D images, 0.5 for z-stacks)")
    Double foregroundThreshold;

    @Option(names = "--min-dynamic", description = "distance seeds: dynamic a maximum must"
        + " exceed, in pixels (default: 1 for 2D images, 0.5 for z-stacks)")
    Double minDynamic;

    @Option(names = "--min-size", defaultValue = "10", description = "smallest object in pixels,"
        + " voxels in z-stacks (default: 10, chosen on held-out synthetic data)")
    long minSize;

    @Option(names = "--max-size", defaultValue = "0",
        description = "largest object in pixels (0: any)")
    long maxSize;

    /** @return the parameters, or a sentence naming the bad value */
    InstanceParams params() {
      try {
        return InstanceParams.byDimension().withSeeds(InstanceParams.Seeds.of(seeds))
            .withThresholds(seedThreshold, foregroundThreshold == null ? Double.NaN
                : foregroundThreshold)
            .withSizes(1, minSize, maxSize)
            .withMinDynamic(minDynamic == null ? Double.NaN : minDynamic);
      } catch (IllegalArgumentException e) {
        throw new FoveaException("bad instance parameters: " + e.getMessage(), e);
      }
    }
  }
}
