package org.fovea.models.tf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.models.onnx.OnnxAttribute;
import org.fovea.models.onnx.OnnxGraph;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.models.onnx.OnnxNode;
import org.fovea.models.onnx.OnnxTensor;
import org.fovea.models.onnx.OnnxValueInfo;
import org.fovea.ops.net.FoveaException;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Builds, in a TensorFlow graph, the function of an ONNX graph of 2D convolutional layers. Values
 * flow in NHWC inside; the inputs and outputs keep ONNX's NCHW layout and names.
 *
 * <p>Only the nodes that the outputs depend on are translated, so shape arithmetic that merely
 * feeds a Resize with constant scales is ignored.
 */
final class OnnxTranslator {

  /** The ONNX operators this translator handles. */
  static final List<String> SUPPORTED = List.of("Conv", "Relu", "Sigmoid", "MaxPool", "Resize",
      "Concat", "Softmax", "Add", "Mul", "Identity", "Constant");

  private final OnnxModel model;
  private final OnnxGraph graph;
  private final Ops root;
  private final Ops tf;
  private final TfLayers layers;
  private final Map<String, Operand<TFloat32>> values = new HashMap<>();
  private final Map<String, OnnxTensor> constants = new HashMap<>();

  OnnxTranslator(OnnxModel model, Ops tf, boolean nativeDilation) {
    this.model = model;
    this.graph = model.graph();
    this.root = tf;
    this.tf = tf.withSubScope("onnx");
    this.layers = new TfLayers(tf, nativeDilation);
    constants.putAll(graph.initializers());
    for (OnnxNode n : graph.nodes()) {
      if (n.opType().equals("Constant") && n.domain().isEmpty()) {
        OnnxAttribute v = n.attribute("value");
        if (v != null && v.kind() == OnnxAttribute.Kind.TENSOR) {
          constants.put(n.outputs().get(0), v.tensor());
        }
      }
    }
  }

