package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxLabelsTest {

  @Test
  void theFirstBoxInOrderIsOnTopAndPixelCentresDecide() {
    // a: columns 1..3 rows 0..1 (centres 1.5..3.5 in [1, 4)); b covers 3..5 x 1..2
    Box a = new Box(1, 0, 4, 2);
    Box b = new Box(2.6, 1, 6, 3);
    BoxLabels.Rendered r = BoxLabels.render(6, 3, List.of(a, b), new int[] {1, 0}, null);
    assertArrayEquals(new int[] {
        0, 2, 2, 2, 0, 0,
        0, 2, 2, 1, 1, 1,
        0, 0, 0, 1, 1, 1}, r.labels().labels());
    assertArrayEquals(new int[] {1, 0}, r.box());
    assertEquals(2, r.labels().count());
  }

  @Test
  void aBoxLeftWithoutPixelsGetsNoLabelAndBoxesAreClippedToTheImage() {
    Box big = new Box(-2, -2, 3, 3);
    Box hidden = new Box(0, 0, 2, 2);
    Box thin = new Box(4.2, 0, 4.4, 3); // holds no pixel centre
    BoxLabels.Rendered r = BoxLabels.render(4, 2, List.of(big, hidden, thin),
        new int[] {0, 1, 2}, null);
    assertArrayEquals(new int[] {1, 1, 1, 0, 1, 1, 1, 0}, r.labels().labels());
    assertArrayEquals(new int[] {0}, r.box());
  }

  @Test
  void aMaskIsStretchedOverItsBox() {
    // a 2x2 checker mask over a 4x4 box: each mask pixel covers 2x2 image pixels
    BoxLabels.Mask checker = new BoxLabels.Mask(2, 2, new boolean[] {true, false, false, true});
    BoxLabels.Rendered r = BoxLabels.render(4, 4, List.of(new Box(0, 0, 4, 4)), new int[] {0},
        Arrays.asList(checker));
    assertArrayEquals(new int[] {
        1, 1, 0, 0,
        1, 1, 0, 0,
        0, 0, 1, 1,
        0, 0, 1, 1}, r.labels().labels());
  }
}
