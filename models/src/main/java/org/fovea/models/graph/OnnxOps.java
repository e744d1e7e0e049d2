package org.fovea.models.graph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fovea.models.onnx.OnnxNode;
import org.fovea.ops.rf.Layer;
import org.fovea.ops.rf.LayerKind;
import org.fovea.ops.rf.Resize;
import org.fovea.ops.rf.Window;

/** Turns one ONNX node that reads the image into a layer, or records it as unsupported. */
final class OnnxOps {

  private static final Set<String> POINTWISE = Set.of("Relu", "LeakyRelu", "PRelu", "Elu", "Selu",
      "Celu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softplus", "Softsign", "Clip", "Exp",
      "Log", "Abs", "Neg", "Sqrt", "Reciprocal", "Erf", "Gelu", "Mish", "Cast", "Dropout",
      "Identity", "Floor", "Ceil", "Round", "Sign", "LRN", "ThresholdedRelu", "Shrink", "Sin",
      "Cos", "QuantizeLinear", "DequantizeLinear", "BatchNormalization", "Not", "IsNaN", "IsInf");
  private static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div", "Sum", "Max",
      "Min", "Mean", "Pow", "Where", "And", "Or", "Xor", "Equal", "Greater", "Less",
      "GreaterOrEqual", "LessOrEqual", "Mod");
  private static final Set<String> SHAPE_ONLY = Set.of("Shape", "Size");

  private final OnnxLayers w;
  private final OnnxConstants c;
  private final int rank;
  private final int axes;
  private final long opset;
  private int count;

  OnnxOps(OnnxLayers w, OnnxConstants c, int rank, long opset) {
    this.w = w;
    this.c = c;
    this.rank = rank;
    this.axes = rank - 2;
    this.opset = opset;
  }

  void add(OnnxNode n) {
    count++;
    String op = n.opType();
    if (SHAPE_ONLY.contains(op)) {
      return;
    }
    if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
      unsupported(n, null);
      return;
    }
    String in = n.input(0);
    String name = w.name(n, count);
    boolean collapsed = w.collapsed.contains(in);
    if (!ELEMENTWISE.contains(op) && !op.equals("Concat")
        && (w.layer(in) == null || !onlyFirstIsImage(n))) {
      unsupported(n, "reads the image through an input other than its first");
      return;
    }
    switch (op) {
      case "Conv" -> conv(n, name, false);
      case "ConvTranspose" -> conv(n, name, true);
      case "MaxPool", "AveragePool", "LpPool" -> pool(n, name);
      case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool" ->
          w.add(n, Layer.global(name, op, w.layer(in), 0, 0));
      case "Flatten" -> {
        if (collapsed) {
          w.add(n, Layer.pointwise(name, op, w.layer(in), 0));
        } else if (n.intAttribute("axis", 1) == 1) {
          w.add(n, Layer.global(name, op, w.layer(in), 0, 0));
        } else {
          unsupported(n, "flattens spatial axes into others");
        }
      }
      case "Gemm", "MatMul" -> dense(n, name, collapsed);
      case "Reshape", "Squeeze", "Unsqueeze", "ReduceMean", "ReduceMax" -> {
        if (collapsed) {
          w.add(n, Layer.pointwise(name, op, w.layer(in), 0));
        } else {
          unsupported(n, "changes the layout of spatial axes");
        }
      }
      case "Resize", "Upsample" -> resize(n, name);
      case "Pad" -> pad(n, name);
      case "Slice" -> slice(n, name);
      case "Concat" -> join(n, name, LayerKind.CONCAT, collapsed || axis(n.intAttribute("axis", 1))
          == 1);
      case "Softmax", "LogSoftmax", "Hardmax" -> {
        long ax = n.intAttribute("axis", opset >= 13 ? -1 : 1);
        if (collapsed || (opset >= 13 && axis(ax) == 1)) {
          w.add(n, Layer.pointwise(name, op, w.layer(in), 0));
        } else {
          unsupported(n, "normalizes over spatial axes");
        }
      }
      default -> {
        if (ELEMENTWISE.contains(op)) {
          join(n, name, LayerKind.ADD, true);
        } else if (POINTWISE.contains(op)) {
          long params = 0;
          if (op.equals("BatchNormalization") || op.equals("PRelu")) {
            for (int i = 1; i < Math.min(3, n.inputs().size()); i++) {
              long[] d = c.dims(n.input(i));
              params += d == null ? 0 : OnnxConstants.product(d);
            }
          }
          w.add(n, Layer.pointwise(name, op, w.layer(in), params));
        } else {
          unsupported(n, null);
        }
      }
    }
  }

  private boolean onlyFirstIsImage(OnnxNode n) {
    for (int i = 1; i < n.inputs().size(); i++) {
      if (w.layer(n.input(i)) != null) {
        return false;
      }
    }
    return true;
  }

  private long axis(long a) {
    return a < 0 ? a + rank : a;
  }

  private void unsupported(OnnxNode n, String why) {
    w.unsupported.add("'" + (n.name().isEmpty() ? n.outputs().get(0) : n.name()) + "' ("
        + (n.domain().isEmpty() ? "" : n.domain() + ".") + n.opType() + (why == null ? "" : ", "
            + why) + ")");
  }

  private void conv(OnnxNode n, String name, boolean transposed) {
    long[] wd = c.dims(n.input(1));
    if (wd == null || wd.length != rank) {
      unsupported(n, "weights are not a constant of rank " + rank);
      return;
    }
    long[] k = n.intsAttribute("kernel_shape", java.util.Arrays.copyOfRange(wd, 2, rank));
    Window win = k.length == axes ? OnnxConstants.window(n, k) : null;
    if (win == null || (transposed && n.attribute("output_shape") != null)) {
      unsupported(n, "attributes this analysis does not read");
      return;
    }
    long[] bias = c.dims(n.input(2));
    long params = OnnxConstants.product(wd) + (bias == null ? 0 : OnnxConstants.product(bias));
    long macs = OnnxConstants.product(wd);
    w.add(n, transposed ? Layer.convTranspose(name, n.opType(), w.layer(n.input(0)), win, params,
        macs) : Layer.conv(name, n.opType(), w.layer(n.input(0)), win, params, macs));
  }

  private void pool(OnnxNode n, String name) {
    long[] k = n.intsAttribute("kernel_shape", null);
    Window win = k != null && k.length == axes ? OnnxConstants.window(n, k) : null;
    if (win == null) {
      unsupported(n, "attributes this analysis does not read");
      return;
    }
    w.add(n, Layer.pool(name, n.opType(), w.layer(n.input(0)), win,
        n.opType().equals("MaxPool")));
  }

  private void dense(OnnxNode n, String name, boolean collapsed) {
    long[] wd = c.dims(n.input(1));
    if (!collapsed || wd == null) {
      unsupported(n, collapsed ? "weights are not constant" : "multiplies along a spatial axis");
      return;
    }
    long[] bias = c.dims(n.input(2));
    long params = OnnxConstants.product(wd) + (bias == null ? 0 : OnnxConstants.product(bias));
    w.add(n, Layer.global(name, n.opType(), w.layer(n.input(0)), params,
        OnnxConstants.product(wd)));
  }

  private void join(OnnxNode n, String name, LayerKind kind, boolean alongChannels) {
    if (!alongChannels) {
      unsupported(n, "joins along a spatial axis");
      return;
    }
    Set<String> ins = new LinkedHashSet<>();
    for (String i : n.inputs()) {
      if (w.layer(i) != null) {
        ins.add(w.layer(i));
      }
    }
    boolean collapsed = n.inputs().stream().filter(i -> w.layer(i) != null)
        .allMatch(w.collapsed::contains);
    Layer l = ins.size() == 1
        ? Layer.pointwise(name, n.opType(), ins.iterator().next(), 0)
        : Layer.merge(name, n.opType(), kind, new ArrayList<>(ins));
    w.add(n, l);
    if (collapsed) {
      w.collapsed.add(n.outputs().get(0));
    }
  }

  private void resize(OnnxNode n, String name) {
    boolean upsample = n.opType().equals("Upsample");
    float[] scales = n.attribute("scales") != null ? n.attribute("scales").floats()
        : c.floats(n.inputs().size() > 2 ? n.input(2) : n.input(1));
    if (scales == null || scales.length != rank || scales[0] != 1 || scales[1] != 1) {
      unsupported(n, "its scales are not constant, or it resizes batch or channels");
      return;
    }
    long[] num = new long[axes];
    long[] den = new long[axes];
    for (int a = 0; a < axes; a++) {
      long[] r = OnnxConstants.rational(scales[a + 2]);
      if (r == null) {
        unsupported(n, "scale " + scales[a + 2] + " is no simple fraction");
        return;
      }
      num[a] = r[0];
      den[a] = r[1];
    }
    String mode = n.stringAttribute("mode", "nearest");
    Resize.Coordinates coords = switch (n.stringAttribute("coordinate_transformation_mode",
        upsample ? "asymmetric" : "half_pixel")) {
      case "asymmetric" -> Resize.Coordinates.ASYMMETRIC;
      case "half_pixel", "pytorch_half_pixel" -> Resize.Coordinates.HALF_PIXEL;
      case "tf_half_pixel_for_nn" -> Resize.Coordinates.TF_HALF_PIXEL_FOR_NN;
      default -> null;
    };
    Resize.Interpolation interp = switch (mode) {
      case "linear", "bilinear", "trilinear" -> Resize.Interpolation.LINEAR;
      case "cubic" -> Resize.Interpolation.CUBIC;
      case "nearest" -> switch (upsample ? "floor"
          : n.stringAttribute("nearest_mode", "round_prefer_floor")) {
        case "floor" -> Resize.Interpolation.NEAREST_FLOOR;
        case "ceil" -> Resize.Interpolation.NEAREST_CEIL;
        case "round_prefer_ceil" -> Resize.Interpolation.NEAREST_ROUND_PREFER_CEIL;
        default -> Resize.Interpolation.NEAREST_ROUND_PREFER_FLOOR;
      };
      default -> null;
    };
    if (coords == null || interp == null) {
      unsupported(n, "its coordinate or interpolation mode is not supported");
      return;
    }
    w.add(n, Layer.resize(name, n.opType(), w.layer(n.input(0)),
        new Resize(num, den, coords, interp)));
  }

  private void pad(OnnxNode n, String name) {
    long[] pads = n.attribute("pads") != null ? n.intsAttribute("pads", null) : c.longs(n.input(1));
    if (pads == null || pads.length != 2 * rank || !n.input(3).isEmpty() || pads[0] != 0
        || pads[rank] != 0) {
      unsupported(n, "its pads are not constant, or it pads the batch");
      return;
    }
    w.add(n, Layer.pad(name, n.opType(), w.layer(n.input(0)),
        java.util.Arrays.copyOfRange(pads, 2, rank), java.util.Arrays.copyOfRange(pads, rank + 2,
            2 * rank)));
  }

  private void slice(OnnxNode n, String name) {
    long[] starts = c.longs(n.input(1));
    long[] ends = c.longs(n.input(2));
    long[] ax = n.input(3).isEmpty() ? null : c.longs(n.input(3));
    long[] steps = n.input(4).isEmpty() ? null : c.longs(n.input(4));
    if (opset < 10 || starts == null || ends == null || (!n.input(3).isEmpty() && ax == null)
        || (!n.input(4).isEmpty() && steps == null)) {
      unsupported(n, "its bounds are not constant");
      return;
    }
    long[] begin = new long[axes];
    long[] end = new long[axes];
    for (int i = 0; i < starts.length; i++) {
      long a = axis(ax == null ? i : ax[i]);
      if (a < 2) {
        continue;
      }
      boolean crop = starts[i] >= 0 && (steps == null || steps[i] == 1)
          && (ends[i] < 0 || ends[i] >= Integer.MAX_VALUE);
      if (!crop) {
        unsupported(n, "its spatial bounds depend on the input size");
        return;
      }
      begin[(int) a - 2] = -starts[i];
      end[(int) a - 2] = ends[i] < 0 ? ends[i] : 0;
    }
    w.add(n, Layer.pad(name, n.opType(), w.layer(n.input(0)), begin, end));
  }
}
