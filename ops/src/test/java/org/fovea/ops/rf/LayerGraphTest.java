package org.fovea.ops.rf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;

/** Malformed graphs and inputs: one sentence each. */
class LayerGraphTest {

  private static final long[] ONE = {1, 1};

  @Test
  void aCycleIsRejectedWithTheLayersOnIt() {
    LayerGraph.Builder b = LayerGraph.builder("loop.onnx", 2).layer(Layer.input("x"))
        .layer(Layer.merge("a", "Add", LayerKind.ADD, List.of("x", "b")))
        .layer(Layer.pointwise("b", "Relu", "a", 0)).output("b");
    FoveaException e = assertThrows(FoveaException.class, b::build);
    assertTrue(e.getMessage().startsWith("loop.onnx has a cycle through layers [a, b]"),
        e.getMessage());
  }

  @Test
  void noSpatialAxesIsRejected() {
    FoveaException e = assertThrows(FoveaException.class, () -> LayerGraph.builder("dense.onnx", 0));
    assertTrue(e.getMessage().contains("dense.onnx has no spatial axes"), e.getMessage());
  }

  @Test
  void aMissingReferenceIsRejected() {
    LayerGraph.Builder b = LayerGraph.builder("cut.onnx", 2).layer(Layer.input("x"))
        .layer(Layer.pointwise("r", "Relu", "gone", 0)).output("r");
    FoveaException e = assertThrows(FoveaException.class, b::build);
    assertTrue(e.getMessage().contains("reads 'gone', which is no layer"), e.getMessage());
  }

  @Test
  void aTooSmallInputNamesTheLayerAndTheSmallestSize() {
    FoveaException e = assertThrows(FoveaException.class,
        () -> ReceptiveFields.analyze(Nets.vgg16(), new long[] {16, 224}));
    assertTrue(e.getMessage().contains("would have 0 outputs on spatial axis 0")
        && e.getMessage().contains("at least 32"), e.getMessage());
  }

  @Test
  void unetInputsOffTheSizeStepMakeJoinedSizesDiffer() {
    FoveaException e = assertThrows(FoveaException.class,
        () -> ReceptiveFields.analyze(Nets.unet(), new long[] {66, 64}));
    assertTrue(e.getMessage().contains("joins inputs of sizes [32, 33]"), e.getMessage());
  }

  @Test
  void paramsAndFlopsAddUp() {
    LayerGraph g = LayerGraph.builder("tiny", 2).layer(Layer.input("x"))
        .layer(Layer.conv("c", "Conv", "x", Window.explicit(new long[] {3, 3}, ONE, ONE, ONE, ONE),
            4 * 9 + 4, 4 * 9))
        .output("c").build();
    FieldReport r = ReceptiveFields.analyze(g, new long[] {10, 20});
    assertEquals(40, r.params());
    assertEquals(2.0 * 36 * 200, r.flops());
  }
}
