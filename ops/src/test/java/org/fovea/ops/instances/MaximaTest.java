package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MaximaTest {

  @Test
  void lowerPeakHasTheDropToTheSaddleAsDynamic() {
    // peaks 3 (index 1) and 2 (index 3) meet at the saddle 1 (index 2): the lower has dynamic 1
    float[] v = {1, 3, 1, 2, 1};
    assertArrayEquals(new int[] {0, 1, 0, 2, 0}, Maxima.seeds(v, null, 5, 1, 0.5).labels());
    assertArrayEquals(new int[] {0, 1, 0, 0, 0}, Maxima.seeds(v, null, 5, 1, 1.0).labels());
  }

  @Test
  void aPlateauGivesOneSeedAtItsFirstPixel() {
    float[] flat = {1, 2, 2, 1};
    assertArrayEquals(new int[] {0, 1, 0, 0}, Maxima.seeds(flat, null, 4, 1, 0).labels());
    // a U-shaped plateau reached from two ends in raster order is still one maximum
    float[] u = {
        2, 0, 2,
        2, 2, 2};
    assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0}, Maxima.seeds(u, null, 3, 2, 0).labels());
  }

  @Test
  void maskLimitsTheSearchAndSplitsParts() {
    float[] v = {3, 1, 2, 2};
    boolean[] mask = {true, false, true, true};
    // the mask cuts the row in two parts: each keeps its highest peak (infinite dynamic)
    assertArrayEquals(new int[] {1, 0, 2, 0}, Maxima.seeds(v, mask, 4, 1, 5).labels());
  }

  @Test
  void radixOrderEqualsAFullSortOfTheKeys() {
    java.util.Random r = new java.util.Random(3);
    int n = 5000;
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      // few distinct heights of both signs, as distance maps have, plus a few extremes
      float v = i % 97 == 0 ? (r.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE)
          : (r.nextInt(21) - 10) * 0.5f;
      int b = Float.floatToIntBits(v + 0f);
      keys[i] = ((long) (b ^ ((b >> 31) & 0x7fffffff)) << 32) | i;
    }
    long[] full = keys.clone();
    java.util.Arrays.sort(full);
    long[] padded = java.util.Arrays.copyOf(keys, n + 7);
    assertArrayEquals(full, Maxima.sortByHeight(padded, n));
  }
}
