package org.fovea.plugins.cli;

import org.fovea.models.Zoo;
import picocli.CommandLine.Option;

/**
 * The model options every command that runs a model takes ({@code --model}, {@code --engine},
 * {@code --device}, {@code --tile}), as a picocli mixin: {@code @Mixin ModelOptions m;}.
 *
 * @since 0.1.0
 */
public class ModelOptions {

  /** Model name or path. */
  @Option(names = "--model", defaultValue = Zoo.DEFAULT_MODEL,
      description = "model name or path (default: ${DEFAULT-VALUE})")
  public String model;

  /** Engine name, or null for the fastest that runs the model. */
  @Option(names = "--engine", description = "onnx, pytorch or tensorflow")
  public String engine;

  /** Device: cpu, gpu, gpu:N or auto. */
  @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu, gpu:N or auto")
  public String device;

  /** Tile core size in pixels. */
  @Option(names = "--tile", defaultValue = "1024",
      description = "tile core size in pixels (default: ${DEFAULT-VALUE})")
  public long tile;
}
