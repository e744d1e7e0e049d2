package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {

  @Test
  void rowOfForegroundCountsSquaredStepsToTheBackground() {
    boolean[] m = {false, true, true, true, true};
    assertArrayEquals(new double[] {0, 1, 4, 9, 16}, DistanceTransform.squared(m, 5, 1));
  }

  @Test
  void singleBackgroundPixelGivesSquaredEuclideanDistances() {
    boolean[] m = new boolean[9];
    java.util.Arrays.fill(m, true);
    m[0] = false; // 3x3, background in the top-left corner
    assertArrayEquals(new double[] {0, 1, 4, 1, 2, 5, 4, 5, 8}, DistanceTransform.squared(m, 3, 3));
  }

  @Test
  void noBackgroundIsInfinite() {
    double[] d = DistanceTransform.squared(new boolean[] {true, true, true, true}, 2, 2);
    for (double v : d) {
      assertEquals(Double.POSITIVE_INFINITY, v);
    }
  }

  @Test
  void equalsBruteForceExactlyOnRandomMasks() {
    Random r = new Random(42);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + r.nextInt(23);
      int h = 1 + r.nextInt(19);
      double fill = 0.3 + 0.69 * r.nextDouble();
      boolean[] m = new boolean[w * h];
      for (int i = 0; i < m.length; i++) {
        m[i] = r.nextDouble() < fill;
      }
      double sy = trial % 3 == 0 ? 2.0 : 1.0;
      double sx = trial % 3 == 0 ? 0.5 : 1.0;
      assertArrayEquals(brute(m, w, h, sy, sx), DistanceTransform.squared(m, w, h, sy, sx),
          "trial " + trial);
    }
  }

  private static double[] brute(boolean[] m, int w, int h, double sy, double sx) {
    double[] d = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      double best = m[i] ? Double.POSITIVE_INFINITY : 0;
      for (int j = 0; j < m.length && m[i]; j++) {
        if (!m[j]) {
          double dx = sx * (i % w - j % w);
          double dy = sy * (i / w - j / w);
          best = Math.min(best, dx * dx + dy * dy);
        }
      }
      d[i] = best;
    }
    return d;
  }
}
