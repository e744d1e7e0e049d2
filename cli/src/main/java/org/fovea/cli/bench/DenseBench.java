package org.fovea.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.fovea.models.engine.Engines;
import org.fovea.models.graph.OnnxLayers;
import org.fovea.models.onnx.AtrousRewrite;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.dense.DenseGeometry;
import org.fovea.ops.dense.DenseNetwork;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.rf.ReceptiveFields;

/**
 * {@code fovea bench dense}: for a strided ONNX model and the same model with only its first 1, 2,
 * ... strided layers kept (total strides 2, 4, 8 ... with the same weights), the single strided
 * pass, the à trous dense pass and shift-and-stitch, side by side on ONNX Runtime on one SIZE x SIZE
 * input, with the largest difference between the two dense maps and the process's resident memory
 * after each method.
 */
final class DenseBench {

  private DenseBench() {}

  static void run(ModelPackage p, int size, int runs, PrintWriter out) {
    Path onnx = p.weights().get(WeightFormat.ONNX);
    if (onnx == null) {
      throw new FoveaException("model '" + p.name() + "' has no ONNX weights: the dense benchmark"
          + " rewrites an ONNX graph");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(onnx);
    } catch (IOException e) {
      throw new FoveaException("cannot read " + onnx + ": " + e.getMessage(), e);
    }
    int strided = AtrousRewrite.stridedLayers(bytes);
    if (strided == 0) {
      throw new FoveaException("model '" + p.name() + "' has no strided layer: its output is"
          + " already dense; try --model nuclei-strided");
    }
    TensorSpec in = new TensorSpec(p.inputs().get(0).spec().name(), Axes.of("bcyx"),
        new long[] {1, 1, 1, 1}, new long[] {1, 0, 1, 1}, new long[4], null, null, null);
    TensorSpec outSpec = TensorSpec.output(p.outputs().get(0).spec().name(), "bcyx", in.name(),
        new double[] {1, 1, 1, 1}, new long[4], new long[4]);
    Tensor x = Tensor.zeros(Axes.of("bcyx"), 1, 1, size, size);
    Random r = new Random(5);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = (float) r.nextGaussian();
    }
    out.printf(Locale.ROOT, "model %s, input %dx%d, onnxruntime, %d runs (median), %d cores%n",
        p.name(), size, size, runs, Runtime.getRuntime().availableProcessors());
    out.printf("%-7s %12s %12s %14s %12s %12s %12s %10s%n", "STRIDE", "STRIDED (ms)",
        "ATROUS (ms)", "SHIFT-ST (ms)", "ATROUS/SS", "ATROUS/STR", "MAX DIFF", "RSS (MiB)");
    out.flush();
    for (int k = 1; k <= strided; k++) {
      byte[] variant = k == strided ? bytes : AtrousRewrite.keepingStrides(bytes, k);
      try {
        Path dir = Files.createTempDirectory("fovea-dense-bench");
        try {
          Path coarseFile = Files.write(dir.resolve("strided.onnx"), variant);
          AtrousRewrite.Result rw = AtrousRewrite.rewrite(variant, onnx.toString());
          Path atrousFile = Files.write(dir.resolve("atrous.onnx"), rw.model());
          DenseGeometry g = DenseGeometry.of(ReceptiveFields.analyze(
              OnnxLayers.of(OnnxModel.read(coarseFile)).graph(), new long[] {256, 256}));
          Network coarse = load(coarseFile, in, outSpec);
          try (DenseNetwork atrous = DenseNetwork.atrous(load(atrousFile, in, outSpec), g, in,
              outSpec); DenseNetwork ss = DenseNetwork.shiftStitch(coarse, g)) {
            double tc = median(runs, () -> coarse.predict(x));
            long rss1 = rss();
            Tensor[] a = new Tensor[1];
            double ta = median(runs, () -> a[0] = atrous.dense(x));
            long rss2 = rss();
            Tensor[] b = new Tensor[1];
            double ts = median(runs, () -> b[0] = ss.dense(x));
            long rss3 = rss();
            out.printf(Locale.ROOT, "%-7s %12.1f %12.1f %14.1f %12.3f %12.2f %12.2e %10s%n",
                g.stride()[0] + "x" + g.stride()[1], tc, ta, ts, ta / ts, ta / tc,
                a[0].maxAbsDifference(b[0]), rss1 + "/" + rss2 + "/" + rss3);
            out.flush();
          }
        } finally {
          try (var s = Files.list(dir)) {
            for (Path f : s.toList()) {
              Files.deleteIfExists(f);
            }
          }
          Files.deleteIfExists(dir);
        }
      } catch (IOException e) {
        throw new FoveaException("cannot write the benchmark's temporary models: " + e.getMessage(),
            e);
      }
    }
    out.println("RSS: resident memory of this process after the strided, a trous and"
        + " shift-and-stitch runs (it includes the JVM heap and every engine session so far)");
    out.flush();
  }

  private static Network load(Path f, TensorSpec in, TensorSpec out) {
    return Engines.byName("onnxruntime").load(f, List.of(in), List.of(out), "cpu");
  }

  private static double median(int runs, Supplier<Object> run) {
    run.get(); // warm-up
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      run.get();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms[runs / 2];
  }

  /** @return the resident set size of this process in MiB, or -1 where /proc is absent */
  private static long rss() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
