package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;

class MatchingTest {

  private static final double EPS = 1e-12;

  // truth: objects 1 (4 px), 2 (2 px), 3 (2 px); prediction: 5 (3 px) inside 1, 7 (3 px) over 2
  private static final int[] TRUTH = {1, 1, 1, 1, 0, 2, 2, 0, 3, 3};
  private static final int[] PRED = {5, 5, 5, 0, 0, 7, 7, 7, 0, 0};

  @Test
  void handComputedScoresAtHalf() {
    // IoU(1,5) = 3/4, IoU(2,7) = 2/3, object 3 unmatched
    MatchStats s = Matching.match(PRED, TRUTH, 0.5).get(0);
    assertEquals(3, s.nTrue());
    assertEquals(2, s.nPred());
    assertEquals(2, s.tp());
    assertEquals(0, s.fp());
    assertEquals(1, s.fn());
    assertEquals(1.0, s.precision(), EPS);
    assertEquals(2.0 / 3, s.recall(), EPS);
    assertEquals(0.8, s.f1(), EPS);
    assertEquals(2.0 / 3, s.accuracy(), EPS);
    assertEquals(17.0 / 24, s.meanMatchedIou(), EPS);
    assertEquals(17.0 / 36, s.meanTrueIou(), EPS);
    assertEquals(17.0 / 30, s.panopticQuality(), EPS);
  }

  @Test
  void higherThresholdsKeepFewerPairsAndEqualityDoesNotMatch() {
    List<MatchStats> l = Matching.match(PRED, TRUTH, 0.7, 0.75);
    MatchStats s = l.get(0);
    assertEquals(1, s.tp());
    assertEquals(1, s.fp());
    assertEquals(2, s.fn());
    assertEquals(0.5, s.precision(), EPS);
    assertEquals(1.0 / 3, s.recall(), EPS);
    assertEquals(0.4, s.f1(), EPS);
    assertEquals(0.25, s.accuracy(), EPS);
    assertEquals(0.75, s.meanMatchedIou(), EPS);
    assertEquals(0.3, s.panopticQuality(), EPS);
    // IoU(1,5) is exactly 0.75: not greater than the threshold, so no match
    assertEquals(0, l.get(1).tp());
    assertEquals(0, l.get(1).f1());
  }

  @Test
  void optimalAssignmentFindsMorePairsThanGreedy() {
    // truth A = 0..4, B = 5..7; prediction P = 1..6, Q = 0
    int[] truth = {1, 1, 1, 1, 1, 2, 2, 2, 0, 0};
    int[] pred = {9, 3, 3, 3, 3, 3, 3, 0, 0, 0};
    // IoU(A,P) = 4/7, IoU(A,Q) = 1/5, IoU(B,P) = 2/7, IoU(B,Q) = 0: greedy by IoU takes A-P
    // and stops at one pair; the optimum pairs A-Q and B-P
    MatchStats s = Matching.match(pred, truth, 0.15).get(0);
    assertEquals(2, s.tp());
    assertEquals(0, s.fp());
    assertEquals(0, s.fn());
    assertEquals(1.0, s.f1(), EPS);
    assertEquals(17.0 / 70, s.meanMatchedIou(), EPS);
    assertEquals(17.0 / 70, s.panopticQuality(), EPS);
    // at 0.25 only A-P and B-P qualify: one pair, the one with the larger IoU
    MatchStats t = Matching.match(pred, truth, 0.25).get(0);
    assertEquals(1, t.tp());
    assertEquals(4.0 / 7, t.meanMatchedIou(), EPS);
    assertEquals(2.0 / 7, t.panopticQuality(), EPS);
  }

  @Test
  void labelValuesAndOrderDoNotMatter() {
    int[] relabelled = {40, 40, 40, 0, 0, 2, 2, 2, 0, 0};
    MatchStats a = Matching.match(PRED, TRUTH, 0.5).get(0);
    MatchStats b = Matching.match(relabelled, TRUTH, 0.5).get(0);
    assertEquals(a, b);
    MatchStats swapped = Matching.match(TRUTH, PRED, 0.5).get(0);
    assertEquals(a.fp(), swapped.fn());
    assertEquals(a.f1(), swapped.f1(), EPS);
  }

  @Test
  void emptyImagesScoreZeroAndSizesMustAgree() {
    MatchStats e = Matching.match(new int[4], new int[4], 0.5).get(0);
    assertEquals(0, e.tp() + e.fp() + e.fn());
    assertEquals(0, e.f1());
    FoveaException x = assertThrows(FoveaException.class,
        () -> Matching.match(new int[4], new int[5], 0.5));
    assertTrue(x.getMessage().contains("differ in size"), x.getMessage());
    assertThrows(FoveaException.class, () -> Matching.match(new int[4], new int[4], 1.5));
  }
}
