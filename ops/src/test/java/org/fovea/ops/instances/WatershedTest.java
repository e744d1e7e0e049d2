package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WatershedTest {

  private static LabelImage seeds(int w, int h, int... indexAndLabel) {
    int[] l = new int[w * h];
    int max = 0;
    for (int k = 0; k < indexAndLabel.length; k += 2) {
      l[indexAndLabel[k]] = indexAndLabel[k + 1];
      max = Math.max(max, indexAndLabel[k + 1]);
    }
    return new LabelImage(w, h, l, max);
  }

  @Test
  void ridgeGoesToTheSeedQueuedFirst() {
    float[] land = {0, 1, 2, 1, 0};
    LabelImage r = Watershed.flood(land, seeds(5, 1, 0, 1, 4, 2), null, Connectivity.FOUR);
    assertArrayEquals(new int[] {1, 1, 1, 2, 2}, r.labels());
  }

  @Test
  void plateauIsSplitHalfWay() {
    float[] land = {0, 5, 5, 5, 5, 0};
    LabelImage r = Watershed.flood(land, seeds(6, 1, 0, 1, 5, 2), null, Connectivity.FOUR);
    assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2}, r.labels());
    float[] odd = {0, 5, 5, 5, 0};
    assertArrayEquals(new int[] {1, 1, 1, 2, 2},
        Watershed.flood(odd, seeds(5, 1, 0, 1, 4, 2), null, Connectivity.FOUR).labels());
    // swapping the labels changes nothing but the names: the earlier seed still wins the middle
    assertArrayEquals(new int[] {2, 2, 2, 1, 1},
        Watershed.flood(odd, seeds(5, 1, 0, 2, 4, 1), null, Connectivity.FOUR).labels());
  }

  @Test
  void lowerPathWinsOverNearerSeed() {
    // seed B sits high (9): pixel 3, B's neighbour, is reached first along A's valley
    float[] valley = {0, 0, 0, 0, 9};
    LabelImage r = Watershed.flood(valley, seeds(5, 1, 0, 1, 4, 2), null, Connectivity.FOUR);
    assertArrayEquals(new int[] {1, 1, 1, 1, 2}, r.labels());
  }

  @Test
  void maskStopsTheFlood() {
    float[] land = {0, 0, 0, 0};
    boolean[] mask = {true, true, false, true};
    LabelImage r = Watershed.flood(land, seeds(4, 1, 0, 1), mask, Connectivity.FOUR);
    assertArrayEquals(new int[] {1, 1, 0, 0}, r.labels());
  }

  @Test
  void diagonalStepsOnlyWithEightConnectivity() {
    // 2x2: seed at (0,0); (1,1) touches it only diagonally; the mask excludes the other two
    boolean[] mask = {true, false, false, true};
    float[] land = new float[4];
    assertArrayEquals(new int[] {1, 0, 0, 0},
        Watershed.flood(land, seeds(2, 2, 0, 1), mask, Connectivity.FOUR).labels());
    assertArrayEquals(new int[] {1, 0, 0, 1},
        Watershed.flood(land, seeds(2, 2, 0, 1), mask, Connectivity.EIGHT).labels());
  }

  @Test
  void twoTouchingDiscsAreSplitAtTheNeck() {
    int w = 31;
    int h = 21;
    boolean[] mask = Discs.two(w, h);
    double[] d = DistanceTransform.squared(mask, w, h);
    float[] land = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      land[i] = (float) -Math.sqrt(d[i]);
    }
    LabelImage s = seeds(w, h, 10 * w + 10, 1, 10 * w + 20, 2);
    LabelImage r = Watershed.flood(land, s, mask, Connectivity.EIGHT);
    LabelImage again = Watershed.flood(land, s, mask, Connectivity.EIGHT);
    assertArrayEquals(r.labels(), again.labels());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int want = !mask[y * w + x] ? 0 : x <= 14 ? 1 : x >= 16 ? 2 : -1;
        if (want >= 0) {
          assertEquals(want, r.at(x, y), "pixel " + x + "," + y);
        }
      }
    }
  }

  @Test
  void bucketQueueFloodsExactlyLikeTheHeap() {
    java.util.Random r = new java.util.Random(11);
    for (int trial = 0; trial < 40; trial++) {
      int w = 5 + r.nextInt(40);
      int h = 5 + r.nextInt(40);
      float[] land = new float[w * h];
      boolean[] mask = new boolean[w * h];
      int[] seeds = new int[w * h];
      int levels = trial % 2 == 0 ? 4 : 300; // many ties, or many heights
      int n = 0;
      for (int i = 0; i < land.length; i++) {
        land[i] = trial % 5 == 0 && i % 17 == 0 ? Float.NaN : r.nextInt(levels) * 0.25f - 10;
        mask[i] = r.nextInt(10) < 8;
        if (r.nextInt(40) == 0) {
          seeds[i] = ++n;
        }
      }
      Connectivity c = trial % 3 == 0 ? Connectivity.FOUR : Connectivity.EIGHT;
      LabelImage s = new LabelImage(w, h, seeds, n);
      boolean[] m = trial % 4 == 0 ? null : mask;
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          Watershed.flood(land, s, m, c, false).labels(),
          Watershed.flood(land, s, m, c, true).labels(), "trial " + trial);
    }
  }
}
