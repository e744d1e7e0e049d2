package org.fovea.io.saliency;

import ij.ImagePlus;
import org.fovea.models.Model;
import org.fovea.models.ModelRequest;
import org.fovea.models.Zoo;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.saliency.Target;

/**
 * The saliency map of an ImagePlus for its selection, as the Fiji command and the macro bridge
 * ask for it.
 *
 * @since 0.1.0
 */
public final class Saliencies {

  /**
   * The command's inputs.
   *
   * @param model model name or path
   * @param engine engine name or {@code auto}
   * @param device device
   * @param method the method
   * @param classIndex the class
   * @param steps Integrated Gradients steps
   * @param samples SmoothGrad samples
   * @param window occlusion window
   * @param stride occlusion stride
   * @param layer Grad-CAM layer, or empty
   * @param overlay whether to return the overlay picture instead of the map
   */
  public record Request(String model, String engine, String device, String method,
      int classIndex, int steps, int samples, int window, int stride, String layer,
      boolean overlay) {}

  private Saliencies() {}

  /**
   * @param image the image with an optional selection
   * @param r what to compute
   * @return the 32-bit map, or the RGB overlay
   */
  public static ImagePlus of(ImagePlus image, Request r) {
    return of(image, r, null);
  }

  /**
   * @param image the image with an optional selection
   * @param r what to compute
   * @param shared models kept loaded between runs (Fiji's model service), or null to load the
   *     model for this run only
   * @return the 32-bit map, or the RGB overlay
   */
  public static ImagePlus of(ImagePlus image, Request r,
      java.util.function.Function<ModelRequest, Model> shared) {
    if (image == null) {
      throw new FoveaException("no image is open: open one first");
    }
    SaliencySettings s = new SaliencySettings(r.method(), r.steps(), r.samples(), 0.15, "zeros",
        r.window(), r.stride(), 0, r.layer() == null ? "" : r.layer(), 0);
    Target t = Selections.target(image, r.classIndex());
    ModelPackage pkg = Zoo.resolve(r.model());
    String engine = r.engine() == null || r.engine().equals("auto") ? engine(pkg, s) : r.engine();
    // the model as it is (no dense rewrite: saliency explains the model's own outputs)
    ModelRequest request = ModelRequest.builder().setModel(r.model()).optEngine(engine)
        .optDevice(r.device()).optDense("off").build();
    try (Model owned = shared == null ? request.load() : null) {
      Model m = owned != null ? owned : shared.apply(request);
      SaliencyMaps.Result res = SaliencyMaps.compute(m, image, t, s);
      if (!r.overlay()) {
        return res.map();
      }
      ImagePlus plain = new ImagePlus(image.getTitle(), image.getProcessor().duplicate());
      return OverlayImages.toImagePlus(OverlayImages.render(plain, res.map(), t, s.signed(),
          s.method() + ", " + t.describe()), res.map().getTitle() + "-overlay");
    }
  }

  /**
   * @param pkg a model package
   * @param s the method
   * @return the engine for the method when none is named: PyTorch (TensorFlow for Grad-CAM)
   *     where the package has those weights, else the package's usual engine (null)
   */
  public static String engine(ModelPackage pkg, SaliencySettings s) {
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
