package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LabelingTest {

  private static boolean[] mask(int... v) {
    boolean[] m = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      m[i] = v[i] != 0;
    }
    return m;
  }

  @Test
  void diagonalNeighboursJoinOnlyWithEightConnectivity() {
    boolean[] m = mask(
        1, 0, 1,
        0, 1, 0,
        0, 0, 1);
    LabelImage four = Labeling.components(m, 3, 3, Connectivity.FOUR);
    assertEquals(4, four.count());
    assertArrayEquals(new int[] {1, 0, 2, 0, 3, 0, 0, 0, 4}, four.labels());
    LabelImage eight = Labeling.components(m, 3, 3, Connectivity.EIGHT);
    assertEquals(1, eight.count());
  }

  @Test
  void labelImageWrapsAsImgLib2WithoutCopying() {
    LabelImage l = new LabelImage(3, 2, new int[] {0, 1, 2, 3, 4, 5}, 5);
    var ra = l.asImg().randomAccess();
    ra.setPosition(new long[] {2, 1});
    assertEquals(5, ra.get().get());
    assertEquals(5, l.at(2, 1));
    ra.get().set(9);
    assertEquals(9, l.labels()[5]);
  }

  @Test
  void holesEnclosedByOneLabelAreFilled() {
    int[] l = {
        1, 1, 1, 0, 2, 2, 2,
        1, 0, 1, 0, 2, 0, 2,
        1, 1, 1, 0, 2, 2, 2,
        0, 0, 0, 0, 0, 0, 0};
    LabelImage f = Labeling.fillHoles(new LabelImage(7, 4, l, 2));
    assertEquals(1, f.at(1, 1));
    assertEquals(2, f.at(5, 1));
    assertEquals(0, f.at(3, 1));
  }

  @Test
  void holeBetweenTwoLabelsOrOnTheBorderStays() {
    int[] l = {
        1, 1, 2, 2,
        1, 0, 0, 2,
        1, 1, 2, 2};
    assertArrayEquals(l, Labeling.fillHoles(new LabelImage(4, 3, l, 2)).labels());
    int[] edge = {
        1, 0, 1,
        1, 1, 1};
    assertArrayEquals(edge, Labeling.fillHoles(new LabelImage(3, 2, edge, 1)).labels());
  }

  @Test
  void sizeFilterRemovesAndRenumbersInRasterOrder() {
    int[] l = {7, 7, 0, 3, 0, 5, 5, 5};
    LabelImage r = Labeling.filterSizes(new LabelImage(8, 1, l, 7), 2, 2);
    assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0, 0, 0}, r.labels());
    assertEquals(1, r.count());
    LabelImage all = Labeling.filterSizes(new LabelImage(8, 1, l, 7), 1, 0);
    assertArrayEquals(new int[] {1, 1, 0, 2, 0, 3, 3, 3}, all.labels());
  }
}
