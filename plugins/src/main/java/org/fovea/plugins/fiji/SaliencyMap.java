package org.fovea.plugins.fiji;

import ij.ImagePlus;
import org.fovea.models.Zoo;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.saliency.Saliencies;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * {@code Plugins > Fovea > Fovea Saliency Map}: which pixels of the current image drove the model's
 * score of a class in the current selection (a point: that pixel; an area: the mean over it; none:
 * the sum over the image), as a 32-bit map with the image's calibration or as an overlay picture.
 *
 * <p>Macro keys: {@code model}, {@code engine}, {@code method}, {@code class_index}, {@code steps},
 * {@code samples}, {@code window}, {@code stride}, {@code layer}, {@code output} ({@code map} or
 * {@code overlay}), {@code device}; in plain ImageJ 1 through the bridge:
 * {@code run("Fovea Saliency Map", "model=[nuclei-dilated] method=gradient class_index=1")}.
 *
 * @since 0.1.0
 */
@Plugin(type = Command.class, menuPath = "Plugins>Fovea>Fovea Saliency Map", headless = true)
public final class SaliencyMap extends ContextCommand {

  @Parameter(label = "Image", required = false)
  private ImagePlus image;

  @Parameter(label = "Model (name or path)", persist = false)
  private String model = Zoo.DEFAULT_MODEL;

  @Parameter(label = "Engine", choices = {"auto", "onnx", "pytorch", "tensorflow"}, persist = false)
  private String engine = "auto";

  @Parameter(label = "Method", choices = {"gradient", "absgradient", "gradxinput", "smoothgrad",
      "ig", "gradcam", "occlusion", "erf"}, persist = false)
  private String method = "gradient";

  @Parameter(label = "Class", min = "0", persist = false)
  private int class_index = 1;

  @Parameter(label = "Steps (Integrated Gradients)", min = "1", persist = false)
  private int steps = 50;

  @Parameter(label = "Samples (SmoothGrad)", min = "1", persist = false)
  private int samples = 25;

  @Parameter(label = "Window (occlusion, px)", min = "1", persist = false)
  private int window = 15;

  @Parameter(label = "Stride (occlusion, px)", min = "1", persist = false)
  private int stride = 4;

  @Parameter(label = "Layer (Grad-CAM; empty: the last)", required = false, persist = false)
  private String layer = "";

  @Parameter(label = "Output", choices = {"map", "overlay"}, persist = false)
  private String output = "map";

  @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, persist = false)
  private String device = "auto";

  @Parameter(label = "Saliency", type = ItemIO.OUTPUT)
  private ImagePlus saliency;

  @Parameter(required = false)
  private LogService log;

  @Parameter(required = false)
  private ModelService models;

  @Override
  public void run() {
    try {
      saliency = Saliencies.of(image, new Saliencies.Request(model, engine, device, method,
          class_index, steps, samples, window, stride, layer, output.equals("overlay")),
          models == null ? null : models::get);
    } catch (FoveaException e) {
      cancel(e.getMessage());
      if (log != null) {
        log.error(e.getMessage());
      }
    }
  }
}
