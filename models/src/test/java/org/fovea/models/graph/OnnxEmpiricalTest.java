package org.fovea.models.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fovea.ops.net.Network;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.EmpiricalReach;
import org.fovea.ops.rf.FieldReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Small ONNX fixtures with (random) weights: the analytic reach, read from the graph, equals the
 * reach measured by perturbation on ONNX Runtime, and the analytic output size equals ORT's.
 */
class OnnxEmpiricalTest {

  /** Analyses and measures a fixture at one size; returns the analysis. */
  static FieldReport crossCheck(String name, long size) {
    ModelGraph g = Graphs.onnx(name);
    FieldReport r = Graphs.analyze(g, size, size);
    List<AxisField> out = r.output().axes();
    double[] stride = out.stream().mapToDouble(AxisField::stride).toArray();
    int phases = (int) Math.max(8, out.get(0).stride() * out.get(0).period());
    try (Network net = Graphs.ort(name)) {
      EmpiricalReach.Reach m = EmpiricalReach.measureAt(net, new long[] {size, size}, phases,
          stride);
      assertFalse(m.clipped(), name + " field reaches the border at " + size);
      assertArrayEquals(out.stream().mapToLong(AxisField::reachBefore).toArray(), m.before(),
          name + " before at " + size);
      assertArrayEquals(out.stream().mapToLong(AxisField::reachAfter).toArray(), m.after(),
          name + " after at " + size);
      long[] shape = net.predict(org.fovea.ops.net.Tensor.zeros(net.inputs().get(0).axes(), 1, 1,
          size, size)).shape();
      assertEquals(out.get(0).size(), shape[2], name + " output size");
    }
    return r;
  }

  @Test
  void dilatedStackReaches15() {
    FieldReport r = crossCheck("dilated_stack", 96);
    assertEquals(31, r.output().axis(0).rf()); // 1 + 2 * (1 + 2 + 4 + 8)
    assertEquals(15, r.output().axis(1).reachBefore());
  }

  @Test
  void branchesThatAgree() {
    FieldReport r = crossCheck("two_branch_agree", 64);
    assertTrue(r.aligned(), r.misaligned().toString());
  }

  @Test
  void branchesThatDisagreeAreReportedMisaligned() {
    FieldReport r = crossCheck("two_branch_misaligned", 64);
    assertEquals(2, r.misaligned().size());
    assertEquals("/Add", r.misaligned().get(0).layer());
    assertEquals(List.of("/main/main.2/Conv", "/short/short.1/Conv"),
        r.misaligned().get(0).inputs());
  }

  @Test
  void unetReachIsTheMaximumOverPhases() {
    FieldReport r = crossCheck("unet_small", 128);
    assertEquals(23, r.output().axis(0).reachBefore());
    assertEquals(23, r.output().axis(0).reachAfter());
    assertEquals(4, r.output().axis(0).period());
  }

  @Test
  void decoderWithTransposedConvolutionAndBilinearResize() {
    FieldReport r = crossCheck("decoder", 64); // 64 -> 32 -> 64 -> 128 -> 128
    assertEquals(128, r.output().axis(0).size());
    assertEquals(0.5, r.output().axis(0).stride());
  }

  /** Stride-2 SAME_UPPER: the seed cases, measured on ORT's own SAME padding. */
  @ParameterizedTest
  @CsvSource({"same_k3, 17, 0", "same_k3, 16, 0.5", "same_k2, 16, 0", "same_k2, 17, 0.5"})
  void sameSeedCases(String name, long size, double shift) {
    FieldReport r = crossCheck(name, size);
    assertEquals(shift, r.output().axis(0).shift());
    assertEquals(shift, r.misalignmentPx()[1]);
  }

  @Test
  void accumulatedShiftAtTwoSizes() {
    // five stride-2 SAME 3x3 convs: every input even at 224 (0.5 * 31 = 15.5 px), odd at 225
    FieldReport even = crossCheck("same_deep", 224);
    assertEquals(15.5, even.misalignmentPx()[0]);
    assertArrayEquals(new long[] {193, 225}, even.alignedSizes()[0]);
    assertEquals(0, even.output().axis(0).reachBefore()); // the grid sits late: all reach is after
    assertEquals(31, even.output().axis(0).reachAfter());
    FieldReport odd = crossCheck("same_deep", 225);
    assertEquals(0, odd.misalignmentPx()[0]);
    assertEquals(31, odd.output().axis(0).reachBefore());
  }
}
