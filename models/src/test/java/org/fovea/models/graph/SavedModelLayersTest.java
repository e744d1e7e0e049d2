package org.fovea.models.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fovea.models.tf.OnnxToSavedModel;
import org.fovea.models.tf.TensorFlowEngine;
import org.fovea.ops.net.Axes;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.LayerKind;
import org.fovea.ops.rf.ReceptiveFields;
import org.fovea.ops.rf.UnsupportedLayers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** SavedModel GraphDefs: hand-built NHWC graphs and the project's converter's output. */
class SavedModelLayersTest {

  @TempDir
  Path tmp;

  private static AttrValue s(String v) {
    return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(v)).build();
  }

  private static AttrValue list(long... v) {
    AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
    for (long x : v) {
      l.addI(x);
    }
    return AttrValue.newBuilder().setList(l).build();
  }

  private static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (long d : dims) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }

  private static NodeDef node(String name, String op, String... in) {
    NodeDef.Builder b = NodeDef.newBuilder().setName(name).setOp(op);
    for (String i : in) {
      b.addInput(i);
    }
    return b.build();
  }

  private static NodeDef with(NodeDef n, String key, AttrValue v) {
    return n.toBuilder().putAttr(key, v).build();
  }

  /** A float Const with a shape and no values (only its dims matter). */
  private static NodeDef filter(String name, long... dims) {
    return with(node(name, "Const"), "value", AttrValue.newBuilder().setTensor(TensorProto
        .newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(dims))).build());
  }

  private static NodeDef ints(String name, int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putInt(x);
    }
    return with(node(name, "Const"), "value", AttrValue.newBuilder().setTensor(TensorProto
        .newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(v.length))
        .setTensorContent(ByteString.copyFrom(b.array()))).build());
  }

  private Path save(GraphDef g, String input, String output) throws Exception {
    SignatureDef sig = SignatureDef.newBuilder()
        .putInputs("x", TensorInfo.newBuilder().setName(input + ":0")
            .setTensorShape(shape(-1, -1, -1, 3)).build())
        .putOutputs("y", TensorInfo.newBuilder().setName(output + ":0").build()).build();
    MetaGraphDef mg = MetaGraphDef.newBuilder().setGraphDef(g)
        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
        .putSignatureDef("serving_default", sig).build();
    Path dir = Files.createDirectories(tmp.resolve("saved"));
    Files.write(dir.resolve("saved_model.pb"), SavedModel.newBuilder().addMetaGraphs(mg).build()
        .toByteArray());
    return dir;
  }

  /**
   * Conv2D SAME 3x3/2, Conv2D EXPLICIT (1 before, 0 after) 2x2 dilated 2, MaxPool VALID 3/2, nearest
   * resize by shape * 2, a concat, softmax; NHWC with channels guessed from the signature.
   */
  @Test
  void handBuiltNhwcGraph() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(node("x", "Placeholder"))
        .addNode(filter("f1", 3, 3, 3, 8))
        .addNode(with(with(node("c1", "Conv2D", "x", "f1"), "strides", list(1, 2, 2, 1)),
            "padding", s("SAME")))
        .addNode(node("r1", "Relu", "c1"))
        .addNode(filter("f2", 2, 2, 8, 8))
        .addNode(with(with(with(node("c2", "Conv2D", "r1", "f2"), "padding", s("EXPLICIT")),
            "explicit_paddings", list(0, 0, 1, 0, 1, 0, 0, 0)), "dilations", list(1, 2, 2, 1)))
        .addNode(with(with(with(node("p", "MaxPool", "c2"), "ksize", list(1, 3, 3, 1)), "strides",
            list(1, 2, 2, 1)), "padding", s("VALID")))
        .addNode(node("shape", "Shape", "p"))
        .addNode(ints("b", 1)).addNode(ints("e", 3)).addNode(ints("st", 1))
        .addNode(node("hw", "StridedSlice", "shape", "b", "e", "st"))
        .addNode(ints("two", 2, 2))
        .addNode(node("size", "Mul", "hw", "two"))
        .addNode(node("up", "ResizeNearestNeighbor", "p", "size"))
        .addNode(node("r2", "Relu", "up"))
        .addNode(ints("axis", 3))
        .addNode(node("cat", "ConcatV2", "up", "r2", "axis"))
        .addNode(node("out", "Softmax", "cat")).build();
    ModelGraph m = SavedModelLayers.read(save(g, "x", "out"), null);
    assertEquals(2, m.graph().spatialAxes());
    FieldReport r = ReceptiveFields.analyze(m.graph(), new long[] {64, 64});
    AxisField f = r.output().axis(0);
    // c1: 2v .. 2v + 2; c2: 2v - 2 .. 2v + 4; pool: 4w - 2 .. 4w + 8; up: 4 floor(u / 2) - 2 ..
    assertEquals(30, f.size());
    assertEquals(2, f.period());
    assertArrayEquals(new long[] {-2, -2}, f.lo());
    assertArrayEquals(new long[] {8, 8}, f.hi());
    assertEquals(4, f.reachBefore());
    assertEquals(7, f.reachAfter());
    assertEquals(13, f.rf());
    assertEquals(LayerKind.CONCAT, r.layer("cat").kind());
    assertEquals(8 * 3 * 9 + 8 * 8 * 4, r.params());
  }

  @Test
  void anUnknownOpIsNamed() throws Exception {
    GraphDef g = GraphDef.newBuilder().addNode(node("x", "Placeholder"))
        .addNode(node("fft", "FFT2D", "x")).addNode(node("out", "Relu", "fft")).build();
    UnsupportedLayers e = assertThrows(UnsupportedLayers.class,
        () -> SavedModelLayers.read(save(g, "x", "out"), null));
    assertEquals(java.util.List.of("'fft' (FFT2D)"), e.layers());
  }

  @Test
  void convertedUnetMatchesItsOnnxGraph() {
    String why = new TensorFlowEngine().unavailableReason();
    assumeTrue(why == null, why);
    Path saved = tmp.resolve("unet");
    OnnxToSavedModel.convert(Graphs.file("unet_small.onnx"), saved);
    ModelGraph tf = SavedModelLayers.read(saved, Axes.of("bcyx"));
    long[] size = {96, 128};
    FieldReport a = ReceptiveFields.analyze(Graphs.onnx("unet_small").graph(), size);
    FieldReport b = ReceptiveFields.analyze(tf.graph(), size);
    assertEquals(a.output().axes(), b.output().axes());
    assertEquals(a.params(), b.params());
    assertTrue(b.layers().stream().anyMatch(l -> l.opType().equals("ResizeNearestNeighbor")));
  }
}
