package org.fovea.plugins.fiji;

import ij.IJ;
import ij.ImagePlus;
import java.util.Locale;
import org.fovea.models.Model;
import org.fovea.models.ModelRequest;
import org.fovea.models.Segmentation;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.ImageFiles;

/**
 * What the Fiji segmentation command does, without SciJava: load the model, segment the image
 * plane by plane, colour the classes, and say in the status bar what ran.
 *
 * <pre>{@code
 * ImagePlus p = Segmenter.segment(imp, new Segmenter.Settings("nuclei-dilated", "auto", 512,
 *     "auto"), null);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Segmenter {

  /**
   * The command's parameters.
   *
   * @param model a model name or path; null or blank for the default model
   * @param engine {@code auto}, {@code onnx}, {@code pytorch} or {@code tensorflow}
   * @param tile tile core size in pixels; 0 for as large as the memory budget allows
   * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   * @param verify whether the engine's numbers are checked before the first tile ({@link
   *     org.fovea.models.SelfCheck})
   * @param dense dense prediction of strided models: {@code auto}, {@code atrous}, {@code
   *     shift-stitch} or {@code off} ({@link org.fovea.models.Dense})
   * @param precision {@code fp32}, or {@code int8} (CPU) or {@code fp16} (GPU) where the
   *     package's test tensors pass in it
   *     ({@link org.fovea.models.Precision})
   */
  public record Settings(String model, String engine, long tile, String device, boolean verify,
      String dense, String precision) {

    /**
     * Settings in fp32.
     *
     * @param model a model name or path
     * @param engine an engine name or {@code auto}
     * @param tile tile core size
     * @param device a device
     * @param verify whether the engine's numbers are checked first
     * @param dense the dense mode
     */
    public Settings(String model, String engine, long tile, String device, boolean verify,
        String dense) {
      this(model, engine, tile, device, verify, dense, "fp32");
    }

    /**
     * Settings with the default dense mode ({@code auto}).
     *
     * @param model a model name or path
     * @param engine an engine name or {@code auto}
     * @param tile tile core size
     * @param device a device
     * @param verify whether the engine's numbers are checked first
     */
    public Settings(String model, String engine, long tile, String device, boolean verify) {
      this(model, engine, tile, device, verify, "auto");
    }

    /**
     * Settings that verify the engine unless {@code fovea.verify=false}.
     *
     * @param model a model name or path
     * @param engine an engine name or {@code auto}
     * @param tile tile core size
     * @param device a device
     */
    public Settings(String model, String engine, long tile, String device) {
      this(model, engine, tile, device, org.fovea.models.SelfCheck.enabled());
    }

    /** @return the model request these settings make */
    public ModelRequest request() {
      return ModelRequest.builder().setModel(model).optEngine(engine).optDevice(device)
          .optTile(tile).optVerify(verify).optDense(dense).optPrecision(precision).build();
    }
  }

  private Segmenter() {}

  /**
   * @param image the image (its channels are the model's input channels), every z-slice and frame
   * @param settings model, engine, tile and device
   * @param progress told after each tile, may be null; it may throw to cancel
   * @return the probabilities: 32-bit, one channel and LUT per class, calibration copied
   * @throws FoveaException when the model, engine, device or image is unusable
   */
  public static ImagePlus segment(ImagePlus image, Settings settings,
      Segmentation.Progress progress) {
    return segment(image, settings, progress, null);
  }

  /**
   * @param image the image (its channels are the model's input channels), every z-slice and frame
   * @param settings model, engine, tile and device
   * @param progress told after each tile, may be null; it may throw to cancel
   * @param models the context's loaded models (the model stays loaded for the next run), or null
   *     to load the model for this run only
   * @return the probabilities: 32-bit, one channel and LUT per class, calibration copied
   * @throws FoveaException when the model, engine, device or image is unusable
   */
  public static ImagePlus segment(ImagePlus image, Settings settings,
      Segmentation.Progress progress, ModelService models) {
    if (image == null || image.getStackSize() == 0 || image.getWidth() == 0) {
      throw new FoveaException("there is no image to segment: open one first");
    }
    long t0 = System.nanoTime();
    org.fovea.models.SelfCheck.setNotices(IJ::log); // "cannot be verified" goes to the Log window
    ModelRequest request = settings.request();
    try (Model owned = models == null ? request.load() : null) {
      Model m = owned != null ? owned : models.get(request);
      ImageFiles.Segmented r = ImageFiles.segment(m, image, settings.tile(), progress);
      IJ.showProgress(1.0);
      String warning = ImageFiles.nonFiniteWarning(image.getTitle(), r.nans());
      if (warning != null) {
        IJ.log("Fovea: warning: " + warning);
      }
      IJ.showStatus(String.format(Locale.ROOT, "Fovea: model=%s engine=%s device=%s tiles=%d"
          + " halo=%d seconds=%.2f", m.pkg().name(), m.network().engine(), m.network().device(),
          r.tiles(), r.halo(), (System.nanoTime() - t0) / 1e9));
      return ClassColors.apply(r.probabilities());
    }
  }
}
