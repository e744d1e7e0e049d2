package org.fovea.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;

/**
 * The float to float16 rounding of {@link Fp16Rewrite}, checked on every half-precision value:
 * each converts back to itself, the exact midpoint between two neighbours goes to the even one,
 * the floats just beside the midpoint go to the nearer one; overflow, underflow, NaN and signed
 * zero as IEEE 754 says.
 */
class Fp16RewriteTest {

  @Test
  void everyHalfAndEveryMidpointRoundsToNearestEven() {
    assertEquals(1f, Fp16Rewrite.toFloat((short) 0x3c00));
    assertEquals(65504f, Fp16Rewrite.toFloat((short) 0x7bff));
    assertEquals(0x1p-24f, Fp16Rewrite.toFloat((short) 0x0001));
    assertEquals(0x1p-14f, Fp16Rewrite.toFloat((short) 0x0400));
    for (int h = 0; h < 0x7c00; h++) {
      for (int sign : new int[] {0, 0x8000}) {
        short a = (short) (h | sign);
        float fa = Fp16Rewrite.toFloat(a);
        assertEquals(a, Fp16Rewrite.toHalf(fa), "half " + Integer.toHexString(a & 0xffff));
        // the next half up (0x7c00 is infinity: the midpoint to it is 65520)
        float fb = h + 1 == 0x7c00 ? 65536f * (sign == 0 ? 1 : -1)
            : Fp16Rewrite.toFloat((short) ((h + 1) | sign));
        float mid = (fa + fb) / 2; // exact: halves have 11 significant bits, floats 24
        short even = (h & 1) == 0 ? a : (short) ((h + 1) | sign);
        assertEquals(even, Fp16Rewrite.toHalf(mid), "midpoint above " + fa);
        float toward = Math.nextAfter(mid, fa);
        float away = Math.nextAfter(mid, fb);
        assertEquals(a, Fp16Rewrite.toHalf(toward), "just below the midpoint above " + fa);
        assertEquals((short) ((h + 1) | sign), Fp16Rewrite.toHalf(away),
            "just above the midpoint above " + fa);
      }
    }
    assertEquals((short) 0x7c00, Fp16Rewrite.toHalf(1e6f));
    assertEquals((short) 0xfc00, Fp16Rewrite.toHalf(Float.NEGATIVE_INFINITY));
    assertEquals((short) 0x8000, Fp16Rewrite.toHalf(-1e-30f));
    assertEquals((short) 0x0000, Fp16Rewrite.toHalf(0x1p-26f));
    assertTrue(Float.isNaN(Fp16Rewrite.toFloat(Fp16Rewrite.toHalf(Float.NaN))));
  }

  @Test
  void anUnknownOperatorIsRefusedByName() {
    // a graph of one node, com.example.Frobnicate, built field by field
    ProtoMessage node = new ProtoMessage().addString(1, "x").addString(2, "y")
        .addString(3, "f").addString(4, "Frobnicate").addString(7, "com.example");
    ProtoMessage type = new ProtoMessage().message(1, new ProtoMessage().varint(1, 1));
    ProtoMessage graph = new ProtoMessage().message(1, node).addString(2, "g")
        .message(11, new ProtoMessage().addString(1, "x").message(2, type))
        .message(12, new ProtoMessage().addString(1, "y").message(2, type));
    ProtoMessage opset = new ProtoMessage().addString(1, "").varint(2, 17);
    byte[] model = new ProtoMessage().varint(1, 8).message(7, graph).message(8, opset).encode();
    FoveaException e = org.junit.jupiter.api.Assertions.assertThrows(FoveaException.class,
        () -> Fp16Rewrite.convert(model, "odd.onnx"));
    assertEquals("odd.onnx has the operator com.example.Frobnicate, which Fovea's fp16"
        + " conversion does not handle: run it in fp32 (leave out --precision)", e.getMessage());
  }
}
