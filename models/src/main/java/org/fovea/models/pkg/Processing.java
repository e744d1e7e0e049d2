package org.fovea.models.pkg;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * Creates and runs the pre- and post-processing steps of bioimage.io model packages.
 *
 * <p>Supported kinds, with their {@code kwargs} (formats 0.4 and 0.5):
 *
 * <ul>
 *   <li>{@code zero_mean_unit_variance}: {@code (x - mean) / (std + eps)}; {@code mode}
 *       {@code per_sample} (default) computes mean and population deviation over {@code axes}
 *       (0.4 letters such as {@code "xy"}, 0.5 ids such as {@code [x, y]}; default all axes),
 *       {@code fixed} (or {@code per_dataset} with both given) uses {@code mean} and {@code std},
 *       {@code per_dataset} without them is computed like {@code per_sample} (see below); {@code
 *       eps} defaults to 1e-6.
 *   <li>{@code fixed_zero_mean_unit_variance} (0.5): {@code mean}, {@code std}, {@code axis},
 *       {@code eps}.
 *   <li>{@code scale_range}: {@code (x - lo) / (hi - lo + eps)} with {@code lo}, {@code hi} the
 *       {@code min_percentile} (default 0) and {@code max_percentile} (default 100) over {@code
 *       axes}, as {@code numpy.percentile} computes them; {@code per_dataset} as below; with a
 *       {@code reference_tensor} the percentiles are the reference's ({@link References}): in an
 *       output's postprocessing an input (or, in 0.5, an output); in an input's preprocessing
 *       only the input itself (naming another input is refused).
 *   <li>{@code scale_mean_variance} (postprocessing only, as in the spec): {@code (x - mean) /
 *       (std + eps) * (ref_std + eps) + ref_mean}, {@code mean} and {@code std} (population) of
 *       the tensor itself and {@code ref_mean}, {@code ref_std} of the {@code reference_tensor}
 *       (required), both over {@code axes} (default all); {@code mode} (0.4) {@code per_sample}
 *       or {@code per_dataset}; {@code eps} in (0, 0.1], default 1e-6. It runs once bound to the
 *       reference's statistics ({@link ReferencingStep}).
 *   <li>{@code scale_linear}: {@code x * gain + offset}, each one value or one per index along
 *       {@code axis} (0.5) or along the non-batch axis not in {@code axes} (0.4), else along the
 *       channel axis.
 *   <li>{@code clip}: {@code min}, {@code max} (either may be absent).
 *   <li>{@code binarize}: {@code x > threshold ? 1 : 0}.
 *   <li>{@code sigmoid}, and {@code softmax} along {@code axis} (default the channel axis).
 *   <li>{@code ensure_dtype} (0.5): {@code dtype}; float types change nothing, integer types
 *       truncate and saturate.
 * </ul>
 *
 * <p>Statistics are computed separately for every index of the axes not reduced over (so {@code
 * scale_range} over {@code xy} of a {@code bcyx} tensor has its own percentiles per batch item
 * and channel), in double precision. A tensor's own statistics are taken of the tensor as it
 * reaches the step (after the steps before it); a reference's are taken before any processing
 * ({@link References}).
 *
 * <p>{@code per_dataset}: Fovea segments one image at a time, so its dataset is that one image;
 * {@code per_dataset} statistics are that image's, computed like {@code per_sample} ones. When an
 * image is segmented in tiles, an input's statistics are taken once over the whole image ({@link
 * Fitting}) and an output's postprocessing that needs the output's own statistics runs only when
 * the image is one tile ({@code org.fovea.models.SegmentationPlan}); statistics are never
 * accumulated over several images.
 *
 * @since 0.1.0
 */
public final class Processing {

  /** The kinds {@link #of} accepts, sorted. */
  public static final List<String> KINDS = List.of("binarize", "clip", "ensure_dtype",
      "fixed_zero_mean_unit_variance", "scale_linear", "scale_mean_variance", "scale_range",
      "sigmoid", "softmax", "zero_mean_unit_variance");

  private static final double EPS = 1e-6;

  private Processing() {}

