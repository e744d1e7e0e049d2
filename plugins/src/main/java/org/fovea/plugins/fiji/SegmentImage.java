package org.fovea.plugins.fiji;

import ij.ImagePlus;
import org.fovea.models.Zoo;
import org.fovea.ops.net.FoveaException;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * {@code Plugins > Fovea > Fovea Segment}: per-pixel class probabilities of the current image, tile
 * by tile and seam-free, as a 32-bit hyperstack with one channel (and one LUT) per class.
 *
 * <p>Macro keys: {@code model}, {@code engine}, {@code tile}, {@code device}, {@code dense}
 * ({@code auto}, {@code atrous}, {@code shift-stitch}, {@code upsample}, {@code off}), {@code
 * precision} ({@code fp32}, {@code int8}, {@code fp16} on a GPU), and the flag {@code
 * no_verify} (skip the engine's self-check; see {@link org.fovea.models.SelfCheck}). In Fiji the current
 * image fills {@code image}; in plain ImageJ 1, {@code run("Fovea Segment", ...)} (the bridge)
 * does. A failure, or Esc between two tiles, cancels the command with a one-sentence reason.
 *
 * <p>The model is a text field, not a list: a list would need a {@code DynamicCommand}, for which
 * {@code CommandService.run} returns null, and a path could not be typed.
 *
 * @since 0.1.0
 */
@Plugin(type = Command.class, menuPath = "Plugins>Fovea>Fovea Segment", headless = true)
public final class SegmentImage extends ContextCommand {

  // not required: with no image the command cancels with Fovea's own sentence, not SciJava's
  @Parameter(label = "Image", required = false)
  private ImagePlus image;

  @Parameter(label = "Model (name or path)", persist = false, description = "a model name from"
      + " 'fovea models list' (shipped, or in ~/.fovea/models), or the path of a bioimage.io"
      + " package, .onnx, .pt or SavedModel folder")
  private String model = Zoo.DEFAULT_MODEL;

  @Parameter(label = "Engine", choices = {"auto", "onnx", "pytorch", "tensorflow"}, persist = false)
  private String engine = "auto";

  @Parameter(label = "Tile size (px)", min = "0", persist = false,
      description = "tile core size in pixels; 0: as large as the memory budget allows")
  private int tile = 1024;

  @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, persist = false)
  private String device = "auto";

  @Parameter(label = "Dense prediction", choices = {"auto", "atrous", "shift-stitch", "upsample",
      "off"},
      persist = false, description = "one output per pixel from a strided model: atrous (one pass"
      + " of the graph rewritten with dilations), shift-stitch (one pass per shift); auto: atrous"
      + " for strided models")
  private String dense = "auto";

  @Parameter(label = "Precision", choices = {"fp32", "int8", "fp16"}, persist = false,
      description = "int8 (ONNX Runtime, CPU) and fp16 (ONNX Runtime, GPU) are used only when"
      + " the model's test input gives its test output within the model's tolerance in them;"
      + " otherwise the command stops and says why")
  private String precision = "fp32";

  // the macro key is the field's name: run("Fovea Segment", "... no_verify")
  @SuppressWarnings("checkstyle:MemberName")
  @Parameter(label = "Skip the engine self-check", persist = false, required = false,
      description = "run without first checking the engine's numbers on the model's test tensors")
  private boolean no_verify;

  @Parameter(label = "Probabilities", type = ItemIO.OUTPUT)
  private ImagePlus probabilities;

  @Parameter(required = false)
  private LogService log;

  @Parameter(required = false)
  private ModelService models;

  @Override
  public void run() {
    Segmenter.Settings settings = new Segmenter.Settings(model, engine, tile, device,
        !no_verify && org.fovea.models.SelfCheck.enabled(), dense, precision);
    try {
      probabilities = Segmenter.segment(image, settings, new StatusBarProgress(this::isCanceled),
          models);
    } catch (FoveaException e) {
      cancel(e.getMessage());
      if (log != null) {
        log.error(e.getMessage());
      }
    }
  }
}
