package org.fovea.models.graph;

import org.fovea.models.onnx.OnnxAttribute;
import org.fovea.models.onnx.OnnxGraph;
import org.fovea.models.onnx.OnnxNode;
import org.fovea.models.onnx.OnnxTensor;
import org.fovea.ops.rf.PadMode;
import org.fovea.ops.rf.Window;

/** Constant values and sliding windows of ONNX nodes, for the layer-graph builder. */
final class OnnxConstants {

  private final OnnxGraph g;

  OnnxConstants(OnnxGraph g) {
    this.g = g;
  }

  /** @return the constant tensor of a value (initializer or Constant node), or null */
  OnnxTensor tensor(String value) {
    if (value.isEmpty()) {
      return null;
    }
    OnnxTensor t = g.initializers().get(value);
    if (t != null) {
      return t;
    }
    OnnxNode p = g.producer(value);
    if (p != null && p.opType().equals("Identity")) {
      return tensor(p.input(0)); // exporters share equal initializers through Identity nodes
    }
    if (p != null && p.opType().equals("Constant") && p.attribute("value") != null
        && p.attribute("value").kind() == OnnxAttribute.Kind.TENSOR) {
      return p.attribute("value").tensor();
    }
    return null;
  }

  /** @return the dims of a constant value, or null */
  long[] dims(String value) {
    OnnxTensor t = tensor(value);
    return t == null ? null : t.dims();
  }

  /** @return the integer values of a constant, or null (also for Constant value_ints) */
  long[] longs(String value) {
    OnnxTensor t = tensor(value);
    if (t != null) {
      return t.hasValues() && !t.isFloat() ? t.longs() : null;
    }
    OnnxNode p = value.isEmpty() ? null : g.producer(value);
    if (p != null && p.opType().equals("Constant")) {
      if (p.attribute("value_ints") != null) {
        return p.attribute("value_ints").ints();
      }
      if (p.attribute("value_int") != null) {
        return new long[] {p.attribute("value_int").i()};
      }
    }
    return null;
  }

  /** @return the float values of a constant, or null (also for Constant value_floats) */
  float[] floats(String value) {
    OnnxTensor t = tensor(value);
    if (t != null) {
      return t.hasValues() && t.isFloat() ? t.floats() : null;
    }
    OnnxNode p = value.isEmpty() ? null : g.producer(value);
    if (p != null && p.opType().equals("Constant") && p.attribute("value_floats") != null) {
      return p.attribute("value_floats").floats();
    }
    return null;
  }

  /**
   * The window of a Conv, ConvTranspose or pooling node.
   *
   * @param kernel the kernel per spatial axis
   * @return the window, or null when the node's auto_pad is unknown
   */
  static Window window(OnnxNode n, long[] kernel) {
    int a = kernel.length;
    long[] stride = n.intsAttribute("strides", ones(a));
    long[] dil = n.intsAttribute("dilations", ones(a));
    long[] pads = n.intsAttribute("pads", new long[2 * a]);
    long[] outPad = n.intsAttribute("output_padding", new long[a]);
    if (stride.length != a || dil.length != a || pads.length != 2 * a || outPad.length != a) {
      return null;
    }
    long[] begin = new long[a];
    long[] end = new long[a];
    for (int i = 0; i < a; i++) {
      begin[i] = pads[i];
      end[i] = pads[a + i];
    }
    PadMode mode = switch (n.stringAttribute("auto_pad", "NOTSET")) {
      case "NOTSET", "" -> PadMode.EXPLICIT;
      case "SAME_UPPER" -> PadMode.SAME_UPPER;
      case "SAME_LOWER" -> PadMode.SAME_LOWER;
      case "VALID" -> PadMode.VALID;
      default -> null;
    };
    if (mode == null) {
      return null;
    }
    return new Window(kernel, stride, dil, begin, end, mode, n.intAttribute("ceil_mode", 0) == 1,
        outPad);
  }

  static long[] ones(int n) {
    long[] o = new long[n];
    java.util.Arrays.fill(o, 1);
    return o;
  }

  static long product(long[] dims) {
    long p = 1;
    for (long d : dims) {
      p *= d;
    }
    return p;
  }

  /**
   * @param f a positive scale factor
   * @return {num, den} with den at most 64 and num / den equal to f within 1e-5, or null
   */
  static long[] rational(double f) {
    if (!(f > 0) || Double.isInfinite(f)) {
      return null;
    }
    for (long den = 1; den <= 64; den++) {
      long num = Math.round(f * den);
      if (num >= 1 && Math.abs((double) num / den - f) <= 1e-5 * Math.max(1, f)) {
        return new long[] {num, den};
      }
    }
    return null;
  }
}
