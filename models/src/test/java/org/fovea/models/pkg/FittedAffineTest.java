package org.fovea.models.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fitted normalization of every tile ({@code (x - offset) / divisor} per channel, in double)
 * gives, value for value, the float the one-line formula gives: the chunked loops that make it
 * fast change no bit, at chunk borders, past them and on NaN and infinities.
 */
class FittedAffineTest {

  @Test
  void chunkedLoopsGiveTheFormulasFloats() {
    int c = 3;
    int plane = 2 * 1024 + 37; // chunks, and a part of one
    float[] v = new float[c * plane];
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (i % 997) {
        case 3 -> Float.NaN;
        case 5 -> Float.POSITIVE_INFINITY;
        case 8 -> Float.NEGATIVE_INFINITY;
        default -> (float) (r.nextGaussian() * 1e3 + (i % 2 == 0 ? r.nextInt(65536) : 0));
      };
    }
    double[] offset = {12.5, -3.25e4, 1e-3};
    double[] divisor = {987.25, 7.0 / 3, 65535.000001};
    Tensor t = new Tensor(Axes.of("bcyx"), new long[] {1, c, 1, plane}, v.clone());
    new Fitting.FittedAffine("scale_range", offset, divisor).apply(t);
    for (int i = 0; i < v.length; i++) {
      int ch = i / plane;
      float want = (float) ((v[i] - offset[ch]) * (1 / divisor[ch]));
      assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(t.data()[i]),
          "value " + i + " (" + v[i] + ")");
    }
  }
}
