package org.fovea.models.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * libtorch's float32 convolution as Fovea starts it (oneDNN off, {@link TorchOneDnn}) against a
 * plain double-precision convolution, over channel counts below, at, between and above oneDNN's
 * channel blocks (8 for AVX2, 16 for AVX-512). With {@code -Dfovea.pytorch.onednn=true} this test
 * fails on the AMD EPYC (family 26) where the fault was found: with the AVX-512 kernels 24 → 24 and
 * 40 → 24 channels are up to 15 off; with {@code ONEDNN_MAX_CPU_ISA=AVX2} as well, 12 → 12 channels
 * on 64 × 70 pixels are.
 */
class TorchConvolutionTest {

  @ParameterizedTest
  @CsvSource({"1,16,1,23", "8,8,2,23", "12,12,1,64", "12,12,2,23", "16,16,4,23", "24,24,1,32",
      "40,24,2,23", "12,32,1,23"})
  void convolutionEqualsADoublePrecisionReference(int ic, int oc, int dilation, int size) {
    new PyTorchEngine().version(); // starts the engine, and with it the oneDNN setting
    int h = size;
    int w = size + 6;
    int k = 3;
    Random r = new Random(ic * 31L + oc * 7L + dilation);
    float[] x = new float[ic * h * w];
    float[] wt = new float[oc * ic * k * k];
    float[] b = new float[oc];
    for (float[] a : new float[][] {x, wt, b}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian();
      }
    }
    int pad = dilation * (k / 2);
    float[] y;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray xn = m.create(FloatBuffer.wrap(x), new Shape(1, ic, h, w));
      NDArray wn = m.create(FloatBuffer.wrap(wt), new Shape(oc, ic, k, k));
      NDArray bn = m.create(FloatBuffer.wrap(b), new Shape(oc));
      y = Conv2d.conv2d(xn, wn, bn, new Shape(1, 1), new Shape(pad, pad),
          new Shape(dilation, dilation), 1).get(0).toFloatArray();
    }
    double worst = 0;
    for (int o = 0; o < oc; o++) {
      for (int yy = 0; yy < h; yy++) {
        for (int xx = 0; xx < w; xx++) {
          double s = b[o];
          for (int c = 0; c < ic; c++) {
            for (int i = 0; i < k; i++) {
              for (int j = 0; j < k; j++) {
                int sy = yy + i * dilation - pad;
                int sx = xx + j * dilation - pad;
                if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                  s += (double) wt[((o * ic + c) * k + i) * k + j] * x[(c * h + sy) * w + sx];
                }
              }
            }
          }
          worst = Math.max(worst, Math.abs(s - y[(o * h + yy) * w + xx]));
        }
      }
    }
    assertTrue(worst <= 1e-4, ic + " -> " + oc + " channels, dilation " + dilation + ", " + h
        + " x " + w
        + ": libtorch is " + worst + " off (oneDNN " + TorchOneDnn.state() + ")");
  }
}