  /**
   * Creates a step.
   *
   * @param kind the step's bioimage.io name (0.4 {@code name}, 0.5 {@code id}), such as {@code
   *     scale_range}
   * @param kwargs its {@code kwargs} as YAML gives them (numbers, strings, lists), or null
   * @param axes the axes of the tensor the step will apply to
   * @return the step
   * @throws FoveaException for an unknown kind or invalid kwargs, naming the kind and the kwarg
   */
  public static ProcessingStep of(String kind, Map<String, Object> kwargs, Axes axes) {
    return create(kind, kwargs, axes, null, "processing step '" + kind + "'");
  }

  /**
   * Runs steps in order on a tensor, in place.
   *
   * @param steps the steps
   * @param t the tensor
   */
  public static void applyAll(List<ProcessingStep> steps, Tensor t) {
    for (ProcessingStep s : steps) {
      s.apply(t);
    }
  }

  /**
   * Creates a step with messages that name its origin.
   *
   * @param kind the step's name
   * @param kwargs its kwargs, or null
   * @param axes the tensor's axes
   * @param ids axis ids of the tensor (format 0.5) besides the default names, or null
   * @param where the origin for messages, such as {@code rdf.yaml at X
   *     (inputs[0].preprocessing[0])}
   * @return the step
   */
  static ProcessingStep create(String kind, Map<String, Object> kwargs, Axes axes,
      Map<String, Axis> ids, String where) {
    Kwargs k = new Kwargs(kwargs, where, axes, ids);
    switch (kind == null ? "" : kind) {
      case "zero_mean_unit_variance":
        return zeroMeanUnitVariance(k);
      case "fixed_zero_mean_unit_variance":
        return new NormalizeSteps.FixedZeroMeanUnitVariance(kind, k.perAxis("mean", null),
            k.perAxis("std", null), positive(k, "eps", EPS));
      case "scale_range":
        return scaleRange(k);
      case "scale_mean_variance":
        return scaleMeanVariance(k);
      case "scale_linear":
        return new SimpleSteps.ScaleLinear(k.perAxis("gain", 1.0), k.perAxis("offset", 0.0));
      case "clip": {
        double min = k.num("min", Double.NEGATIVE_INFINITY);
        double max = k.num("max", Double.POSITIVE_INFINITY);
        if (min > max) {
          throw k.bad("min", "(" + min + ") is larger than max (" + max + ")");
        }
        return new SimpleSteps.Clip(min, max);
      }
      case "binarize":
        return new SimpleSteps.Binarize(k.perAxis("threshold", null));
      case "sigmoid":
        return new SimpleSteps.Sigmoid();
      case "softmax": {
        Axis a = k.axis("axis", Axis.CHANNEL);
        if (axes != null && !axes.has(a)) {
          throw k.bad("axis", "names axis '" + a.letter() + "', which the tensor (" + axes
              + ") lacks");
        }
        return new SimpleSteps.Softmax(a);
      }
      case "ensure_dtype":
        return ensureDtype(k);
      default:
        throw new FoveaException(where + " asks for processing '" + kind + "', which Fovea does "
            + "not know; supported kinds are " + String.join(", ", KINDS)
            + ", so remove the step or re-export the package with a supported one");
    }
  }

  private static ProcessingStep zeroMeanUnitVariance(Kwargs k) {
    String mode = k.str("mode", "per_sample");
    double eps = positive(k, "eps", EPS);
    boolean given = k.has("mean") && k.has("std");
    switch (mode) {
      case "fixed":
      case "per_dataset":
        if (given) {
          return new NormalizeSteps.FixedZeroMeanUnitVariance("zero_mean_unit_variance",
              k.perAxis("mean", null), k.perAxis("std", null), eps);
        }
        if (mode.equals("fixed")) {
          throw k.bad("mode", "is 'fixed' but 'mean' and 'std' are not both given");
        }
        // per_dataset without statistics: per sample
        return new NormalizeSteps.ZeroMeanUnitVariance("zero_mean_unit_variance",
            k.axisSet("axes"), eps);
      case "per_sample":
        return new NormalizeSteps.ZeroMeanUnitVariance("zero_mean_unit_variance",
            k.axisSet("axes"), eps);
      default:
        throw k.bad("mode", "is '" + mode + "' but must be per_sample, per_dataset or fixed");
    }
  }

