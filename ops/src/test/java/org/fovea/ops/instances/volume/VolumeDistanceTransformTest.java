package org.fovea.ops.instances.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VolumeDistanceTransformTest {

  @Test
  void singleBackgroundVoxelGivesAnisotropicSquaredDistances() {
    boolean[] m = new boolean[2 * 2 * 2];
    java.util.Arrays.fill(m, true);
    m[0] = false; // background at (0, 0, 0); spacing z 3, y 2, x 1
    assertArrayEquals(new double[] {0, 1, 4, 5, 9, 10, 13, 14},
        VolumeDistanceTransform.squared(m, 2, 2, 2, 3, 2, 1));
  }

  @Test
  void noBackgroundIsInfiniteAndSpacingMustBePositive() {
    for (double v : VolumeDistanceTransform.squared(new boolean[] {true, true}, 1, 1, 2, 1, 1, 1)) {
      assertEquals(Double.POSITIVE_INFINITY, v);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VolumeDistanceTransform.squared(new boolean[1], 1, 1, 1, 0, 1, 1));
    assertTrue(e.getMessage().contains("spacing"), e.getMessage());
  }

  @Test
  void equalsBruteForceOnRandomAnisotropicVolumes() {
    Random r = new Random(42);
    for (int trial = 0; trial < 40; trial++) {
      int w = 1 + r.nextInt(12);
      int h = 1 + r.nextInt(10);
      int d = 1 + r.nextInt(9);
      double fill = 0.5 + 0.49 * r.nextDouble(); // sparse background: long distances
      boolean[] m = new boolean[w * h * d];
      for (int i = 0; i < m.length; i++) {
        m[i] = r.nextDouble() < fill;
      }
      double sz = 0.2 + 4 * r.nextDouble();
      double sy = trial % 2 == 0 ? 1 : 0.5 + r.nextDouble();
      double sx = trial % 2 == 0 ? 1 : 0.5 + r.nextDouble();
      double[] brute = brute(m, w, h, d, sz, sy, sx);
      double[] fast = VolumeDistanceTransform.distances(m, w, h, d, sz, sy, sx);
      for (int i = 0; i < m.length; i++) {
        assertEquals(brute[i], fast[i], 1e-9, "trial " + trial + " voxel " + i);
      }
    }
  }

  /** The distance to the nearest background voxel by exhaustive search. */
  private static double[] brute(boolean[] m, int w, int h, int d, double sz, double sy,
      double sx) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      double best = m[i] ? Double.POSITIVE_INFINITY : 0;
      for (int j = 0; j < m.length && m[i]; j++) {
        if (!m[j]) {
          double dx = sx * (i % w - j % w);
          double dy = sy * (i / w % h - j / w % h);
          double dz = sz * (i / (w * h) - j / (w * h));
          best = Math.min(best, dx * dx + dy * dy + dz * dz);
        }
      }
      out[i] = Math.sqrt(best);
    }
    return out;
  }
}
