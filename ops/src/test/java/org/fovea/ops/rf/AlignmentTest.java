package org.fovea.ops.rf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stride-2 SAME seed cases and the accumulated misalignment of deep networks. */
class AlignmentTest {

  private static FieldReport same(long kernel, long size) {
    return ReceptiveFields.analyze(Nets.same(PadMode.SAME_UPPER, kernel), new long[] {size, size});
  }

  @Test
  void oddKernelOnOddInputIsCentred() {
    FieldReport r = same(3, 17);
    assertTrue(r.warnings().isEmpty());
    assertArrayEquals(new double[] {0, 0}, r.misalignmentPx());
  }

  @Test
  void evenKernelOnEvenInputIsCentred() {
    FieldReport r = same(2, 16);
    assertTrue(r.warnings().isEmpty());
    assertArrayEquals(new double[] {0, 0}, r.misalignmentPx());
  }

  @Test
  void oddKernelOnEvenInputShiftsHalfAPixel() {
    FieldReport r = same(3, 16);
    assertEquals(2, r.warnings().size());
    assertEquals(0.5, r.warnings().get(0).shift());
    assertArrayEquals(new double[] {0.5, 0.5}, r.misalignmentPx());
    assertArrayEquals(new long[] {15, 17}, r.alignedSizes()[0]);
  }

  @Test
  void evenKernelOnOddInputShiftsHalfAPixel() {
    FieldReport r = same(2, 17);
    assertEquals(0.5, r.warnings().get(0).shift());
    assertArrayEquals(new double[] {0.5, 0.5}, r.misalignmentPx());
  }

  @Test
  void shiftsAddUpWeightedByInputStride() {
    LayerGraph g = Nets.same(PadMode.SAME_UPPER, 3, 3, 3, 3, 3);
    // 224 -> 112 -> 56 -> 28 -> 14: every input even, 0.5 * (1 + 2 + 4 + 8 + 16) = 15.5
    FieldReport even = ReceptiveFields.analyze(g, new long[] {224, 224});
    assertEquals(15.5, even.misalignmentPx()[0]);
    assertEquals(15.5, even.warnings().stream().filter(w -> w.axis() == 0)
        .mapToDouble(AlignmentWarning::shiftPx).sum());
    assertArrayEquals(new long[] {193, 225}, even.alignedSizes()[1]); // 32k + 1
    // 226 -> 113: only the first layer's input is even
    FieldReport other = ReceptiveFields.analyze(g, new long[] {226, 226});
    assertEquals(0.5, other.misalignmentPx()[0]);
    assertEquals(0, ReceptiveFields.analyze(g, new long[] {225, 225}).misalignmentPx()[0]);
  }

  @Test
  void resnetWithSymmetricPaddingIsOffCentreOnEvenInputs() {
    // every stride-2 layer of ResNet pads (k - 1) / 2 on both sides: the grid sits half an input
    // pixel early on even inputs, 15.5 px at 224; sizes 32k + 1 are centred
    LayerGraph g = Nets.resnet(new int[] {2, 2, 2, 2}, false);
    FieldReport r = ReceptiveFields.analyze(g, new long[] {224, 224});
    assertEquals(-15.5, r.misalignmentPx()[0]);
    assertArrayEquals(new long[] {193, 225}, r.alignedSizes()[0]);
    assertEquals(0, ReceptiveFields.analyze(g, new long[] {225, 225}).misalignmentPx()[1]);
  }
}
