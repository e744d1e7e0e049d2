package org.fovea.ops.saliency;

import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.LayerGradients;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;

/**
 * Grad-CAM (Selvaraju et al. 2017): {@code ReLU(sum_k a_k A_k)} with {@code A_k} a layer's
 * channels and {@code a_k} the spatial mean of the target's gradient on that channel, resized
 * (bilinear) to the input.
 *
 * @since 0.1.0
 */
public final class GradCam {

  private GradCam() {}

  /**
   * @param net a network whose engine exposes its layers
   * @param x the input
   * @param target the target
   * @param layer the layer's name
   * @return the class activation map, the same on every input channel
   * @throws FoveaException naming the layers when {@code layer} is not one, or naming an engine
   *     that exposes layers when this one does not
   */
  public static Attribution compute(Network net, Tensor x, Target target, String layer) {
    LayerGradients lg = net.layerGradients().orElseThrow(() -> new FoveaException("engine '"
        + net.engine() + "' does not expose the model's inner layers, so Grad-CAM cannot run on"
        + " it: use --engine tensorflow with a SavedModel, or another --method"));
    if (!lg.layers().contains(layer)) {
      throw new FoveaException("the model has no layer '" + layer + "' for Grad-CAM: choose one"
          + " of " + lg.layers());
    }
    Tensor y = net.predict(x);
    Tensor w = target.weights(y.shape());
    Tensor[] ag = lg.activationAndGradient(layer, x, w);
    long[] s = ag[0].shape();
    if (s.length != 4) {
      throw new FoveaException("layer '" + layer + "' has " + s.length + " axes, not the 4"
          + " (bcyx) Grad-CAM needs: choose a convolution layer");
    }
    int c = (int) s[1];
    int h = (int) s[2];
    int wd = (int) s[3];
    float[] cam = new float[h * wd];
    for (int k = 0; k < c; k++) {
      double alpha = 0;
      for (int i = 0; i < h * wd; i++) {
        alpha += ag[1].data()[k * h * wd + i];
      }
      alpha /= h * wd;
      for (int i = 0; i < h * wd; i++) {
        cam[i] += (float) (alpha * ag[0].data()[k * h * wd + i]);
      }
    }
    long[] xs = x.shape();
    int ih = (int) xs[2];
    int iw = (int) xs[3];
    float[] m = new float[x.data().length];
    for (int r = 0; r < ih; r++) {
      double fy = Math.max(0, Math.min(h - 1, (r + 0.5) * h / ih - 0.5));
      int y0 = (int) fy;
      int y1 = Math.min(h - 1, y0 + 1);
      double ty = fy - y0;
      for (int q = 0; q < iw; q++) {
        double fx = Math.max(0, Math.min(wd - 1, (q + 0.5) * wd / iw - 0.5));
        int x0 = (int) fx;
        int x1 = Math.min(wd - 1, x0 + 1);
        double tx = fx - x0;
        double v = (1 - ty) * ((1 - tx) * cam[y0 * wd + x0] + tx * cam[y0 * wd + x1])
            + ty * ((1 - tx) * cam[y1 * wd + x0] + tx * cam[y1 * wd + x1]);
        for (int ch = 0; ch < xs[1]; ch++) {
          m[(ch * ih + r) * iw + q] = (float) Math.max(0, v);
        }
      }
    }
    return new Attribution(new Tensor(x.axes(), xs, m), Batches.scores(y, w)[0], Double.NaN,
        Double.NaN, 1);
  }
}
