package org.fovea.ops.saliency;

import org.fovea.ops.net.Tensor;

/**
 * Reference inputs for Integrated Gradients: zeros, a blurred copy of the input, or any image of
 * the input's shape.
 *
 * @since 0.1.0
 */
public final class Baselines {

  private Baselines() {}

  /**
   * @param x the input
   * @return zeros of its shape
   */
  public static Tensor zeros(Tensor x) {
    return Tensor.zeros(x.axes(), x.shape());
  }

  /**
   * A Gaussian blur of each plane ({@code bcyx}, mirrored at the borders).
   *
   * @param x the input
   * @param sigma the blur's standard deviation in pixels
   * @return a blurred copy
   */
  public static Tensor blurred(Tensor x, double sigma) {
    long[] s = x.shape();
    int h = (int) s[2];
    int w = (int) s[3];
    int planes = (int) (s[0] * s[1]);
    int r = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      k[i + r] = sigma <= 0 ? (i == 0 ? 1 : 0) : Math.exp(-i * i / (2 * sigma * sigma));
      sum += k[i + r];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    float[] out = x.data().clone();
    float[] tmp = new float[h * w];
    for (int p = 0; p < planes; p++) {
      int o = p * h * w;
      for (int y = 0; y < h; y++) {
        for (int c = 0; c < w; c++) {
          double v = 0;
          for (int i = -r; i <= r; i++) {
            v += k[i + r] * out[o + y * w + mirror(c + i, w)];
          }
          tmp[y * w + c] = (float) v;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int c = 0; c < w; c++) {
          double v = 0;
          for (int i = -r; i <= r; i++) {
            v += k[i + r] * tmp[mirror(y + i, h) * w + c];
          }
          out[o + y * w + c] = (float) v;
        }
      }
    }
    return new Tensor(x.axes(), s, out);
  }

  private static int mirror(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int p = 2 * n - 2;
    int m = Math.floorMod(i, p);
    return m < n ? m : p - m;
  }
}
