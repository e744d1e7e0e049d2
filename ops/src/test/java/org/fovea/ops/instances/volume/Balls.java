package org.fovea.ops.instances.volume;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/** Synthetic probability volumes of balls with known centres, and an assert helper, for tests. */
final class Balls {

  private Balls() {}

  /**
   * Hard balls: interior probability 1 inside any ball (centre distance at most the radius, z
   * scaled by spacingZ), background elsewhere; channels background, interior, boundary.
   *
   * @param balls rows of cx, cy, cz, radius (voxel coordinates; the radius in x/y voxel sizes)
   */
  static float[] hard(int w, int h, int d, double spacingZ, double[]... balls) {
    int n = w * h * d;
    float[] p = new float[3 * n];
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = (z * h + y) * w + x;
          boolean in = false;
          for (double[] b : balls) {
            in |= inside(x, y, z, spacingZ, b);
          }
          p[(in ? 1 : 0) * n + i] = 1;
        }
      }
    }
    return p;
  }

  /** Whether voxel (x, y, z) lies in the ball {cx, cy, cz, r}, z scaled by spacingZ. */
  static boolean inside(int x, int y, int z, double spacingZ, double[] b) {
    double dx = x - b[0];
    double dy = y - b[1];
    double dz = spacingZ * (z - b[2]);
    return dx * dx + dy * dy + dz * dz <= b[3] * b[3];
  }

  /**
   * Soft balls as SyntheticNuclei draws discs: the foreground rises from 0 one voxel outside each
   * ball's surface to 1 half a voxel inside, the interior from 0 half a voxel inside to 1 at 2.5
   * voxels inside, the boundary is the rest of the foreground.
   */
  static float[] soft(int w, int h, int d, double spacingZ, double[]... balls) {
    int n = w * h * d;
    float[] p = new float[3 * n];
    for (double[] b : balls) {
      for (int z = 0; z < d; z++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double dz = spacingZ * (z - b[2]);
            double depth = b[3] - Math.sqrt((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])
                + dz * dz);
            float fore = (float) Math.min(1, Math.max(0, (depth + 1) / 1.5));
            float in = (float) Math.min(1, Math.max(0, (depth - 0.5) / 2));
            int i = (z * h + y) * w + x;
            float f = Math.max(fore, p[n + i] + p[2 * n + i]);
            p[n + i] = Math.max(in, p[n + i]);
            p[2 * n + i] = f - p[n + i];
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      p[i] = Math.max(0, 1 - p[n + i] - p[2 * n + i]);
    }
    return p;
  }

  /** Random balls inside a volume: rows of cx, cy, cz, radius. */
  static double[][] random(int w, int h, int d, int count, double minR, double maxR, long seed) {
    java.util.Random r = new java.util.Random(seed);
    double[][] b = new double[count][];
    for (int k = 0; k < count; k++) {
      b[k] = new double[] {r.nextDouble() * w, r.nextDouble() * h, r.nextDouble() * d,
          minR + r.nextDouble() * (maxR - minR)};
    }
    return b;
  }

  /** Labels equal up to a one-to-one renaming (and background stays background). */
  static void assertSameObjects(int[] expected, int[] actual, String what) {
    Assertions.assertEquals(expected.length, actual.length, what);
    Map<Integer, Integer> fwd = new HashMap<>();
    Map<Integer, Integer> back = new HashMap<>();
    for (int i = 0; i < expected.length; i++) {
      int a = expected[i];
      int b = actual[i];
      Assertions.assertEquals(a == 0, b == 0, what + " voxel " + i);
      if (a != 0) {
        Assertions.assertEquals(b, fwd.computeIfAbsent(a, k -> b), what + " voxel " + i);
        Assertions.assertEquals(a, back.computeIfAbsent(b, k -> a), what + " voxel " + i);
      }
    }
  }
}
