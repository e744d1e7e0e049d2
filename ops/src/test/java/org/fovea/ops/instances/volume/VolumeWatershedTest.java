package org.fovea.ops.instances.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VolumeWatershedTest {

  private static LabelVolume seeds(int w, int h, int d, int... indexAndLabel) {
    int[] l = new int[w * h * d];
    int max = 0;
    for (int k = 0; k < indexAndLabel.length; k += 2) {
      l[indexAndLabel[k]] = indexAndLabel[k + 1];
      max = Math.max(max, indexAndLabel[k + 1]);
    }
    return new LabelVolume(w, h, d, l, max);
  }

  @Test
  void plateauAlongZIsSplitHalfWayTheEarlierSeedTakingTheMiddle() {
    float[] odd = {0, 5, 5, 5, 0};
    assertArrayEquals(new int[] {1, 1, 1, 2, 2}, VolumeWatershed.flood(odd,
        seeds(1, 1, 5, 0, 1, 4, 2), null, Connectivity3D.SIX).labels());
    assertArrayEquals(new int[] {2, 2, 2, 1, 1}, VolumeWatershed.flood(odd,
        seeds(1, 1, 5, 0, 2, 4, 1), null, Connectivity3D.SIX).labels());
  }

  @Test
  void edgeAndCornerStepsOnlyWithTheirConnectivity() {
    // 2x2x2, seed at (0,0,0); the mask holds (1,1,0) (an edge step) and (1,1,1) (a corner step)
    boolean[] mask = {true, false, false, true, false, false, false, true};
    float[] land = new float[8];
    LabelVolume s = seeds(2, 2, 2, 0, 1);
    assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 0},
        VolumeWatershed.flood(land, s, mask, Connectivity3D.SIX).labels());
    assertArrayEquals(new int[] {1, 0, 0, 1, 0, 0, 0, 0}, VolumeWatershed.flood(land, s,
        new boolean[] {true, false, false, true, false, false, false, false},
        Connectivity3D.EIGHTEEN).labels());
    assertArrayEquals(new int[] {1, 0, 0, 1, 0, 0, 0, 1},
        VolumeWatershed.flood(land, s, mask, Connectivity3D.TWENTY_SIX).labels());
  }

  @Test
  void bucketQueueFloodsExactlyLikeTheHeap() {
    Random r = new Random(11);
    for (int trial = 0; trial < 30; trial++) {
      int w = 2 + r.nextInt(15);
      int h = 2 + r.nextInt(15);
      int d = 1 + r.nextInt(10);
      int n = w * h * d;
      float[] land = new float[n];
      boolean[] mask = new boolean[n];
      int[] seeds = new int[n];
      int levels = trial % 2 == 0 ? 4 : 300;
      int count = 0;
      for (int i = 0; i < n; i++) {
        land[i] = trial % 5 == 0 && i % 17 == 0 ? Float.NaN : r.nextInt(levels) * 0.25f - 10;
        mask[i] = r.nextInt(10) < 8;
        if (r.nextInt(40) == 0) {
          seeds[i] = ++count;
        }
      }
      Connectivity3D c = Connectivity3D.values()[trial % 3];
      LabelVolume s = new LabelVolume(w, h, d, seeds, count);
      boolean[] m = trial % 4 == 0 ? null : mask;
      assertArrayEquals(VolumeWatershed.flood(land, s, m, c, false).labels(),
          VolumeWatershed.flood(land, s, m, c, true).labels(), "trial " + trial);
    }
  }
}
