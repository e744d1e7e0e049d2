package org.fovea.io.instances;

import ij.ImagePlus;
import java.util.List;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.ops.instances.BlockInstances;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.Instances;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.ObjectStats;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * Objects of one 2D image through a background/interior/boundary model: segmentation, then
 * {@link Instances#fromSemantic} (block by block with {@link BlockInstances} when the image is
 * larger than one tile: the same objects), then measurements.
 *
 * @since 0.1.0
 */
public final class InstanceExtraction {

  /**
   * @param labels the objects
   * @param objects one measurement per object (score: mean interior probability)
   * @param tiles tiles the segmentation ran
   * @param nans input pixels that were NaN or infinite (treated as 0 after normalization)
   */
  public record Result(LabelImage labels, List<ObjectStats> objects, int tiles, long nans) {}

  /**
   * How far (pixels) objects of one block may reach into its neighbours and still be found with
   * that block; larger objects are found alone. The result does not depend on it.
   */
  public static final int OVERLAP = 64;

  private InstanceExtraction() {}

  /**
   * @param model a loaded semantic model
   * @param params watershed parameters (their channels are replaced by the model's)
   * @return the parameters with the model's interior and boundary channels, and the foreground
   *     threshold and seed dynamic of 2D images or z-stacks where they are unset
   * @throws FoveaException when the model does not name interior and boundary channels
   */
  public static InstanceParams forModel(Model model, InstanceParams params) {
    // the first output that names both channels; segmentation gives the outputs' channels one
    // after another, so a later output's channels sit after the earlier outputs' ones
    var outs = model.pkg().outputs();
    int[] counts = outs.size() > 1 ? model.outputChannels(model.inputChannels()) : null;
    int interior = -1;
    int boundary = -1;
    java.util.List<String> seen = new java.util.ArrayList<>();
    for (int j = 0, offset = 0; j < outs.size() && interior < 0; j++) {
      List<String> names = outs.get(j).channelNames();
      if (names != null) {
        seen.addAll(names);
        if (names.contains("interior") && names.contains("boundary")) {
          interior = offset + names.indexOf("interior");
          boundary = offset + names.indexOf("boundary");
        }
      }
      offset += counts == null ? 0 : counts[j];
    }
    if (interior < 0) {
      throw new FoveaException("model '" + model.pkg().name() + "' has output channels " + seen
          + ", not interior and boundary: the watershed method needs a background/interior/"
          + "boundary model such as nuclei-dilated");
    }
    // unset thresholds take the model's own (config.fovea.instances), else the defaults for 2D
    // images or for z-stacks (by the model's input)
    org.fovea.models.pkg.InstanceConfig ic = model.instanceConfig();
    if (ic != null && Double.isNaN(params.foregroundThreshold())
        && !Double.isNaN(ic.foregroundThreshold())) {
      params = params.withThresholds(params.seedThreshold(), ic.foregroundThreshold());
    }
    if (ic != null && Double.isNaN(params.minDynamic()) && !Double.isNaN(ic.minDynamic())) {
      params = params.withMinDynamic(ic.minDynamic());
    }
    return params.withChannels(interior, boundary).resolved(Segmentation.volumetric(model));
  }

  /**
   * @param model a loaded background/interior/boundary model
   * @param imp a single-plane, single-channel image
   * @param params watershed parameters
   * @param tile tile core size (0: as large as memory allows)
   * @param progress may be null
   * @return objects and measurements
   */
  public static Result run(Model model, ImagePlus imp, InstanceParams params, long tile,
      Segmentation.Progress progress) {
    InstanceParams p = forModel(model, params);
    Segmented seg = segment(model, imp, tile, progress);
    int w = imp.getWidth();
    int h = imp.getHeight();
    float[] px = seg.pixels();
    Segmentation.Result s = seg.result();
    Tensor prob = s.probabilities();
    LabelImage labels = tile > 0 && (w > tile || h > tile)
        ? BlockInstances.fromSemantic(prob, p, (int) Math.min(tile, Integer.MAX_VALUE), OVERLAP,
            true)
        : Instances.fromSemantic(prob, p);
    float[] interior = new float[w * h];
    System.arraycopy(prob.data(), p.interiorChannel() * w * h, interior, 0, w * h);
    return new Result(labels, ObjectStats.measure(labels, px, interior), s.tiles(), s.nans());
  }

  /**
   * One plane's pixels and the model's output for it.
   *
   * @param pixels the plane as 32-bit values (the measurements' intensities)
   * @param result the model's output, tile by tile
   */
  record Segmented(float[] pixels, Segmentation.Result result) {}

  /** Runs the model tile by tile on a single-plane, single-channel image (every instance path). */
  static Segmented segment(Model model, ImagePlus imp, long tile,
      Segmentation.Progress progress) {
    return segment(model, imp, tile, progress, true);
  }

  /**
   * @param sameSize whether the model must give one output per pixel (else the caller handles
   *     an output of another size, such as a star-convex model's grid)
   */
  static Segmented segment(Model model, ImagePlus imp, long tile,
      Segmentation.Progress progress, boolean sameSize) {
    if (imp.getStackSize() != 1 || imp.getType() == ImagePlus.COLOR_RGB) {
      throw new FoveaException("image '" + imp.getTitle() + "' has " + imp.getStackSize()
          + " plane(s)" + (imp.getType() == ImagePlus.COLOR_RGB ? " of RGB" : "") + ": instances"
          + " run on one single-channel 2D plane; split the stack first");
    }
    int w = imp.getWidth();
    int h = imp.getHeight();
    if (sameSize) {
      model.requireSameSize(h, w, "instances");
    }
    float[] px = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels();
    return new Segmented(px, Segmentation.run(model,
        new Tensor(Axes.of("bcyx"), new long[] {1, 1, h, w}, px.clone()), tile, progress));
  }
}
