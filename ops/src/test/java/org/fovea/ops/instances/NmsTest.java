package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NmsTest {

  // A and B overlap by half of each (IoU 50/150 = 1/3), B and C likewise, A and C not at all
  private static final Box A = new Box(0, 0, 10, 10);
  private static final Box B = new Box(5, 0, 15, 10);
  private static final Box C = new Box(10, 0, 20, 10);
  private static final double NEG = Double.NEGATIVE_INFINITY;

  @Test
  void iouOfHandMadeBoxes() {
    assertEquals(1.0 / 3, A.iou(B));
    assertEquals(0, A.iou(C));
    assertEquals(0.5, A.iou(new Box(0, 0, 10, 5)));
  }

  @Test
  void onlyKeptBoxesSuppressSoChainsAreNotTransitive() {
    int[] kept = Nms.greedy(List.of(A, B, C), new double[] {0.9, 0.8, 0.7}, 0.3, NEG);
    assertArrayEquals(new int[] {0, 2}, kept);
  }

  @Test
  void iouExactlyAtTheThresholdIsNotSuppressed() {
    assertArrayEquals(new int[] {0, 1, 2},
        Nms.greedy(List.of(A, B, C), new double[] {0.9, 0.8, 0.7}, 1.0 / 3, NEG));
    Box half = new Box(0, 0, 10, 5);
    assertArrayEquals(new int[] {1, 0},
        Nms.greedy(List.of(half, A), new double[] {0.2, 0.6}, 0.5, NEG));
    assertArrayEquals(new int[] {1},
        Nms.greedy(List.of(half, A), new double[] {0.2, 0.6}, 0.49, NEG));
  }

  @Test
  void equalScoresPreferTheLowerIndex() {
    assertArrayEquals(new int[] {1, 2},
        Nms.greedy(List.of(A, A, C, A), new double[] {0.5, 0.8, 0.8, 0.8}, 0.5, NEG));
  }

  @Test
  void scoreThresholdDropsCandidatesFirst() {
    double[] s = {0.9, 0.8, 0.3};
    assertArrayEquals(new int[] {0, 2}, Nms.greedy(List.of(A, B, C), s, 0.3, NEG));
    assertArrayEquals(new int[] {0}, Nms.greedy(List.of(A, B, C), s, 0.3, 0.5));
    // a score equal to the minimum is kept
    assertArrayEquals(new int[] {0, 2}, Nms.greedy(List.of(A, B, C), s, 0.3, 0.3));
  }

  @Test
  void gaussianSoftNmsDecaysOverlappingScores() {
    Nms.Soft s = Nms.soft(List.of(A, B, C), new double[] {0.9, 0.8, 0.7}, 0.5, 0.0);
    // after A: B = 0.8 exp(-(1/9)/0.5) = 0.6406 < C = 0.7; after C: B decays once more
    assertArrayEquals(new int[] {0, 2, 1}, s.order());
    assertEquals(0.9, s.scores()[0]);
    assertEquals(0.7, s.scores()[1]);
    assertEquals(0.8 * Math.exp(-4.0 / 9), s.scores()[2], 1e-12);
    Nms.Soft cut = Nms.soft(List.of(A, B, C), new double[] {0.9, 0.8, 0.7}, 0.5, 0.65);
    assertArrayEquals(new int[] {0, 2}, cut.order());
  }

  @Test
  void gridAgreesWithAllPairsOnRandomBoxes() {
    Random r = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      int n = 300;
      Box[] b = new Box[n];
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        double x = r.nextDouble() * 200;
        double y = r.nextDouble() * 200;
        double w = 1 + r.nextDouble() * (i % 10 == 0 ? 60 : 12);
        double h = 1 + r.nextDouble() * 12;
        b[i] = new Box(x, y, x + w, y + h);
        s[i] = r.nextInt(50) / 50.0;
      }
      double thr = 0.1 + 0.1 * (trial % 5);
      assertArrayEquals(allPairs(b, s, thr), Nms.greedy(List.of(b), s, thr, NEG), "trial " + trial);
    }
  }

  @Test
  void badInputIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> Nms.greedy(List.of(A), new double[] {Double.NaN}, 0.5, NEG));
    assertThrows(IllegalArgumentException.class,
        () -> Nms.greedy(List.of(A), new double[] {1, 2}, 0.5, NEG));
    assertThrows(IllegalArgumentException.class, () -> new Box(1, 0, 0, 1));
  }

  private static int[] allPairs(Box[] b, double[] s, double thr) {
    Integer[] order = new Integer[b.length];
    for (int i = 0; i < b.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (p, q) -> s[p] != s[q] ? Double.compare(s[q], s[p]) : p - q);
    java.util.List<Integer> kept = new java.util.ArrayList<>();
    for (int i : order) {
      if (kept.stream().noneMatch(k -> b[k].iou(b[i]) > thr)) {
        kept.add(i);
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void aThreeBoxChainKeepsTheEndsAndATieAtTheThresholdKeepsBoth() {
    // D overlaps E with IoU exactly 0.5 (50 of 100 in a box inside another)
    Box d = new Box(0, 0, 10, 10);
    Box e = new Box(0, 0, 10, 5);
    Box f = new Box(0, 5, 10, 10); // F inside D (IoU 0.5), disjoint from E
    double[] s = {0.9, 0.9, 0.9};
    // equal scores: D first; E and F are at exactly 0.5 with D, so all are kept at 0.5
    assertArrayEquals(new int[] {0, 1, 2}, Nms.greedy(List.of(d, e, f), s, 0.5, NEG));
    // just below: D suppresses both, though E and F do not overlap each other
    assertArrayEquals(new int[] {0}, Nms.greedy(List.of(d, e, f), s, 0.4999, NEG));
    // D scored lowest: E and F are kept first and each suppresses D
    assertArrayEquals(new int[] {1, 2}, Nms.greedy(List.of(d, e, f),
        new double[] {0.1, 0.9, 0.8}, 0.4999, NEG));
  }

  @Test
  void softNmsDecayValuesByHand() {
    // D, E, F as above: IoU(D,E) = IoU(D,F) = 1/2, IoU(E,F) = 0; sigma 0.5: factor exp(-0.5)
    Box d = new Box(0, 0, 10, 10);
    Box e = new Box(0, 0, 10, 5);
    Box f = new Box(0, 5, 10, 10);
    Nms.Soft s = Nms.soft(List.of(d, e, f), new double[] {0.9, 0.8, 0.8}, 0.5, 0.0);
    assertArrayEquals(new int[] {0, 1, 2}, s.order());
    double k = Math.exp(-0.25 / 0.5);
    assertEquals(0.9, s.scores()[0]);
    assertEquals(0.8 * k, s.scores()[1], 1e-15); // equal decayed scores: lower index first
    assertEquals(0.8 * k, s.scores()[2], 1e-15); // E does not touch F: no second decay
    // a minimum between 0.8 k = 0.4852 and 0.8 drops both after D is chosen
    assertArrayEquals(new int[] {0}, Nms.soft(List.of(d, e, f), new double[] {0.9, 0.8, 0.8},
        0.5, 0.5).order());
  }
}
