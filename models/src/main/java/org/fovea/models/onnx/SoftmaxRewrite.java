package org.fovea.models.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A softmax over a non-negative axis (the channel axis of a segmentation head, {@code axis=1})
 * written out as {@code ReduceMax → Sub → Exp → ReduceSum → Div} over that axis: the same
 * computation (the outputs differ by float rounding, ~3e-8), but ONNX Runtime's CPU provider runs
 * a softmax over an inner axis with transposes around it, and the written-out form took 20% less
 * of nuclei-dilated's whole forward pass (BENCHMARKS.md). Softmax nodes of opset 13 and later are
 * rewritten (earlier opsets flatten the input to 2D first, another computation); a graph without
 * one, or with external data, is left alone.
 *
 * @since 0.5.0
 */
public final class SoftmaxRewrite {

  private SoftmaxRewrite() {}

  /**
   * @param model an ONNX model's bytes
   * @return the model with its softmaxes over non-negative axes written out, or null when it has
   *     none (or cannot be rewritten: unreadable, external data, opset before 13)
   */
  public static byte[] rewrite(byte[] model) {
    if (!contains(model, "Softmax".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      return null; // no softmax node can be there: the graph is not parsed at all
    }
    OnnxModel parsed;
    ProtoMessage top;
    try {
      top = ProtoMessage.parse(model);
      parsed = OnnxModel.parse(model, java.nio.file.Path.of("model.onnx"));
    } catch (RuntimeException e) {
      return null; // ONNX Runtime says what is wrong with it when it loads the file
    }
    long opset = parsed.opsetVersion();
    List<OnnxNode> softmaxes = parsed.graph().nodes().stream()
        .filter(n -> n.opType().equals("Softmax") && (n.domain().isEmpty()
            || n.domain().equals("ai.onnx")) && n.intAttribute("axis", -1) >= 0)
        .toList();
    ProtoMessage.Field g = top.first(7);
    if (softmaxes.isEmpty() || opset < 13 || g == null) {
      return null;
    }
    ProtoMessage graph = g.message();
    for (ProtoMessage.Field f : graph.all(5)) {
      if (f.message().first(14) != null && f.message().first(14).value() == 1) {
        return null; // external data: ONNX Runtime reads it next to the file
      }
    }
    Set<String> names = new HashSet<>(parsed.graph().initializers().keySet());
    parsed.graph().nodes().forEach(n -> {
      names.addAll(n.outputs());
      names.addAll(n.inputs());
      names.add(n.name());
    });
    List<ProtoMessage.Field> fields = new ArrayList<>();
    List<ProtoMessage> inits = new ArrayList<>();
    for (ProtoMessage.Field f : graph.fields) {
      if (f.number() != 1) {
        fields.add(f);
        continue;
      }
      ProtoMessage n = f.message();
      String op = n.string(4, "");
      String domain = n.string(7, "");
      long axis = -1;
      for (ProtoMessage.Field a : n.all(5)) {
        ProtoMessage am = a.message();
        if (am.string(1, "").equals("axis") && am.first(3) != null) {
          axis = am.first(3).value();
        }
      }
      if (!op.equals("Softmax") || !(domain.isEmpty() || domain.equals("ai.onnx")) || axis < 0) {
        fields.add(f);
        continue;
      }
      String x = n.strings(1).get(0);
      String y = n.strings(2).get(0);
      String base = GraphNames.fresh(names, y + "_fovea_softmax");
      String axes = GraphNames.fresh(names, base + "_axes");
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(axis);
      inits.add(new ProtoMessage().varint(1, 1).varint(2, OnnxTensor.INT64).addString(8, axes)
          .bytes(9, b.array()));
      String max = GraphNames.fresh(names, base + "_max");
      String sub = GraphNames.fresh(names, base + "_sub");
      String exp = GraphNames.fresh(names, base + "_exp");
      String sum = GraphNames.fresh(names, base + "_sum");
      ProtoMessage reduceMax = node("ReduceMax", opset >= 18 ? List.of(x, axes) : List.of(x),
          max, GraphNames.fresh(names, max + "_node"));
      if (opset < 18) {
        reduceMax.message(5, new ProtoMessage().addString(1, "axes").varint(8, axis)
            .varint(20, 7));
      }
      reduceMax.message(5, new ProtoMessage().addString(1, "keepdims").varint(3, 1).varint(20, 2));
      ProtoMessage reduceSum = node("ReduceSum", List.of(exp, axes), sum,
          GraphNames.fresh(names, sum + "_node"));
      reduceSum.message(5, new ProtoMessage().addString(1, "keepdims").varint(3, 1).varint(20, 2));
      for (ProtoMessage m : List.of(reduceMax,
          node("Sub", List.of(x, max), sub, GraphNames.fresh(names, sub + "_node")),
          node("Exp", List.of(sub), exp, GraphNames.fresh(names, exp + "_node")), reduceSum,
          node("Div", List.of(exp, sum), y, GraphNames.fresh(names, y + "_fovea_div")))) {
        fields.add(new ProtoMessage.Field(1, ProtoReader.LEN, 0, m.encode()));
      }
    }
    for (ProtoMessage t : inits) {
      fields.add(new ProtoMessage.Field(5, ProtoReader.LEN, 0, t.encode()));
    }
    List<ProtoMessage.Field> m = new ArrayList<>();
    for (ProtoMessage.Field f : top.fields) {
      m.add(f.number() == 7
          ? new ProtoMessage.Field(7, ProtoReader.LEN, 0, new ProtoMessage(fields).encode()) : f);
    }
    return new ProtoMessage(m).encode();
  }

  /** @return whether the bytes hold the pattern somewhere */
  private static boolean contains(byte[] bytes, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= bytes.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static ProtoMessage node(String op, List<String> in, String out, String name) {
    ProtoMessage n = new ProtoMessage();
    in.forEach(i -> n.addString(1, i));
    return n.addString(2, out).addString(3, name).addString(4, op);
  }
}
