package org.fovea.models.graph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fovea.models.graph.SavedModelLayers.Layout;
import org.fovea.ops.rf.Layer;
import org.fovea.ops.rf.LayerKind;
import org.fovea.ops.rf.PadMode;
import org.fovea.ops.rf.Resize;
import org.fovea.ops.rf.Window;
import org.tensorflow.proto.NodeDef;

/** Turns one TensorFlow node that reads the image into a layer, or records it as unsupported. */
final class TfOps {

  private static final Set<String> POINTWISE = Set.of("Identity", "StopGradient", "Snapshot",
      "Relu", "Relu6", "Elu", "Selu", "Sigmoid", "Tanh", "LeakyRelu", "Softplus", "Softsign",
      "Cast", "Square", "Sqrt", "Rsqrt", "Exp", "Log", "Neg", "Abs", "Erf", "LRN", "BiasAdd",
      "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "Floor", "Round", "Sign");
  private static final Set<String> ELEMENTWISE = Set.of("Add", "AddV2", "Sub", "Mul", "RealDiv",
      "Maximum", "Minimum", "SquaredDifference", "AddN", "Pow", "SelectV2");
  private static final Set<String> SHAPE_ONLY = Set.of("Shape", "ShapeN", "Size", "Rank");

  private final SavedModelLayers w;
  private final TfGraph g;
  private final int axes;

  TfOps(SavedModelLayers w) {
    this.w = w;
    this.g = w.g;
    this.axes = w.layouts.values().iterator().next().spatial().length;
  }

  void add(NodeDef n) {
    String op = n.getOp();
    if (SHAPE_ONLY.contains(op)) {
      return;
    }
    List<String> data = TfGraph.data(n);
    String in = data.get(0);
    String name = w.unique(n.getName());
    Layout lay = w.layouts.get(in);
    if (ELEMENTWISE.contains(op) || op.equals("ConcatV2")) {
      join(n, name, op.equals("ConcatV2"));
      return;
    }
    if (lay == null || data.subList(1, data.size()).stream().anyMatch(w.layerOf::containsKey)) {
      w.unsupported(n, "reads the image through an input other than its first");
      return;
    }
    String src = w.layerOf.get(in);
    boolean collapsed = w.collapsed.contains(in);
    switch (op) {
      case "Conv2D", "DepthwiseConv2dNative" -> conv(n, name, src, lay, 1, 0, 0);
      case "MaxPool", "AvgPool", "MaxPoolV2" -> pool(n, name, src, lay);
      case "SpaceToBatchND" -> atrous(n, src, lay);
      case "Pad", "PadV2", "MirrorPad" -> pad(n, name, src, lay);
      case "Transpose" -> transpose(n, name, src, lay);
      case "ResizeNearestNeighbor", "ResizeBilinear" -> resize(n, name, src, lay);
      case "Softmax", "LogSoftmax" -> {
        if (collapsed || lay.channel() == 3) {
          w.add(n, Layer.pointwise(name, op, src, 0), lay);
        } else {
          w.unsupported(n, "normalizes over a spatial axis");
        }
      }
      case "Mean", "Max" -> {
        long[] red = g.longs(data.get(1));
        if (red != null && covers(red, lay)) {
          w.add(n, Layer.global(name, op, src, 0, 0), lay);
        } else {
          w.unsupported(n, "reduces only some spatial axes");
        }
      }
      case "Reshape", "Squeeze", "ExpandDims", "MatMul" -> {
        long[] wd = op.equals("MatMul") ? g.dims(data.get(1)) : new long[0];
        if (collapsed && wd != null) {
          long p = OnnxConstants.product(wd);
          w.add(n, Layer.global(name, op, src, op.equals("MatMul") ? p : 0,
              op.equals("MatMul") ? p : 0), lay);
        } else {
          w.unsupported(n, "changes the layout of spatial axes");
        }
      }
      default -> {
        if (POINTWISE.contains(op)) {
          long params = 0;
          for (int i = 1; i < data.size() && (op.equals("BiasAdd") || op.startsWith("Fused"))
              && i < 3; i++) {
            long[] d = g.dims(data.get(i));
            params += d == null ? 0 : OnnxConstants.product(d);
          }
          w.add(n, Layer.pointwise(name, op, src, params), lay);
        } else {
          w.unsupported(n, null);
        }
      }
    }
  }

  private static boolean covers(long[] red, Layout lay) {
    for (int d : lay.spatial()) {
      boolean found = false;
      for (long r : red) {
        found |= (r < 0 ? r + 4 : r) == d;
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /**
   * For each model axis, the index into an NHWC/NCHW 4-entry attribute, or -1 when the op's data
   * format does not put that axis among its spatial dims.
   */
  private int[] dims(NodeDef n, Layout lay) {
    boolean nchw = TfGraph.string(n, "data_format", "NHWC").equals("NCHW");
    int[] r = new int[axes];
    for (int a = 0; a < axes; a++) {
      int d = lay.spatial()[a];
      r[a] = (nchw ? d >= 2 : d >= 1 && d <= 2) ? d : -1;
    }
    return r;
  }

  private static long[] pick(long[] four, int[] dims, long fallback) {
    long[] r = new long[dims.length];
    for (int a = 0; a < dims.length; a++) {
      r[a] = four == null || four.length != 4 ? fallback : four[dims[a]];
    }
    return r;
  }

  private void conv(NodeDef n, String name, String src, Layout lay, long block, long padB,
      long padE) {
    int[] d = dims(n, lay);
    long[] f = g.dims(TfGraph.data(n).get(1));
    if (f == null || f.length != 4 || java.util.Arrays.stream(d).anyMatch(x -> x < 0)
        || lay.spatial().length != 2) {
      w.unsupported(n, "its filter is not constant or its layout does not match the image's");
      return;
    }
    boolean nchw = TfGraph.string(n, "data_format", "NHWC").equals("NCHW");
    long[] k = new long[axes];
    for (int a = 0; a < axes; a++) {
      k[a] = f[d[a] - (nchw ? 2 : 1)];
    }
    long[] stride = pick(TfGraph.ints(n, "strides"), d, 1);
    long[] dil = pick(TfGraph.ints(n, "dilations"), d, 1);
    String padding = TfGraph.string(n, "padding", "VALID");
    Window win;
    if (block > 1) {
      long[] bl = new long[axes];
      java.util.Arrays.fill(bl, block);
      win = Window.explicit(k, stride, bl, padsOf(padB), padsOf(padE));
    } else if (padding.equals("EXPLICIT")) {
      long[] ep = TfGraph.ints(n, "explicit_paddings");
      long[] begin = new long[axes];
      long[] end = new long[axes];
      for (int a = 0; a < axes && ep != null && ep.length == 8; a++) {
        begin[a] = ep[2 * d[a]];
        end[a] = ep[2 * d[a] + 1];
      }
      win = Window.explicit(k, stride, dil, begin, end);
    } else {
      win = Window.auto(k, stride, dil, padding.equals("SAME") ? PadMode.SAME_UPPER
          : PadMode.VALID);
    }
    long p = OnnxConstants.product(f);
    w.add(n, Layer.conv(name, n.getOp(), src, win, p, p), lay);
  }

  private long[] padsOf(long v) {
    long[] r = new long[axes];
    java.util.Arrays.fill(r, v);
    return r;
  }

  private void pool(NodeDef n, String name, String src, Layout lay) {
    int[] d = dims(n, lay);
    if (java.util.Arrays.stream(d).anyMatch(x -> x < 0)) {
      w.unsupported(n, "its layout does not match the image's");
      return;
    }
    boolean v2 = n.getOp().equals("MaxPoolV2");
    List<String> data = TfGraph.data(n);
    long[] ks = v2 ? g.longs(data.get(1)) : TfGraph.ints(n, "ksize");
    long[] ss = v2 ? g.longs(data.get(2)) : TfGraph.ints(n, "strides");
    if (ks == null || ks.length != 4 || ss == null || ss.length != 4) {
      w.unsupported(n, "its window is not constant");
      return;
    }
    long[] k = pick(ks, d, 1);
    long[] s = pick(ss, d, 1);
    PadMode mode = TfGraph.string(n, "padding", "VALID").equals("SAME") ? PadMode.SAME_UPPER
        : PadMode.VALID;
    w.add(n, Layer.pool(name, n.getOp(), src, Window.auto(k, s, padsOf(1), mode),
        !n.getOp().equals("AvgPool")), lay);
  }

  /** SpaceToBatchND, a stride-1 VALID convolution, BatchToSpaceND: one dilated convolution. */
  private void atrous(NodeDef s2b, String src, Layout lay) {
    List<NodeDef> c = g.consumers(s2b.getName());
    NodeDef conv = c.size() == 1 ? c.get(0) : null;
    List<NodeDef> c2 = conv == null ? List.of() : g.consumers(conv.getName());
    NodeDef b2s = c2.size() == 1 && c2.get(0).getOp().equals("BatchToSpaceND") ? c2.get(0) : null;
    long[] block = g.longs(TfGraph.data(s2b).get(1));
    boolean ok = b2s != null && (conv.getOp().equals("Conv2D")
        || conv.getOp().equals("DepthwiseConv2dNative"))
        && TfGraph.string(conv, "padding", "").equals("VALID") && block != null
        && block.length == 2 && block[0] == block[1] && lay.spatial()[0] == 1
        && java.util.Arrays.equals(block, g.longs(TfGraph.data(b2s).get(1)));
    long padB = 0;
    long padE = 0;
    String pads = ok ? TfGraph.data(s2b).get(2) : null;
    String crops = ok ? TfGraph.data(b2s).get(2) : null;
    if (ok && !pads.equals(crops)) {
      long[] p = g.longs(pads);
      long[] cr = g.longs(crops);
      ok = p != null && cr != null && p[0] - cr[0] == p[2] - cr[2] && p[1] - cr[1] == p[3] - cr[3];
      padB = ok ? p[0] - cr[0] : 0;
      padE = ok ? p[1] - cr[1] : 0;
    }
    if (!ok) {
      w.unsupported(s2b, "not followed by one VALID convolution and a matching BatchToSpaceND");
      return;
    }
    w.layerOf.put(s2b.getName(), src); // the convolution reads the image through it
    w.layouts.put(s2b.getName(), lay);
    conv(conv, w.unique(conv.getName()), src, lay, block[0], padB, padE);
    w.layerOf.put(b2s.getName(), w.layerOf.get(conv.getName()));
    w.handled.add(conv.getName());
    w.handled.add(b2s.getName());
    w.layouts.put(b2s.getName(), lay);
  }

  private void pad(NodeDef n, String name, String src, Layout lay) {
    long[] p = g.longs(TfGraph.data(n).get(1));
    if (p == null || p.length != 8) {
      w.unsupported(n, "its paddings are not constant");
      return;
    }
    long[] begin = new long[axes];
    long[] end = new long[axes];
    for (int a = 0; a < axes; a++) {
      begin[a] = p[2 * lay.spatial()[a]];
      end[a] = p[2 * lay.spatial()[a] + 1];
    }
    w.add(n, Layer.pad(name, n.getOp(), src, begin, end), lay);
  }

  private void transpose(NodeDef n, String name, String src, Layout lay) {
    long[] perm = g.longs(TfGraph.data(n).get(1));
    if (perm == null) {
      w.unsupported(n, "its permutation is not constant");
      return;
    }
    int[] sp = new int[axes];
    int ch = -1;
    for (int i = 0; i < perm.length; i++) {
      for (int a = 0; a < axes; a++) {
        sp[a] = perm[i] == lay.spatial()[a] ? i : sp[a];
      }
      ch = perm[i] == lay.channel() ? i : ch;
    }
    w.add(n, Layer.pointwise(name, n.getOp(), src, 0), new Layout(sp, ch));
  }

  /** Resizing to {@code size = shape(x)[1:3] * factors}, a constant factor of the input. */
  private void resize(NodeDef n, String name, String src, Layout lay) {
    List<String> data = TfGraph.data(n);
    NodeDef mul = g.producer(data.get(1));
    long[] f = null;
    if (mul != null && mul.getOp().equals("Mul") && lay.spatial()[0] == 1) {
      List<String> m = TfGraph.data(mul);
      for (int i = 0; i < 2 && f == null; i++) {
        NodeDef slice = g.producer(m.get(1 - i));
        NodeDef shape = slice == null || TfGraph.data(slice).isEmpty() ? null
            : g.producer(TfGraph.data(slice).get(0));
        if (shape != null && shape.getOp().equals("Shape")
            && TfGraph.data(shape).get(0).equals(data.get(0))) {
          f = g.longs(m.get(i));
        }
      }
    }
    if (f == null || f.length != 2 || TfGraph.bool(n, "align_corners")) {
      w.unsupported(n, "its size is not a constant factor of its input's shape");
      return;
    }
    boolean half = TfGraph.bool(n, "half_pixel_centers");
    boolean nearest = n.getOp().equals("ResizeNearestNeighbor");
    Resize.Coordinates co = !half ? Resize.Coordinates.ASYMMETRIC : nearest
        ? Resize.Coordinates.TF_HALF_PIXEL_FOR_NN : Resize.Coordinates.HALF_PIXEL;
    long[] num = {f[lay.spatial()[0] - 1], f[lay.spatial()[1] - 1]};
    w.add(n, Layer.resize(name, n.getOp(), src, new Resize(num, padsOf(1), co, nearest
        ? Resize.Interpolation.NEAREST_FLOOR : Resize.Interpolation.LINEAR)), lay);
  }

  private void join(NodeDef n, String name, boolean concat) {
    List<String> data = new ArrayList<>(TfGraph.data(n));
    Layout lay = null;
    if (concat) {
      long[] ax = g.longs(data.remove(data.size() - 1));
      lay = data.stream().map(w.layouts::get).filter(java.util.Objects::nonNull).findFirst()
          .orElseThrow();
      if (ax == null || ax.length != 1 || (ax[0] < 0 ? ax[0] + 4 : ax[0]) != lay.channel()) {
        w.unsupported(n, "joins along a spatial axis");
        return;
      }
    }
    Set<String> ins = new LinkedHashSet<>();
    for (String d : data) {
      if (w.layerOf.containsKey(d)) {
        ins.add(w.layerOf.get(d));
        lay = lay == null ? w.layouts.get(d) : lay;
      }
    }
    Layer l = ins.size() == 1 ? Layer.pointwise(name, n.getOp(), ins.iterator().next(), 0)
        : Layer.merge(name, n.getOp(), concat ? LayerKind.CONCAT : LayerKind.ADD,
            new ArrayList<>(ins));
    w.add(n, l, lay);
  }
}
