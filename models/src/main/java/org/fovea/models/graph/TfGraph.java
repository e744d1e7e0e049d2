package org.fovea.models.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** A TensorFlow GraphDef by node name: data inputs, consumers and constant values. */
final class TfGraph {

  final Map<String, NodeDef> nodes = new LinkedHashMap<>();
  private final Map<String, List<NodeDef>> consumers = new HashMap<>();

  TfGraph(GraphDef g) {
    for (NodeDef n : g.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    for (NodeDef n : g.getNodeList()) {
      for (String in : data(n)) {
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
      }
    }
  }

  /** @return a value's canonical name: {@code node} for output 0, else {@code node:k} */
  static String value(String ref) {
    return ref.endsWith(":0") ? ref.substring(0, ref.length() - 2) : ref;
  }

  /** @return the node that writes a value */
  NodeDef producer(String value) {
    int colon = value.lastIndexOf(':');
    return nodes.get(colon > 0 ? value.substring(0, colon) : value);
  }

  /** @return the data inputs of a node (control inputs dropped), as canonical value names */
  static List<String> data(NodeDef n) {
    List<String> l = new ArrayList<>();
    for (String in : n.getInputList()) {
      if (!in.startsWith("^")) {
        l.add(value(in));
      }
    }
    return l;
  }

  /** @return the nodes that read a value */
  List<NodeDef> consumers(String value) {
    return consumers.getOrDefault(value, List.of());
  }

  /** @return the Const tensor behind a value (through Identity), or null */
  TensorProto constant(String value) {
    NodeDef n = producer(value);
    while (n != null && n.getOp().equals("Identity")) {
      n = producer(data(n).get(0));
    }
    return n != null && n.getOp().equals("Const") ? n.getAttrOrThrow("value").getTensor() : null;
  }

  /** @return the dims of a constant or variable value, or null */
  long[] dims(String value) {
    TensorProto t = constant(value);
    if (t != null) {
      return dims(t.getTensorShape());
    }
    NodeDef n = producer(value);
    while (n != null && (n.getOp().equals("Identity") || n.getOp().equals("ReadVariableOp"))) {
      n = producer(data(n).get(0));
    }
    if (n != null && (n.getOp().startsWith("Variable") || n.getOp().equals("VarHandleOp"))
        && n.containsAttr("shape")) {
      return dims(n.getAttrOrThrow("shape").getShape());
    }
    return null;
  }

  static long[] dims(TensorShapeProto s) {
    return s.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  /** @return the integer values of a constant value, or null */
  long[] longs(String value) {
    TensorProto t = constant(value);
    if (t == null || (t.getDtype() != DataType.DT_INT32 && t.getDtype() != DataType.DT_INT64)) {
      return null;
    }
    long n = OnnxConstants.product(dims(t.getTensorShape()));
    boolean wide = t.getDtype() == DataType.DT_INT64;
    long[] r = new long[(int) n];
    if (!t.getTensorContent().isEmpty()) {
      ByteBuffer b = ByteBuffer.wrap(t.getTensorContent().toByteArray())
          .order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        r[i] = wide ? b.getLong() : b.getInt();
      }
      return r;
    }
    List<? extends Number> vals = wide ? t.getInt64ValList() : t.getIntValList();
    if (vals.isEmpty()) {
      return n == 0 ? r : null;
    }
    for (int i = 0; i < n; i++) {
      r[i] = vals.get(Math.min(i, vals.size() - 1)).longValue(); // a single value fills all
    }
    return r;
  }

  static String string(NodeDef n, String attr, String fallback) {
    AttrValue v = n.getAttrMap().get(attr);
    return v == null ? fallback : v.getS().toStringUtf8();
  }

  static long[] ints(NodeDef n, String attr) {
    AttrValue v = n.getAttrMap().get(attr);
    return v == null ? null : v.getList().getIList().stream().mapToLong(Long::longValue).toArray();
  }

  static boolean bool(NodeDef n, String attr) {
    AttrValue v = n.getAttrMap().get(attr);
    return v != null && v.getB();
  }
}
