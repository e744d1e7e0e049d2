package org.fovea.cli;

import picocli.CommandLine.Option;

/**
 * {@code --engine} and {@code --device}, declared once for every command that runs a model (a
 * picocli mixin; {@link ModelOptions} extends it with the model and tiling options).
 *
 * @since 0.2.0
 */
public class EngineOptions {

  /** Engine name, or null to let the command choose. */
  @Option(names = "--engine", description = "onnx, pytorch or tensorflow (default: the fastest"
      + " engine that runs the model; saliency: one with gradients when the package has their"
      + " weights)")
  public String engine;

  /** Device: cpu, gpu, gpu:N or auto. */
  @Option(names = "--device", defaultValue = "auto",
      description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})")
  public String device;
}
