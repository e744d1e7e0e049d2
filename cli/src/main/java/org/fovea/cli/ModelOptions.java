package org.fovea.cli;

import org.fovea.models.ModelRequest;
import org.fovea.models.Zoo;
import picocli.CommandLine.Option;

/**
 * The model options every command that runs a model takes ({@code --model}, {@code --engine},
 * {@code --device}, {@code --tile}, {@code --dense}, {@code --precision}, and {@code
 * --axes}/{@code --normalize} for bare model files), as a
 * picocli mixin: {@code @Mixin ModelOptions m;}.
 *
 * @since 0.1.0
 */
public class ModelOptions extends EngineOptions {

  /** Model name or path. */
  @Option(names = "--model", defaultValue = Zoo.DEFAULT_MODEL,
      description = "model name or path (default: ${DEFAULT-VALUE})")
  public String model;

  /** Tile core size in pixels. */
  @Option(names = "--tile", defaultValue = "1024",
      description = "tile core size in pixels; 0: as large as memory allows (default: ${DEFAULT-VALUE})")
  public long tile;

  /** Axes of a bare model file. */
  @Option(names = "--axes", defaultValue = "bcyx", description = "axes of a bare model file"
      + " (.onnx, .pt, SavedModel; packages declare their own) (default: ${DEFAULT-VALUE})")
  public String axes;

  /** Normalization of a bare model file's input. */
  @Option(names = "--normalize", defaultValue = "scale_range", description = "normalization of a"
      + " bare model file's input: scale_range (1st-99.8th percentile), zero_mean_unit_variance or"
      + " none (default: ${DEFAULT-VALUE})")
  public String normalize;

  /** Dense prediction of strided models. */
  @Option(names = "--dense", defaultValue = "auto", description = "one output per pixel from a"
      + " strided model (total stride S > 1, one output per S x S block otherwise): atrous (the"
      + " graph rewritten with dilations, one pass; checked against shift-and-stitch), shift-stitch"
      + " (S x S shifted passes), upsample (one strided pass interpolated bilinearly: not dense),"
      + " off; auto: atrous for strided models, models of stride 1 as they are"
      + " (default: ${DEFAULT-VALUE})")
  public String dense;

  /** Numeric precision of the network. */
  @Option(names = "--precision", defaultValue = "fp32", description = "fp32, or int8 (ONNX"
      + " Runtime: Fovea's own static quantization, calibrated on the package's test input), used"
      + " only once the package's test input gives its test output within the package's tolerance"
      + " in it, with the measured error and speed-up printed; fp16 (a float16 form of the"
      + " ONNX graph) the same way, on GPUs only; bf16 is refused (default: ${DEFAULT-VALUE})")
  public String precision;

  /**
   * @return the request these options make (the self-check follows {@code --no-verify})
   * @throws org.fovea.ops.net.FoveaException for a negative tile size
   */
  public ModelRequest request() {
    if (tile < 0) {
      throw new org.fovea.ops.net.FoveaException("--tile " + tile + " is not a tile size: give"
          + " the core size in pixels, such as 1024, or 0 for as large as memory allows");
    }
    return ModelRequest.builder().setModel(model).optEngine(engine).optDevice(device)
        .optTile(tile).optBare(new Zoo.Bare(axes, normalize)).optDense(dense)
        .optPrecision(precision).build();
  }
}
