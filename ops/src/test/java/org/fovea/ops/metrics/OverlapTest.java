package org.fovea.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

class OverlapTest {

  @Test
  void foregroundIsArgmaxNotBackground() {
    // 3 classes on a 1x3 image: background wins, interior wins, boundary wins
    Tensor p = new Tensor(Axes.of("bcyx"), new long[] {1, 3, 1, 3},
        new float[] {0.6f, 0.2f, 0.1f, 0.3f, 0.7f, 0.2f, 0.1f, 0.1f, 0.7f});
    assertArrayEquals(new boolean[] {false, true, true}, Overlap.foreground(p, 0));
  }

  @Test
  void iouByHand() {
    boolean[] a = {true, true, false, false, true};
    boolean[] b = {true, false, true, false, true};
    assertEquals(2.0 / 4.0, Overlap.iou(a, b), 0);
    assertEquals(1.0, Overlap.iou(new boolean[3], new boolean[3]), 0);
  }
}
