package org.fovea.models.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.models.onnx.OnnxTensor;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.UnsupportedLayers;
import org.junit.jupiter.api.Test;

/** Graphs the analysis refuses, each with one sentence; and weights stripped to their dims. */
class BadGraphsTest {

  @Test
  void anUnknownOpIsNamedWithItsDomain() {
    UnsupportedLayers e = assertThrows(UnsupportedLayers.class, () -> Graphs.onnx("unknown_op"));
    assertEquals(List.of("'mystery' (org.fovea.test.FoveaMystery)"), e.layers());
    assertTrue(e.getMessage().contains("unknown_op.onnx has a layer whose geometry"),
        e.getMessage());
  }

  @Test
  void instanceNormalizationIsUnsupportedBecauseItSeesTheWholeImage() {
    UnsupportedLayers e = assertThrows(UnsupportedLayers.class, () -> Graphs.onnx("instance_norm"));
    assertEquals(List.of("'inorm' (InstanceNormalization)"), e.layers());
  }

  @Test
  void aCycleIsRejected() {
    FoveaException e = assertThrows(FoveaException.class, () -> Graphs.onnx("cycle"));
    assertTrue(e.getMessage().contains("cycle.onnx has a cycle through [Add node 'add_a'"),
        e.getMessage());
    assertFalse(e instanceof UnsupportedLayers);
  }

  @Test
  void noSpatialAxesIsRejected() {
    FoveaException e = assertThrows(FoveaException.class, () -> Graphs.onnx("no_spatial"));
    assertTrue(e.getMessage().contains("no_spatial.onnx has no spatial axes"), e.getMessage());
  }

  @Test
  void strippedWeightsKeepTheirDims() {
    OnnxModel m = OnnxModel.read(Graphs.file("vgg16.onnx"));
    OnnxTensor w = m.graph().initializers().get("features.0.weight");
    assertFalse(w.hasValues());
    assertEquals("[64, 3, 3, 3]", Arrays.toString(w.dims()));
    IllegalStateException e = assertThrows(IllegalStateException.class, w::floats);
    assertTrue(e.getMessage().contains("no stored values"), e.getMessage());
  }

  @Test
  void resnet152AnalysisTakesUnder100Milliseconds() {
    ModelGraph g = Graphs.onnx("resnet152");
    assertTrue(g.graph().layers().size() > 350, "" + g.graph().layers().size());
    long[] size = {224, 224};
    double[] ms = new double[15];
    for (int i = -5; i < ms.length; i++) {
      long t = System.nanoTime();
      Graphs.analyze(g, size);
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
    }
    Arrays.sort(ms);
    assertTrue(ms[ms.length / 2] < 100, "median " + ms[ms.length / 2] + " ms");
    // torchvision ResNet-152: 3 + 8 + 36 + 3 bottlenecks, stride on each stage's first 3x3
    assertEquals(1451, Graphs.featureMap(g, Graphs.analyze(g, size)).axis(0).rf());
  }
}
