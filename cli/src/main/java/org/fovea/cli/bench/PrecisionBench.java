package org.fovea.cli.bench;

import ij.ImagePlus;
import ij.ImageStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.fovea.io.ImageFiles;
import org.fovea.models.Model;
import org.fovea.models.Precision;
import org.fovea.models.Zoo;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * {@code fovea bench precision}: each shipped model with ONNX weights in fp32 and in Fovea's int8
 * on ONNX Runtime, side by side: median forward time of each on the shipped sample image (timed
 * alternately, so that both see the same machine load), the speed-up, the largest difference of
 * the int8 outputs from the fp32 ones on that image, and whether {@code --precision int8} accepts
 * the model (its test output within the package's tolerance) or refuses it, with the error.
 */
final class PrecisionBench {

  private PrecisionBench() {}

  /**
   * @param packages the packages to measure
   * @param runs timed runs of each network
   * @param out where the table goes
   */
  static void run(List<ModelPackage> packages, int runs, PrintWriter out) {
    table(packages, runs, "cpu", "int8", String.format(Locale.ROOT, "fp32 and int8 (Fovea's QDQ"
        + " quantization, ONNX Runtime), cpu, %d cores", Runtime.getRuntime().availableProcessors()),
        Precision::int8, out);
    out.println("CONV: convolutions ONNX Runtime runs as QLinearConv (int8 kernels) / all;"
        + " MAX|D|: largest |int8 - fp32| over the outputs on the sample (in the output named),"
        + " MEAN|D| its mean; TEST ERR: largest |int8 - test output| on the package's test input,"
        + " which --precision int8 holds to TOLERANCE");
    out.flush();
  }

  /**
   * The same for Fovea's float16 graph on a device: the speed-up and difference of fp16 against
   * fp32 on the sample, and the verdict {@code --precision fp16} takes there (on the CPU it is
   * refused whatever the verdict: ONNX Runtime's CPU provider computes its convolutions in
   * float32 between casts).
   *
   * @param packages the packages to measure
   * @param runs timed runs of each network
   * @param device the device (cpu, gpu, gpu:N)
   * @param out where the table goes
   */
  static void fp16(List<ModelPackage> packages, int runs, String device, PrintWriter out) {
    table(packages, runs, device, "fp16", "fp32 and fp16 (Fovea's float16 graph, ONNX Runtime), "
        + device, Precision::fp16, out);
    out.println("MAX|D|: largest |fp16 - fp32| over the outputs on the sample, MEAN|D| its mean;"
        + " TEST ERR: largest |fp16 - test output| on the package's test input");
    out.flush();
  }

  /**
   * One row per package: fp32 and the reduced network timed alternately on the sample, their
   * difference there, the reduced network's error on the test input and its verdict (int8 adds
   * the convolutions fused into int8 kernels).
   */
  private static void table(List<ModelPackage> packages, int runs, String device,
      String precision, String title, Function<Model, Precision.Checked> reduce,
      PrintWriter out) {
    boolean int8 = precision.equals("int8");
    String upper = precision.toUpperCase(Locale.ROOT);
    out.printf(Locale.ROOT, "%s, median of %d runs each, interleaved; input: the shipped sample"
        + " image (3D: the shipped z-stack)%n", title, runs);
    out.printf("%-15s %-11s " + (int8 ? "%5s " : "%s") + "%8s %8s %8s %-24s %7s %8s %12s  %s%n",
        "MODEL", "INPUT", int8 ? "CONV" : "", "FP32 MS", upper + " MS", "SPEED-UP",
        "MAX|D| (OUTPUT)", "MEAN|D|", "TEST ERR", "TOLERANCE", "VERDICT");
    out.flush();
    for (ModelPackage p : packages) {
      if (!p.weights().containsKey(WeightFormat.ONNX)) {
        out.printf("%-15s no ONNX weights: %s needs them%n", p.name(), precision);
        continue;
      }
      try (Model m = Model.load(p, "onnxruntime", device)) {
        Tensor x = m.preprocess(sample(m));
        Precision.Checked c = reduce.apply(m);
        try {
          double[] ms = Precision.timeInterleaved(m.network(), c.network(), x, 1, runs);
          Difference d = difference(m.network(), c.network(), x);
          String conv = c instanceof Precision.Int8 q
              ? String.format(Locale.ROOT, "%2d/%-2d ", q.fused(), q.convolutions()) : "";
          String detail = "test output " + c.detail().replaceFirst(" from$", "");
          String verdict = int8 ? (c.passed() ? "accepted" : "refused: " + detail)
              : (c.passed() ? "within" : "beyond") + " the tolerance: " + detail;
          out.printf(Locale.ROOT, "%-15s %-11s %s%8.1f %8.1f %7.2fx %8.4f %-15s %7.5f %8.4f %12s"
              + "  %s%n", p.name(), spatial(x), conv, ms[0], ms[1], ms[0] / ms[1], d.max,
              "(" + d.worst + ")", d.mean, c.maxAbsError(), Precision.tolerance(m), verdict);
        } finally {
          c.network().close();
        }
      } catch (FoveaException e) {
        out.printf("%-15s %s%n", p.name(), e.getMessage());
      }
      out.flush();
    }
  }

  /** The largest and mean difference of two networks' outputs on one input. */
  private record Difference(double max, double mean, String worst) {}

  private static Difference difference(org.fovea.ops.net.Network n1, org.fovea.ops.net.Network n2,
      Tensor x) {
    Map<String, Tensor> a = n1.predict(Map.of(n1.inputs().get(0).name(), x));
    Map<String, Tensor> b = n2.predict(Map.of(n2.inputs().get(0).name(), x));
    double max = 0;
    double sum = 0;
    long count = 0;
    String worst = "";
    for (Map.Entry<String, Tensor> e : a.entrySet()) {
      float[] u = e.getValue().data();
      float[] v = b.get(e.getKey()).data();
      for (int i = 0; i < u.length; i++) {
        double d = Math.abs((double) u[i] - v[i]);
        sum += d;
        if (d > max) {
          max = d;
          worst = e.getKey();
        }
      }
      count += u.length;
    }
    return new Difference(max, sum / count, worst);
  }

  /** @return the spatial sizes of a tensor, {@code 512x512} */
  private static String spatial(Tensor x) {
    List<String> shape = new ArrayList<>();
    for (int i = 0; i < x.shape().length; i++) {
      if (x.axes().get(i).isSpatial()) {
        shape.add(Long.toString(x.shape()[i]));
      }
    }
    return String.join("x", shape);
  }

  /** @return the shipped packages */
  static List<ModelPackage> shipped() {
    List<ModelPackage> l = new ArrayList<>();
    for (Zoo.Entry e : Zoo.list()) {
      if (e.origin() == Zoo.Origin.SHIPPED) {
        l.add(Zoo.resolve(e.path().toString()));
      }
    }
    return l;
  }

  /**
   * The shipped sample image (the z-stack for a 3D model) as the model's raw input, cropped to
   * the largest size the model takes.
   */
  private static Tensor sample(Model m) {
    TensorSpec spec = m.pkg().inputs().get(0).spec();
    boolean volume = spec.axes().indexOf(Axis.Z) >= 0;
    Path file = volume ? ImageFiles.sample().resolveSibling("nuclei3d-synthetic-64x128x128.tif")
        : ImageFiles.sample();
    ImagePlus imp = ImageFiles.open(file);
    ImageStack st = imp.getStack();
    long[] shape = new long[spec.axes().size()];
    for (int i = 0; i < shape.length; i++) {
      Axis a = spec.axes().get(i);
      long have = a == Axis.X ? imp.getWidth() : a == Axis.Y ? imp.getHeight()
          : a == Axis.Z ? st.getSize() : 1;
      long s = have;
      while (s > 0 && !spec.allows(i, s)) {
        s--;
      }
      if (s <= 0) {
        throw new FoveaException("the sample " + file.getFileName() + " is smaller than model '"
            + m.pkg().name() + "' takes on axis " + a.letter() + ": measure it another way");
      }
      shape[i] = s;
    }
    Tensor t = Tensor.zeros(spec.axes(), shape);
    int xi = spec.axes().indexOf(Axis.X);
    int yi = spec.axes().indexOf(Axis.Y);
    int zi = spec.axes().indexOf(Axis.Z);
    long w = shape[xi];
    long h = shape[yi];
    long d = zi < 0 ? 1 : shape[zi];
    float[] data = t.data();
    for (int z = 0; z < d; z++) {
      ij.process.ImageProcessor ip = st.getProcessor(z + 1);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          data[(int) ((z * h + y) * w + x)] = ip.getf(x, y);
        }
      }
    }
    return t;
  }
}
