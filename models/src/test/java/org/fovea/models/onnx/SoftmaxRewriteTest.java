package org.fovea.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fovea.models.Zoo;
import org.fovea.models.engine.OnnxRuntimeEngine;
import org.fovea.models.pkg.WeightFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel softmax written out: ONNX Runtime runs the rewritten nuclei-dilated graph without a
 * Softmax node, and its probabilities equal the Softmax's within float rounding on a random
 * input; a graph without a softmax over a non-negative axis is left alone.
 */
class SoftmaxRewriteTest {

  @Test
  void theWrittenOutSoftmaxGivesTheSameProbabilities(@TempDir Path dir) throws Exception {
    Path w = Zoo.resolve("nuclei-dilated").weights().get(WeightFormat.ONNX);
    byte[] rewritten = SoftmaxRewrite.rewrite(Files.readAllBytes(w));
    assertNotNull(rewritten);
    Path file = dir.resolve("rewritten.onnx");
    Files.write(file, rewritten);
    Map<String, Integer> ops = OnnxRuntimeEngine.optimizedOperators(file);
    assertTrue(!ops.containsKey("Softmax") && ops.get("ReduceMax") == 1 && ops.get("Div") == 1,
        ops.toString());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int side = 200;
    float[] x = new float[side * side];
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 2);
    }
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        OrtSession a = env.createSession(w.toString(), o);
        OrtSession b = env.createSession(rewritten, o);
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
            new long[] {1, 1, side, side})) {
      String in = a.getInputNames().iterator().next();
      float[] ya;
      float[] yb;
      try (OrtSession.Result ra = a.run(Map.of(in, t)); OrtSession.Result rb = b.run(Map.of(in, t))) {
        ya = ((OnnxTensor) ra.get(0)).getFloatBuffer().array();
        yb = ((OnnxTensor) rb.get(0)).getFloatBuffer().array();
      }
      assertEquals(ya.length, yb.length);
      double max = 0;
      for (int i = 0; i < ya.length; i++) {
        max = Math.max(max, Math.abs(ya[i] - yb[i]));
      }
      assertTrue(max < 1e-6, "written-out softmax differs by " + max);
    }
    // nuclei-star ends in a sigmoid: nothing to rewrite
    assertNull(SoftmaxRewrite.rewrite(Files.readAllBytes(
        Zoo.resolve("nuclei-star").weights().get(WeightFormat.ONNX))));
  }
  /** A graph of one Softmax over axis 1 of a 1 x 3 x 4 x 5 input, in the given opset. */
  private static byte[] softmaxGraph(long opset) {
    ProtoMessage node = new ProtoMessage().addString(1, "x").addString(2, "y")
        .addString(3, "sm").addString(4, "Softmax")
        .message(5, new ProtoMessage().addString(1, "axis").varint(3, 1).varint(20, 2));
    ProtoMessage shape = new ProtoMessage();
    for (long d : new long[] {1, 3, 4, 5}) {
      shape.message(1, new ProtoMessage().varint(1, d));
    }
    ProtoMessage type = new ProtoMessage().message(1, new ProtoMessage().varint(1, 1)
        .message(2, shape));
    ProtoMessage graph = new ProtoMessage().message(1, node).addString(2, "g")
        .message(11, new ProtoMessage().addString(1, "x").message(2, type))
        .message(12, new ProtoMessage().addString(1, "y").message(2, type));
    return new ProtoMessage().varint(1, 8).message(7, graph)
        .message(8, new ProtoMessage().addString(1, "").varint(2, opset)).encode();
  }

  @Test
  void opsetsWithAxesAsAttributeOrAsInputBothRunAndOldOpsetsAreLeftAlone() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] x = new float[60];
    java.util.Random r = new java.util.Random(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 3);
    }
    for (long opset : new long[] {13, 17, 18}) {
      byte[] original = softmaxGraph(opset);
      byte[] rewritten = SoftmaxRewrite.rewrite(original);
      assertNotNull(rewritten, "opset " + opset);
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
          OrtSession a = env.createSession(original, o);
          OrtSession b = env.createSession(rewritten, o);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
              new long[] {1, 3, 4, 5});
          OrtSession.Result ra = a.run(Map.of("x", t));
          OrtSession.Result rb = b.run(Map.of("x", t))) {
        float[] ya = ((OnnxTensor) ra.get(0)).getFloatBuffer().array();
        float[] yb = ((OnnxTensor) rb.get(0)).getFloatBuffer().array();
        for (int i = 0; i < ya.length; i++) {
          assertEquals(ya[i], yb[i], 1e-6, "opset " + opset + ", value " + i);
        }
      }
    }
    // before opset 13 a softmax flattens its input to 2D first: another computation, left alone
    assertNull(SoftmaxRewrite.rewrite(softmaxGraph(11)));
  }
}
