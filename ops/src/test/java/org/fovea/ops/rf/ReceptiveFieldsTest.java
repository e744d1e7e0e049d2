package org.fovea.ops.rf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Published receptive fields of standard architectures (geometry built layer by layer in {@link
 * Nets}); the numbers come from the literature, not from this code.
 */
class ReceptiveFieldsTest {

  /** Asserts r, S and P on both axes of the output. */
  static void assertField(FieldReport r, double rf, double stride, double padding) {
    for (AxisField f : r.output().axes()) {
      assertEquals(rf, f.rf(), 0, "rf " + f);
      assertEquals(stride, f.stride(), 0, "stride " + f);
      assertEquals(padding, f.padding(), 0, "padding " + f);
    }
  }

  static FieldReport analyze(LayerGraph g, long size) {
    return ReceptiveFields.analyze(g, new long[] {size, size});
  }

  @Test
  void vgg16MatchesAraujoEtAl() {
    // Araujo, Norris, Sim: Computing receptive fields of CNNs (Distill 2019): vgg_16 212 / 32 / 90
    FieldReport r = analyze(Nets.vgg16(), 224);
    assertField(r, 212, 32, 90);
    assertEquals(7, r.output().axis(0).size());
    assertArrayEquals(new double[] {0, 0}, r.misalignmentPx());
  }

  @Test
  void alexnetMatchesPublishedFieldAndStride() {
    // Distill 2019: alexnet_v2 r = 195, S = 32, P = 64 with a VALID first conv; torchvision's
    // AlexNet pads its first conv by 2, which adds 2 to P
    assertField(analyze(Nets.alexnet(), 224), 195, 32, 66);
  }

  @Test
  void resnetsMatchPublishedFields() {
    // torchvision ResNet-18: 435 / 32 / 217; ResNet-50 v1.5 (stride on the 3x3 conv): 427 / 32 / 213
    assertField(analyze(Nets.resnet(new int[] {2, 2, 2, 2}, false), 224), 435, 32, 217);
    assertField(analyze(Nets.resnet(new int[] {3, 4, 6, 3}, true), 224), 427, 32, 213);
  }

  @Test
  void mobilenetV2MatchesItsLayerSum() {
    // stem 3 + 17 depthwise 3x3 convs: 1 + 2 * (1 + 2 + 2*4 + 3*8 + 7*16 + 4*32) ... = 491, P = 245
    assertField(analyze(Nets.mobilenetV2(), 224), 491, 32, 245);
  }

  @Test
  void dilatedStackFieldIsOnePlusTwiceTheDilations() {
    FieldReport r = analyze(Nets.dilated(1, 1, 2, 4, 8, 16, 1, 1), 256);
    assertField(r, 69, 1, 34); // models/training/nets.py: 1 + 2 * 34 = 69
    assertEquals(34, r.output().axis(0).reachBefore());
    assertEquals(34, r.output().axis(1).reachAfter());
    assertTrue(r.warnings().isEmpty() && r.aligned());
  }

  @Test
  void unetReachDependsOnPhaseAndItsMaximumIs23() {
    // models/training/export.py measured 23 before and 23 after on the zoo U-Net
    AxisField f = analyze(Nets.unet(), 256).output().axis(1);
    assertEquals(23, f.reachBefore());
    assertEquals(23, f.reachAfter());
    assertEquals(4, f.period());
    assertEquals(1, f.stride());
    // outputs 0, 1 see -22 .. 21 and outputs 2, 3 see -18 .. 25: the deepest path (stride 4)
    // decides, read through two up-samplings; output 1 reaches 23 before, output 2 23 after
    long[][] expected = {{-22, 21}, {-22, 21}, {-18, 25}, {-18, 25}, {-18, 25}};
    for (int u = 0; u < expected.length; u++) {
      assertEquals(expected[u][0], f.first(u), "first " + u);
      assertEquals(expected[u][1], f.last(u), "last " + u);
    }
    assertEquals(47, f.rf()); // the envelope u - 23 .. u + 23 over all phases
    assertEquals(0, f.misalignment());
  }

  @Test
  void branchesThatAgreeAreAligned() {
    FieldReport r = analyze(Nets.twoBranch(false), 64);
    assertTrue(r.aligned(), r.misaligned().toString());
    assertField(r, 7, 2, 3);
  }

  @Test
  void branchesThatDisagreeAreReportedWithTheirLayers() {
    FieldReport r = analyze(Nets.twoBranch(true), 64);
    assertEquals(2, r.misaligned().size()); // one per axis
    Misalignment m = r.misaligned().get(0);
    assertEquals("add5", m.layer());
    assertEquals(java.util.List.of("conv2", "conv4"), m.inputs());
    assertEquals(0.5, m.centres().get(1) - m.centres().get(0)); // 2v vs 2v + 0.5
  }
}
