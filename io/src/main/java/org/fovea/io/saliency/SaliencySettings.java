package org.fovea.io.saliency;

import java.util.List;
import java.util.Locale;
import org.fovea.ops.net.FoveaException;

/**
 * What {@link SaliencyMaps#compute} computes: the method and its parameters.
 *
 * @param method gradient, absgradient, gradxinput, smoothgrad, ig, gradcam, occlusion or erf
 * @param steps Integrated Gradients' path points
 * @param samples SmoothGrad's noisy copies
 * @param noise SmoothGrad's noise, as a fraction of the input range
 * @param baseline Integrated Gradients' baseline: {@code zeros}, {@code blurred} or an image path
 * @param window occlusion window side in pixels
 * @param stride occlusion stride in pixels
 * @param fill the value occlusion writes (after normalization)
 * @param layer Grad-CAM's layer, or empty for the last one
 * @param batch inputs per engine call, 0 for automatic
 * @since 0.1.0
 */
public record SaliencySettings(String method, int steps, int samples, double noise,
    String baseline, int window, int stride, double fill, String layer, int batch)
    implements java.io.Serializable {

  /** The method names, as the command line and the macro take them. */
  public static final List<String> METHODS = List.of("gradient", "absgradient", "gradxinput",
      "smoothgrad", "ig", "gradcam", "occlusion", "erf");

  /** Checks the method's name and the numbers. */
  public SaliencySettings {
    method = method.toLowerCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new FoveaException("unknown saliency method '" + method + "': choose one of "
          + METHODS);
    }
    if (steps < 1 || samples < 1 || window < 1 || stride < 1 || batch < 0 || !(noise >= 0)) {
      throw new FoveaException("steps, samples, window and stride must be at least 1, and noise"
          + " and batch at least 0 (got steps " + steps + ", samples " + samples + ", window "
          + window + ", stride " + stride + ", noise " + noise + ", batch " + batch + ")");
    }
  }

  /**
   * @param method the method
   * @return the defaults: 50 steps, 25 samples, noise 0.15, zero baseline, window 15, stride 4
   */
  public static SaliencySettings defaults(String method) {
    return new SaliencySettings(method, 50, 25, 0.15, "zeros", 15, 4, 0, "", 0);
  }

  /** @return whether the map has meaningful signs (shown with a diverging colour map) */
  public boolean signed() {
    return List.of("gradient", "gradxinput", "ig", "occlusion").contains(method);
  }
}
