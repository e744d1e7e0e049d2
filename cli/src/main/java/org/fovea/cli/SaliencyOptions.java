package org.fovea.cli;

import org.fovea.io.saliency.SaliencySettings;
import picocli.CommandLine.Option;

/** The saliency options of {@code fovea saliency} and {@code fovea batch saliency}. */
public final class SaliencyOptions {

  @Option(names = "--method", defaultValue = "gradient", description = "gradient, absgradient,"
      + " gradxinput, smoothgrad, ig, gradcam, occlusion or erf (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--target", defaultValue = "all", description = "class=C[,x=X,y=Y][,roi=X,Y,W,H]"
      + " or all (default: ${DEFAULT-VALUE}): a class at a pixel, its mean in a rectangle, or its"
      + " sum over the image")
  String target;

  @Option(names = "--steps", defaultValue = "50", description = "Integrated Gradients steps")
  int steps;

  @Option(names = "--samples", defaultValue = "25", description = "SmoothGrad samples")
  int samples;

  @Option(names = "--noise", defaultValue = "0.15",
      description = "SmoothGrad noise, a fraction of the input range")
  double noise;

  @Option(names = "--baseline", defaultValue = "zeros",
      description = "Integrated Gradients baseline: zeros, blurred, or an image file")
  String baseline;

  @Option(names = "--window", defaultValue = "15", description = "occlusion window (px)")
  int window;

  @Option(names = "--stride", defaultValue = "4", description = "occlusion stride (px)")
  int stride;

  @Option(names = "--fill", defaultValue = "0",
      description = "occlusion value (after normalization)")
  double fill;

  @Option(names = "--layer", defaultValue = "", description = "Grad-CAM layer (default: the last)")
  String layer;

  @Option(names = "--batch", defaultValue = "0", description = "inputs per engine call; 0: auto")
  int batch;

  /** @return the settings, or a sentence naming the bad value */
  public SaliencySettings settings() {
    return new SaliencySettings(method, steps, samples, noise, baseline, window, stride, fill,
        layer, batch);
  }
}
