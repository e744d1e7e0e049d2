package org.fovea.models;

import java.util.HashMap;
import java.util.Map;
import org.fovea.models.onnx.OnnxGraph;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.models.onnx.OnnxNode;
import org.fovea.models.onnx.OnnxTensor;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;

/**
 * Floating-point operations of one forward pass, counted on the model's ONNX graph: 2 per
 * multiply-add of convolutions (plain, grouped, transposed) at the output size each layer has for
 * the given input size. Pointwise layers, pooling and resizing are not counted.
 *
 * @since 0.1.0
 */
public final class Flops {

  private Flops() {}

  /**
   * @param pkg a package with ONNX weights
   * @param h input height
   * @param w input width
   * @return the FLOPs, or NaN when the package has no ONNX weights to count on
   */
  public static double of(ModelPackage pkg, long h, long w) {
    var p = pkg.weights().get(WeightFormat.ONNX);
    return p == null ? Double.NaN : of(OnnxModel.read(p).graph(), h, w);
  }

  /**
   * @param g an ONNX graph with one NCHW image input
   * @param h input height
   * @param w input width
   * @return the FLOPs
   */
  public static double of(OnnxGraph g, long h, long w) {
    Map<String, long[]> size = new HashMap<>();
    g.inputs().forEach(v -> size.put(v.name(), new long[] {h, w}));
    double flops = 0;
    for (OnnxNode n : g.nodes()) {
      long[] in = n.inputs().isEmpty() ? null : size.get(n.input(0));
      if (in == null) {
        continue; // shape or constant arithmetic
      }
      long[] out = in;
      switch (n.opType()) {
        case "Conv", "ConvTranspose" -> {
          OnnxTensor wt = g.initializers().get(n.input(1));
          if (wt == null) {
            throw new FoveaException("cannot count FLOPs: convolution '" + n.name()
                + "' has weights that are not constants");
          }
          long[] d = wt.dims();
          long[] k = {d[2], d[3]};
          out = new long[2];
          for (int a = 0; a < 2; a++) {
            out[a] = n.opType().equals("Conv") ? convOut(n, in[a], k[a], a)
                : transOut(n, in[a], k[a], a);
          }
          long group = n.intAttribute("group", 1);
          // Conv weights are [out, in/group, kh, kw]; ConvTranspose weights [in, out/group, kh, kw]
          double macsPerPixel = (double) d[0] * d[1] * k[0] * k[1];
          double pixels = n.opType().equals("Conv") ? out[0] * out[1] : in[0] * in[1];
          flops += 2 * macsPerPixel * pixels;
          if (group < 1) {
            throw new FoveaException("convolution '" + n.name() + "' has group " + group);
          }
        }
        case "MaxPool", "AveragePool" -> {
          long[] k = n.intsAttribute("kernel_shape", new long[] {1, 1});
          out = new long[] {convOut(n, in[0], k[0], 0), convOut(n, in[1], k[1], 1)};
        }
        case "Resize", "Upsample" -> out = resized(g, n, in);
        default -> { }
      }
      for (String o : n.outputs()) {
        size.put(o, out);
      }
    }
    return flops;
  }

  private static long convOut(OnnxNode n, long in, long k, int axis) {
    long[] s = n.intsAttribute("strides", new long[] {1, 1});
    long[] dil = n.intsAttribute("dilations", new long[] {1, 1});
    long[] p = n.intsAttribute("pads", new long[] {0, 0, 0, 0});
    long span = dil[axis] * (k - 1) + 1;
    long num = in + p[axis] + p[axis + 2] - span;
    boolean ceil = n.intAttribute("ceil_mode", 0) == 1;
    return (ceil ? Math.floorDiv(num + s[axis] - 1, s[axis]) : Math.floorDiv(num, s[axis])) + 1;
  }

  private static long transOut(OnnxNode n, long in, long k, int axis) {
    long[] s = n.intsAttribute("strides", new long[] {1, 1});
    long[] dil = n.intsAttribute("dilations", new long[] {1, 1});
    long[] p = n.intsAttribute("pads", new long[] {0, 0, 0, 0});
    long[] op = n.intsAttribute("output_padding", new long[] {0, 0});
    return (in - 1) * s[axis] - p[axis] - p[axis + 2] + dil[axis] * (k - 1) + op[axis] + 1;
  }

  private static long[] resized(OnnxGraph g, OnnxNode n, long[] in) {
    String scales = n.inputs().size() > 2 ? n.input(2) : n.inputs().size() > 1 ? n.input(1) : "";
    OnnxTensor t = g.initializers().get(scales);
    if (t == null && g.producer(scales) != null && g.producer(scales).opType().equals("Constant")) {
      t = g.producer(scales).attribute("value").tensor();
    }
    if (t == null || t.elementCount() != 4) {
      throw new FoveaException("cannot count FLOPs: resize '" + n.name()
          + "' has no constant scales");
    }
    float[] f = t.floats();
    return new long[] {(long) Math.floor(in[0] * f[2]), (long) Math.floor(in[1] * f[3])};
  }
}
