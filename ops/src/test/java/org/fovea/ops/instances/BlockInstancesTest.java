package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

class BlockInstancesTest {

  private static final InstanceParams DISTANCE = InstanceParams.defaults();
  private static final InstanceParams INTERIOR = InstanceParams.defaults()
      .withSeeds(InstanceParams.Seeds.INTERIOR);

  /** Labels equal up to a one-to-one renaming (and background stays background). */
  private static void assertSameObjects(LabelImage expected, LabelImage actual, String what) {
    assertEquals(expected.count(), actual.count(), what);
    Map<Integer, Integer> fwd = new HashMap<>();
    Map<Integer, Integer> back = new HashMap<>();
    for (int i = 0; i < expected.labels().length; i++) {
      int a = expected.labels()[i];
      int b = actual.labels()[i];
      assertEquals(a == 0, b == 0, what + " pixel " + i);
      if (a != 0) {
        assertEquals(b, fwd.computeIfAbsent(a, k -> b), what + " pixel " + i);
        assertEquals(a, back.computeIfAbsent(b, k -> a), what + " pixel " + i);
      }
    }
  }

  /** Probabilities with touching discs centred on the block borders at multiples of 32. */
  private static Tensor discsOnBorders(int w, int h) {
    Tensor t = Tensor.zeros(Axes.of("bcyx"), 1, 3, h, w);
    float[] p = t.data();
    int n = w * h;
    double[][] discs = {{32, 32, 9}, {44, 32, 8}, {64, 20, 6}, {31.5, 70, 12}, {64, 64, 5},
        {96, 40, 20}, {10, 95, 7}, {50, 100, 6}, {58, 100, 6}};
    for (double[] d : discs) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double depth = d[2] - Math.hypot(x - d[0], y - d[1]);
          float in = (float) Math.min(1, Math.max(0, depth / 3));
          float edge = depth > -1 ? 1 - in : 0;
          int i = y * w + x;
          p[n + i] = Math.max(p[n + i], in);
          p[2 * n + i] = Math.min(Math.max(p[2 * n + i], edge), 1 - p[n + i]);
        }
      }
    }
    // a ring with a hole holding a small island: the hole touches two objects, so it stays open
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double r = Math.hypot(x - 100, y - 100);
        int i = y * w + x;
        double q = Math.hypot(x - 75, y - 85); // and a ring with an empty hole, to be filled
        if (r >= 6 && r <= 9 || r <= 1.5 || q >= 5 && q <= 9) {
          p[n + i] = 1;
          p[2 * n + i] = 0;
        }
      }
    }
    return t;
  }

  @Test
  void objectsOnBlockBordersAreNeitherSplitNorDuplicated() {
    Tensor p = discsOnBorders(120, 112);
    for (InstanceParams params : new InstanceParams[] {DISTANCE, INTERIOR,
        DISTANCE.withConnectivity(Connectivity.FOUR), DISTANCE.withSizes(1, 30, 600)}) {
      LabelImage whole = Instances.fromSemantic(p, params);
      assertTrue(whole.count() >= 6, "the picture has objects: " + whole.count());
      assertTrue(whole.at(75, 85) != 0, "the empty hole is filled");
      assertEquals(0, whole.at(100, 97), "the hole around the island stays open");
      for (int[] bo : new int[][] {{32, 0}, {32, 4}, {32, 16}, {17, 3}, {64, 8}, {7, 1},
          {200, 0}}) {
        LabelImage tiled = BlockInstances.fromSemantic(p, params, bo[0], bo[1], false);
        assertSameObjects(whole, tiled, params + " block " + bo[0] + " overlap " + bo[1]);
        // numbered in raster order like the whole image, so even the numbers agree
        assertArrayEquals(whole.labels(), tiled.labels());
      }
    }
  }

  @Test
  void randomNucleiAgreeWithTheWholeImageForEveryBlockSize() {
    for (long seed = 1; seed <= 2; seed++) {
      Tensor p = SyntheticNuclei.probabilities(203, 157, 90, 3, 12, seed);
      for (InstanceParams params : new InstanceParams[] {DISTANCE, INTERIOR}) {
        LabelImage whole = Instances.fromSemantic(p, params);
        for (int block : new int[] {16, 50, 64}) {
          for (int overlap : new int[] {0, 5, 24}) {
            assertSameObjects(whole, BlockInstances.fromSemantic(p, params, block, overlap,
                seed % 2 == 0), "seed " + seed + " block " + block + " overlap " + overlap);
          }
        }
      }
    }
  }

  @Test
  void aProbabilityMapOfTheWrongShapeIsOneSentence() {
    Tensor two = Tensor.zeros(Axes.of("bcyx"), 1, 2, 8, 8);
    FoveaException e = assertThrows(FoveaException.class,
        () -> BlockInstances.fromSemantic(two, DISTANCE, 4, 1, false));
    assertTrue(e.getMessage().contains("[1, 2, 8, 8]") && e.getMessage().endsWith(
        "use a background/interior/boundary model"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> BlockInstances.fromSemantic(Tensor.zeros(Axes.of("bcyx"), 1, 3, 8, 8), DISTANCE,
            0, 1, false));
  }
}
