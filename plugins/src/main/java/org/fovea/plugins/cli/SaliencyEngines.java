package org.fovea.plugins.cli;

import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.plugins.saliency.SaliencySettings;

/** The engine for a saliency method when the user names none. */
final class SaliencyEngines {

  private SaliencyEngines() {}

  /**
   * @return for gradient methods, {@code pytorch} (or {@code tensorflow} for Grad-CAM) when the
   *     package has those weights; otherwise the package's usual engine (null)
   */
  static String choose(ModelPackage pkg, SaliencySettings s) {
    if (s.method().equals("occlusion")) {
      return null;
    }
    boolean pt = pkg.weights().containsKey(WeightFormat.TORCHSCRIPT);
    boolean tf = pkg.weights().containsKey(WeightFormat.TENSORFLOW_SAVED_MODEL);
    if (s.method().equals("gradcam")) {
      return tf ? "tensorflow" : null;
    }
    return pt ? "pytorch" : tf ? "tensorflow" : null;
  }

}