  /**
   * Translates the graph. Inputs and outputs are named after the ONNX values at the graph's root;
   * everything else lies under the name scope {@code onnx/}, so names cannot clash.
   *
   * @return the serving signature: ONNX input and output names as keys
   * @throws FoveaException naming the first operator or attribute that cannot be translated
   */
  Signature translate() {
    Signature.Builder sig = Signature.builder().key(Signature.DEFAULT_KEY);
    Set<String> names = new HashSet<>();
    for (OnnxValueInfo in : graph.inputs()) {
      if (in.elemType() != OnnxTensor.FLOAT || in.rank() != 4) {
        throw fail("input '" + in.name() + "' is not a 4D float tensor (NCHW)");
      }
      long[] d = in.dims();
      Placeholder<TFloat32> p = root.withName(opName(in.name(), names)).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(d)));
      values.put(in.name(), tf.linalg.transpose(p, tf.constant(new int[] {0, 2, 3, 1})));
      sig.input(in.name(), p);
    }
    Set<OnnxNode> needed = needed();
    for (OnnxNode n : graph.nodes()) {
      if (needed.contains(n)) {
        translate(n);
      }
    }
    for (OnnxValueInfo out : graph.outputs()) {
      Operand<TFloat32> v = value(out.name(), null);
      sig.output(out.name(), root.withName(opName(out.name(), names)).linalg.transpose(v,
          tf.constant(new int[] {0, 3, 1, 2})));
    }
    return sig.build();
  }

  /** Walks back from the outputs along the tensors that carry image data. */
  private Set<OnnxNode> needed() {
    Set<OnnxNode> nodes = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    graph.outputs().forEach(o -> todo.add(o.name()));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String v = todo.pop();
      OnnxNode n = graph.producer(v);
      if (!seen.add(v) || n == null || constants.containsKey(v)) {
        continue;
      }
      nodes.add(n);
      List<String> ins = switch (n.opType()) {
        case "Conv", "MaxPool", "Resize" -> List.of(n.input(0));
        default -> n.inputs();
      };
      ins.stream().filter(s -> !s.isEmpty()).forEach(todo::add);
    }
    return nodes;
  }

  private void translate(OnnxNode n) {
    if (!n.domain().isEmpty() || !SUPPORTED.contains(n.opType())) {
      throw new FoveaException(model.file() + " uses the ONNX operator '" + n.opType() + "'"
          + (n.domain().isEmpty() ? "" : " of domain '" + n.domain() + "'")
          + (n.name().isEmpty() ? "" : " (node '" + n.name() + "')")
          + ", which OnnxToSavedModel cannot convert (it converts " + String.join(", ", SUPPORTED)
          + "): run this model with ONNX Runtime instead");
    }
    Operand<TFloat32> x = n.opType().equals("Constant") ? null : value(n.input(0), n);
    Operand<TFloat32> y = switch (n.opType()) {
      case "Conv" -> conv(n, x);
      case "Relu" -> tf.nn.relu(x);
      case "Sigmoid" -> tf.math.sigmoid(x);
      case "Identity" -> x;
      case "MaxPool" -> maxPool(n, x);
      case "Resize" -> resize(n, x);
      case "Concat" -> concat(n);
      case "Softmax" -> softmax(n, x);
      case "Add" -> tf.math.add(x, value(n.input(1), n));
      case "Mul" -> tf.math.mul(x, value(n.input(1), n));
      default -> throw fail(n.describe() + " makes a value that the outputs need");
    };
    if (n.outputs().size() > 1 && n.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty()
        && !graph.consumers(o).isEmpty())) {
      throw fail(n.describe() + " has a second output in use, which is not supported");
    }
    values.put(n.outputs().get(0), y);
  }

  private Operand<TFloat32> conv(OnnxNode n, Operand<TFloat32> x) {
    OnnxTensor w = constant(n, 1);
    long[] wd = w.dims();
    if (wd.length != 4) {
      throw fail(n.describe() + " is not a 2D convolution");
    }
    float[] bias = n.input(2).isEmpty() ? null : constant(n, 2).floats();
    long[] dil = n.intsAttribute("dilations", new long[] {1, 1});
    long[] strides = n.intsAttribute("strides", new long[] {1, 1});
    int group = (int) n.intAttribute("group", 1);
    long[] pads = pads(n, new long[] {wd[2], wd[3]}, dil, strides);
    if ((dil[0] > 1 || dil[1] > 1) && (strides[0] > 1 || strides[1] > 1)) {
      throw fail(n.describe() + " combines dilations " + Arrays.toString(dil) + " with strides "
          + Arrays.toString(strides) + ", which is not supported");
    }
    return layers.conv(x, w.floats(), wd, bias, pads, strides, dil, group);
  }

  private Operand<TFloat32> maxPool(OnnxNode n, Operand<TFloat32> x) {
    long[] k = n.intsAttribute("kernel_shape", null);
    if (k == null || k.length != 2) {
      throw fail(n.describe() + " is not a 2D pooling");
    }
    long[] dil = n.intsAttribute("dilations", new long[] {1, 1});
    if (dil[0] != 1 || dil[1] != 1 || n.intAttribute("ceil_mode", 0) != 0) {
      throw fail(n.describe() + " uses dilations or ceil_mode, which are not supported");
    }
    long[] strides = n.intsAttribute("strides", new long[] {1, 1});
    return layers.maxPool(x, k, strides, pads(n, k, dil, strides));
  }

  /** The explicit [top, left, bottom, right] padding of a Conv or MaxPool node. */
  private long[] pads(OnnxNode n, long[] kernel, long[] dil, long[] strides) {
    String auto = n.stringAttribute("auto_pad", "NOTSET");
    if (auto.equals("VALID")) {
      return new long[4];
    }
    if (auto.startsWith("SAME") && strides[0] == 1 && strides[1] == 1) {
      long th = (kernel[0] - 1) * dil[0];
      long tw = (kernel[1] - 1) * dil[1];
      boolean upper = auto.equals("SAME_UPPER");
      return new long[] {upper ? th / 2 : th - th / 2, upper ? tw / 2 : tw - tw / 2,
          upper ? th - th / 2 : th / 2, upper ? tw - tw / 2 : tw / 2};
    }
    if (!auto.equals("NOTSET")) {
      throw fail(n.describe() + " uses auto_pad " + auto + " with strides, which is not supported");
    }
    long[] p = n.intsAttribute("pads", new long[4]);
    if (p.length != 4 || Arrays.stream(p).anyMatch(v -> v < 0)) {
      throw fail(n.describe() + " has pads " + Arrays.toString(p) + ", not 4 non-negative values");
    }
    return p;
  }

  private Operand<TFloat32> resize(OnnxNode n, Operand<TFloat32> x) {
    String mode = n.stringAttribute("mode", "nearest");
    String coord = n.stringAttribute("coordinate_transformation_mode", "half_pixel");
    String round = n.stringAttribute("nearest_mode", "round_prefer_floor");
    boolean floor = coord.equals("asymmetric") && round.equals("floor");
    boolean centred = (coord.equals("half_pixel") || coord.equals("pytorch_half_pixel"))
        && round.startsWith("round_prefer");
    if (!mode.equals("nearest") || !(floor || centred)) {
      throw fail(n.describe() + " resizes with mode " + mode + ", " + coord + ", " + round
          + "; only nearest-neighbour upsampling by whole factors is supported");
    }
    String scales = model.opsetVersion() < 11 ? n.input(1) : n.input(2);
    if (scales.isEmpty() || !constants.containsKey(scales)) {
      throw fail(n.describe() + " has no constant scales (its output size is computed in the "
          + "graph); re-export it with a fixed scale_factor");
    }
    float[] s = constants.get(scales).floats();
    if (s.length != 4 || s[0] != 1 || s[1] != 1 || s[2] < 1 || s[3] < 1 || s[2] != (int) s[2]
        || s[3] != (int) s[3]) {
      throw fail(n.describe() + " has scales " + Arrays.toString(s)
          + "; only whole upsampling factors of rows and columns are supported");
    }
    // With whole factors, both supported coordinate rules pick in[floor(i / s)].
    return layers.upsampleNearest(x, (int) s[2], (int) s[3]);
  }

  private Operand<TFloat32> concat(OnnxNode n) {
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (String in : n.inputs()) {
      parts.add(value(in, n));
    }
    return tf.concat(parts, tf.constant(nhwcAxis(n, n.intAttribute("axis", 1))));
  }

  private Operand<TFloat32> softmax(OnnxNode n, Operand<TFloat32> x) {
    long axis = n.intAttribute("axis", model.opsetVersion() < 13 ? 1 : -1);
    int a = nhwcAxis(n, axis);
    if (model.opsetVersion() < 13 && Math.floorMod(axis, 4) != 3) {
      throw fail(n.describe() + " of opset " + model.opsetVersion()
          + " normalizes over several axes, which is not supported; re-export with opset 13 or "
          + "newer");
    }
    if (a == 3) {
      return tf.nn.softmax(x);
    }
    int[] perm = {0, 1, 2, 3};
    perm[a] = 3;
    perm[3] = a;
    Operand<TFloat32> t = tf.linalg.transpose(x, tf.constant(perm));
    return tf.linalg.transpose(tf.nn.softmax(t), tf.constant(perm));
  }

  /** Maps an NCHW axis (possibly negative) to its NHWC position. */
  private int nhwcAxis(OnnxNode n, long axis) {
    long a = axis < 0 ? axis + 4 : axis;
    if (a < 0 || a > 3) {
      throw fail(n.describe() + " uses axis " + axis + " of a 4D tensor");
    }
    return new int[] {0, 3, 1, 2}[(int) a];
  }

  /** The NHWC value of a name: a translated tensor, or a constant broadcast to NHWC. */
  private Operand<TFloat32> value(String name, OnnxNode user) {
    Operand<TFloat32> v = values.get(name);
    if (v != null) {
      return v;
    }
    OnnxTensor c = constants.get(name);
    if (c != null && c.isFloat() && c.dims().length <= 4) {
      return nhwcConstant(c);
    }
    throw fail((user == null ? "output '" + name + "'" : user.describe() + " input '" + name + "'")
        + " is not a float image tensor this converter can compute");
  }

  /** A float constant of rank up to 4, aligned to NCHW from the right, reordered to NHWC. */
  private Operand<TFloat32> nhwcConstant(OnnxTensor c) {
    long[] d = new long[] {1, 1, 1, 1};
    long[] cd = c.dims();
    System.arraycopy(cd, 0, d, 4 - cd.length, cd.length);
    float[] src = c.floats();
    float[] dst = new float[src.length];
    int nn = (int) d[0];
    int cc = (int) d[1];
    int hh = (int) d[2];
    int ww = (int) d[3];
    for (int b = 0; b < nn; b++) {
      for (int ch = 0; ch < cc; ch++) {
        for (int y = 0; y < hh; y++) {
          for (int x = 0; x < ww; x++) {
            dst[((b * hh + y) * ww + x) * cc + ch] = src[((b * cc + ch) * hh + y) * ww + x];
          }
        }
      }
    }
    return tf.constant(Shape.of(nn, hh, ww, cc), DataBuffers.of(dst, true, false));
  }

  private OnnxTensor constant(OnnxNode n, int input) {
    OnnxTensor t = constants.get(n.input(input));
    if (t == null || !t.isFloat()) {
      throw fail(n.describe() + " reads '" + n.input(input)
          + "' as weights, but it is not a float constant");
    }
    return t;
  }

  private FoveaException fail(String what) {
    return new FoveaException(model.file() + " cannot be converted to a SavedModel: " + what
        + "; run this model with ONNX Runtime instead");
  }

  /** A TensorFlow operation name for an ONNX value name, unique within {@code used}. */
  private static String opName(String onnx, Set<String> used) {
    String s = onnx.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) {
      s = "t" + s;
    }
    String u = s;
    for (int i = 1; !used.add(u); i++) {
      u = s + "_" + i;
    }
    return u;
  }
}
