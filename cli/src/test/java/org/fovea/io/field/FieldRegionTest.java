package org.fovea.io.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.LayerField;
import org.fovea.ops.rf.LayerKind;
import org.junit.jupiter.api.Test;

/** Which outputs stand for which pixels, and the union of their fields. */
class FieldRegionTest {

  /** Stride 32, padding 90, r 212 (VGG-16 pool5) on 8 outputs. */
  private static final AxisField STRIDED = new AxisField(8, 212, 32, 32, 1, 90, 15.5, 90, 90, 0,
      0, 1, 32, new long[] {-90}, new long[] {121});

  /** Stride 1/2 (2x up-sampling): even outputs see u/2 - 1 .. u/2 + 1, odd ones u/2 .. +1. */
  private static final AxisField UPSAMPLED = new AxisField(20, 3, 0.5, 1, 2, 1, 0.25, 1, 1, 0, 0, 2,
      1, new long[] {-1, 0}, new long[] {1, 1});

  private static LayerField layer(AxisField y, AxisField x) {
    return new LayerField("l", "Conv", LayerKind.CONV, List.of(y, x), 0, 0);
  }

  @Test
  void thePixelsOutputIsItsIndexOverTheStrideClampedToTheLayer() {
    assertEquals(4, FieldRegion.output(STRIDED, 140));
    assertEquals(4, FieldRegion.output(STRIDED, 128));
    assertEquals(3, FieldRegion.output(STRIDED, 127));
    assertEquals(0, FieldRegion.output(STRIDED, -5));
    assertEquals(7, FieldRegion.output(STRIDED, 299));
    assertEquals(10, FieldRegion.output(UPSAMPLED, 5));
  }

  @Test
  void aBlockOfOutputsSeesTheUnionOfTheirFieldsAcrossPhases() {
    // setup: rows up-sampled, columns strided; pixels 5..6 are rows 10..12, columns 100..159 are
    // outputs 3..4
    FieldRegion r = FieldRegion.atPixels(layer(UPSAMPLED, STRIDED), 100, 5, 159, 6);
    // test: row 10 sees 4..6, row 12 sees 5..7; columns 3 and 4 see 6..217
    assertEquals(new FieldRegion(3, 10, 4, 12, 6, 4, 249, 7), r);
    assertArrayEquals(new double[] {127.5, 5.5}, r.centre());
    assertArrayEquals(new long[] {6, 4, 200, 7}, r.clip(201, 100));
    assertEquals(new FieldRegion(1, 2, 1, 2, -58, 0, 153, 2),
        FieldRegion.atOutputs(layer(UPSAMPLED, STRIDED), 1, 2, 1, 2));
    assertNull(new FieldRegion(0, 0, 0, 0, 20, 0, 25, 3).clip(10, 10), "right of the image");
  }
}