  private static ProcessingStep scaleRange(Kwargs k) {
    String mode = k.str("mode", "per_sample");
    if (!mode.equals("per_sample") && !mode.equals("per_dataset")) {
      throw k.bad("mode", "is '" + mode + "' but must be per_sample or per_dataset");
    }
    double lo = k.num("min_percentile", 0);
    double hi = k.num("max_percentile", 100);
    if (!(lo >= 0 && lo <= 100)) {
      throw k.bad("min_percentile", "is " + lo + " but must be between 0 and 100");
    }
    if (!(hi >= 0 && hi <= 100)) {
      throw k.bad("max_percentile", "is " + hi + " but must be between 0 and 100");
    }
    if (lo >= hi) {
      throw k.bad("min_percentile", "(" + lo + ") must be smaller than max_percentile (" + hi + ")");
    }
    Set<Axis> reduce = k.axisSet("axes");
    double eps = positive(k, "eps", EPS);
    if (k.has("reference_tensor")) {
      return new NormalizeSteps.ReferencedScaleRange("scale_range", reduce, lo, hi, eps,
          reference(k));
    }
    return new NormalizeSteps.ScaleRange("scale_range", reduce, lo, hi, eps);
  }

  private static ProcessingStep scaleMeanVariance(Kwargs k) {
    if (k.where().contains(".preprocessing[")) {
      throw new FoveaException(k.where() + " is in a preprocessing list, but formats 0.4 and 0.5"
          + " allow 'scale_mean_variance' only in an output's postprocessing; move the step there"
          + " or remove it");
    }
    String mode = k.str("mode", "per_sample");
    if (!mode.equals("per_sample") && !mode.equals("per_dataset")) {
      throw k.bad("mode", "is '" + mode + "' but must be per_sample or per_dataset");
    }
    if (!k.has("reference_tensor")) {
      throw k.bad("reference_tensor", "is missing; it names the tensor whose mean and deviation"
          + " the output is scaled to");
    }
    String ref = reference(k);
    double eps = k.num("eps", EPS);
    if (!(eps > 0 && eps <= 0.1)) {
      throw k.bad("eps", "is " + eps + " but must be larger than 0 and at most 0.1");
    }
    return new NormalizeSteps.ScaleMeanVariance("scale_mean_variance", k.axisSet("axes"), eps,
        ref, null, null, null);
  }

  private static String reference(Kwargs k) {
    String ref = k.str("reference_tensor", "").trim();
    if (ref.isEmpty()) {
      throw k.bad("reference_tensor", "is empty but must name a tensor");
    }
    return ref;
  }

  private static ProcessingStep ensureDtype(Kwargs k) {
    String dtype = k.str("dtype", null);
    if (dtype == null) {
      throw k.bad("dtype", "is missing");
    }
    double[] range = switch (dtype) {
      case "float16", "float32", "float64" -> new double[] {0, 0};
      case "bool" -> new double[] {0, 1};
      case "uint8" -> new double[] {0, 255};
      case "uint16" -> new double[] {0, 65535};
      case "uint32" -> new double[] {0, 4294967295.0};
      case "uint64" -> new double[] {0, 18446744073709551615.0};
      case "int8" -> new double[] {-128, 127};
      case "int16" -> new double[] {-32768, 32767};
      case "int32" -> new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
      case "int64" -> new double[] {Long.MIN_VALUE, Long.MAX_VALUE};
      default -> throw k.bad("dtype", "is '" + dtype + "', which is not a numpy data type name "
          + "such as float32 or uint8");
    };
    return new SimpleSteps.EnsureDtype(dtype, range[0], range[1]);
  }

  private static double positive(Kwargs k, String key, double def) {
    double v = k.num(key, def);
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw k.bad(key, "is " + v + " but must be a small non-negative number");
    }
    return v;
  }
}
