package org.fovea.io.instances;

import ij.ImagePlus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.models.pkg.InstanceConfig;
import org.fovea.ops.instances.ObjectStats;
import org.fovea.ops.instances.star.StarParams;
import org.fovea.ops.instances.star.Stars;
import org.fovea.ops.net.FoveaException;

/**
 * Objects of one 2D image through a star-convex model (object probability plus ray distances):
 * the model runs tiled like a segmentation, then {@link Stars#instances} runs on the whole
 * stitched probability and distance maps, then measurements.
 *
 * @since 0.1.0
 */
public final class StarExtraction {

  private StarExtraction() {}

  /**
   * Decides whether the star path runs.
   *
   * @param model a loaded model
   * @param method {@code auto}, {@code star} or another method
   * @return true for {@code star}, and for {@code auto} when the model's description declares
   *     star-convex outputs
   * @throws FoveaException when {@code star} is asked of a model without star-convex outputs
   */
  public static boolean applies(Model model, String method) {
    if (!method.equals("auto") && !method.equals("star")) {
      return false;
    }
    InstanceConfig c = model.instanceConfig();
    boolean star = c != null && c.method().equals("star");
    if (method.equals("star") && !star) {
      throw new FoveaException("model '" + model.pkg().name() + "' does not declare star-convex "
          + "outputs (config: fovea: instances: {method: star, rays: N} in its rdf.yaml), so its "
          + "outputs are not instance-ready for --method star: use a star-convex model such as "
          + "nuclei-star, or --method watershed with a background/interior/boundary model");
    }
    return star;
  }

  /**
   * @param model a loaded star-convex model
   * @param params thresholds, unset (NaN) ones taken from the model's description
   * @return the thresholds used: the given ones, else the model's, else 0.5 and 0.4
   * @since 0.3.0
   */
  public static StarParams forModel(Model model, StarParams params) {
    InstanceConfig c = model.instanceConfig();
    return c == null ? params.resolved(Double.NaN, Double.NaN)
        : params.resolved(c.probThreshold(), c.nmsThreshold());
  }

  /**
   * @param model a loaded star-convex model ({@link #applies} said yes)
   * @param imp a single-plane, single-channel image
   * @param given thresholds (unset ones: the model's, else 0.5 / 0.4) and overlap criterion
   * @param tile tile core size of the network (0: as large as memory allows)
   * @param progress may be null
   * @return objects (label 1 the most probable) and measurements; an object's score is the
   *     object probability at its polygon's centre
   */
  public static InstanceExtraction.Result run(Model model, ImagePlus imp, StarParams given,
      long tile, Segmentation.Progress progress) {
    InstanceConfig c = model.instanceConfig();
    StarParams params = forModel(model, given);
    int rays = c.rays();
    int w = imp.getWidth();
    int h = imp.getHeight();
    // StarDist's grid: outputs one per g x g block, polygons centred on every g-th pixel
    long[] size = model.outputSize(h, w);
    int gy = grid(model, h, size[0], "rows");
    int gx = grid(model, w, size[1], "columns");
    InstanceExtraction.Segmented seg = InstanceExtraction.segment(model, imp, tile, progress,
        false);
    float[] px = seg.pixels();
    Segmentation.Result s = seg.result();
    float[] out = s.probabilities().data();
    int ow = (int) size[1];
    int oh = (int) size[0];
    int plane = ow * oh;
    if (out.length != (long) plane * (rays + 1)) {
      throw new FoveaException("model '" + model.pkg().name() + "' gave " + out.length / plane
          + " output channels, but its description declares star-convex outputs with " + rays
          + " rays, which need " + (rays + 1) + " (probability, then distances); fix the model's "
          + "rdf.yaml");
    }
    float[] dist = Arrays.copyOfRange(out, plane, out.length);
    if (c.distanceUnit() != 1) {
      for (int i = 0; i < dist.length; i++) {
        dist[i] *= (float) c.distanceUnit();
      }
    }
    Stars.Result r = Stars.instances(Arrays.copyOf(out, plane), dist, ow, oh, rays, params, gy,
        gx, w, h);
    List<ObjectStats> stats = new ArrayList<>();
    for (ObjectStats o : ObjectStats.measure(r.labels(), px, null)) {
      stats.add(new ObjectStats(o.label(), o.area(), o.centroidX(), o.centroidY(), o.minX(),
          o.minY(), o.width(), o.height(), o.meanIntensity(),
          r.polygons().get(o.label() - 1).score()));
    }
    return new InstanceExtraction.Result(r.labels(), stats, s.tiles(), s.nans());
  }

  /** The image pixels per output pixel: 1, or the whole number of a half-resolution grid. */
  private static int grid(Model model, long image, long output, String what) {
    if (output == image) {
      return 1;
    }
    long g = (image + output - 1) / output;
    if (output > image || (image + g - 1) / g != output) {
      throw new FoveaException("model '" + model.pkg().name() + "' gives " + output + " "
          + what + " for an image of " + image + ": star-convex instances need one output per"
          + " pixel or per g x g block (a grid), not an up-sampled output");
    }
    return (int) g;
  }
}
