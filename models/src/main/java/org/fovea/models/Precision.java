package org.fovea.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.fovea.models.engine.Engines;
import org.fovea.models.engine.OnnxRuntimeEngine;
import org.fovea.models.onnx.Fp16Rewrite;
import org.fovea.models.onnx.Int8Rewrite;
import org.fovea.models.pkg.ReproducibilityTolerance;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * Reduced precision, opt-in and verified ({@code --precision}): a model runs in int8 only after
 * its package's test input, run through the int8 network, gives its test output within the
 * package's tolerance (the same tolerance as the fp32 self-check: {@code
 * config.bioimageio.reproducibility_tolerance}, else 1e-4 of the test output's range); otherwise
 * it is refused with the error measured.
 *
 * <p>int8 is Fovea's own static quantization of the package's ONNX graph ({@link Int8Rewrite}),
 * calibrated on the package's test input, run by ONNX Runtime on the CPU (which fuses it into
 * {@code QLinearConv}, with VNNI kernels on CPUs that have them; a GPU device is refused). fp16
 * is Fovea's float16 conversion of the graph ({@link Fp16Rewrite}), for GPUs only, verified the
 * same way: ONNX Runtime 1.29's CPU provider runs an fp16 graph's convolutions in float32 (it
 * inserts casts around them), so fp16 is refused on the CPU; bf16 is refused (ONNX Runtime has no
 * bfloat16 convolution).
 *
 * <pre>{@code
 * try (Model m = Precision.apply(Model.load(pkg, "onnxruntime", "cpu"), "int8", System.err::println)) {
 *   Tensor p = m.run(raw);
 * }
 * }</pre>
 *
 * @since 0.4.0
 */
public final class Precision {

  /** The values of {@code --precision}. */
  public static final List<String> VALUES = List.of("fp32", "int8", "fp16", "bf16");

  private Precision() {}

  /**
   * @param precision a precision name, any case; null for fp32
   * @return its lower-case name
   * @throws FoveaException for an unknown one
   */
  public static String of(String precision) {
    String p = precision == null || precision.isBlank() ? "fp32"
        : precision.trim().toLowerCase(Locale.ROOT);
    if (!VALUES.contains(p)) {
      throw new FoveaException("unknown precision '" + precision + "': use one of "
          + String.join(", ", VALUES));
    }
    return p;
  }

  /**
   * An int8 network checked against the package's test tensors.
   *
   * @param network the int8 network (on ONNX Runtime); whoever uses it closes it
   * @param passed whether the test output is within the package's tolerance
   * @param detail how far off the test output it is, in words ({@code up to 0.0123 away (5 of
   *     65536 values beyond 1e-4) from})
   * @param maxAbsError the largest difference from the test output
   * @param fp32Error the fp32 network's largest difference from the test output, for comparison
   * @param convolutions how many convolutions read int8 weights
   * @param fused how many of them ONNX Runtime runs as {@code QLinearConv} (int8 kernels)
   * @param file the quantized graph (in Fovea's cache folder)
   * @param ranges the calibrated range of every quantized tensor, by name (for quantizing a
   *     rewrite of the same graph, such as its dense form)
   */
  public record Int8(Network network, boolean passed, String detail, double maxAbsError,
      double fp32Error, int convolutions, int fused, Path file,
      Map<String, Int8Rewrite.Range> ranges) implements Checked {
    /** Copies the ranges. */
    public Int8 {
      ranges = Map.copyOf(ranges);
    }
  }

  /**
   * The model in the precision asked for, verified; the model itself for fp32.
   *
   * @param m a loaded model; the returned model owns it (it is closed when refused)
   * @param precision {@code fp32}, {@code int8}, {@code fp16} or {@code bf16}
   * @param log receives one line with the measured error and speed-up when int8 or fp16 is used
   * @return the model to run
   * @throws FoveaException when the precision is refused for this model, engine or device, or
   *     its test output is not within the package's tolerance, saying by how much
   */
  public static Model apply(Model m, String precision, Consumer<String> log) {
    String p = of(precision);
    if (p.equals("fp32")) {
      return m;
    }
    Checked c;
    try {
      refusal(m, p);
      c = p.equals("fp16") ? fp16(m) : int8(m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    String name = m.pkg().name();
    if (!c.passed()) {
      c.network().close();
      m.close();
      throw new FoveaException(String.format(Locale.ROOT, "model '%s' is refused in %s: its test"
          + " input gives outputs %s its test output (fp32: up to %.3g away), beyond the package's"
          + " tolerance, so its results in %s would be wrong; run it in fp32 (leave out"
          + " --precision)", name, p, c.detail(), c.fp32Error(), p));
    }
    Tensor x = m.preprocess(SelfCheck.testTensors(m.pkg(), true).get(0));
    double[] ms = timeInterleaved(m.network(), c.network(), x, 1, 5);
    String what = c instanceof Int8 q ? String.format(Locale.ROOT, "int8 (%d convolutions, %d"
        + " fused into int8 kernels)", q.convolutions(), q.fused())
        : String.format(Locale.ROOT, "fp16 on %s (%d tensors converted)", m.network().device(),
            ((Fp16) c).tensors());
    log.accept(String.format(Locale.ROOT, "fovea: model '%s' runs in %s: its test output within"
        + " the package's tolerance (up to %.3g away, fp32 %.3g), speed-up %.2fx on its test input"
        + " (fp32 %.1f ms, %s %.1f ms)", name, what, c.maxAbsError(), c.fp32Error(),
        ms[0] / ms[1], ms[0], p, ms[1]));
    Halo halo = m.halo();
    WeightFormat f = m.format();
    m.close();
    Network n = c instanceof Int8 q ? new Int8Network(q.network(), q.ranges())
        : new Fp16Network(c.network());
    return Model.derived(m.pkg(), n, f, halo);
  }

  /**
   * A network in a reduced precision, checked against the package's test tensors.
   *
   * @since 0.5.0
   */
  public interface Checked {
    /** @return the network; whoever uses it closes it */
    Network network();

    /** @return whether the test output is within the package's tolerance */
    boolean passed();

    /** @return how far off the test output it is, in words */
    String detail();

    /** @return the largest difference from the test output */
    double maxAbsError();

    /** @return the fp32 network's largest difference from the test output */
    double fp32Error();
  }

  /**
   * An fp16 network checked against the package's test tensors.
   *
   * @param network the fp16 network (on ONNX Runtime, on the model's device); whoever uses it
   *     closes it
   * @param passed whether the test output is within the package's tolerance
   * @param detail how far off the test output it is, in words
   * @param maxAbsError the largest difference from the test output
   * @param fp32Error the fp32 network's largest difference from the test output
   * @param tensors how many initializers and constants were converted to float16
   * @param file the fp16 graph (in Fovea's cache folder)
   * @since 0.5.0
   */
  public record Fp16(Network network, boolean passed, String detail, double maxAbsError,
      double fp32Error, int tensors, Path file) implements Checked {}

  /**
   * Converts a model's ONNX graph to float16 ({@link Fp16Rewrite}) and compares the fp16
   * network's output on the package's test input with its test output, on the model's device. It
   * does not refuse: the caller decides ({@link Fp16#passed()}); {@link #apply} uses it on GPUs
   * only, where the CUDA provider has half-precision convolutions.
   *
   * @param m a model loaded on ONNX Runtime from its ONNX weights, with test tensors
   * @return the fp16 network and how it compares
   * @throws FoveaException when the graph cannot be converted or loaded
   * @since 0.5.0
   */
  public static Fp16 fp16(Model m) {
    Path weights = m.pkg().weights().get(WeightFormat.ONNX);
    if (!m.network().engine().equals("onnxruntime") || weights == null) {
      throw new FoveaException("--precision fp16 runs on ONNX Runtime from the package's ONNX"
          + " weights, and model '" + m.pkg().name() + "' runs on " + m.network().engine()
          + ": choose --engine onnxruntime");
    }
    byte[] bytes = read(weights);
    Fp16Rewrite.Result r = Fp16Rewrite.convert(bytes, weights.toString());
    Path file = cachedGraph("fp16", r.model());
    Network net = Engines.byName("onnxruntime").load(file, m.network().inputs(),
        m.network().outputs(), m.network().device());
    try {
      List<Tensor> testIn = SelfCheck.testTensors(m.pkg(), true);
      List<Tensor> testOut = SelfCheck.testTensors(m.pkg(), false);
      Map<String, Tensor> y = m.runAll(testIn, net);
      SelfCheck.Comparison cmp = SelfCheck.compareAll(m, y, testOut);
      return new Fp16(net, cmp.passed(), cmp.detail(), maxAbs(y, testOut),
          maxAbs(m.runAll(testIn), testOut), r.tensors(), file);
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  /** The fp16 network of a model, so that dense prediction converts its rewrite the same way. */
  static final class Fp16Network extends org.fovea.ops.net.ForwardingNetwork {
    Fp16Network(Network n) {
      super(n);
    }
  }

  /**
   * Why a precision other than fp32 cannot be used for this model, as an exception.
   *
   * @throws FoveaException unless the precision is int8 and the model runs on ONNX Runtime's CPU
   *     provider from its ONNX weights, with one input and test tensors
   */
  private static void refusal(Model m, String p) {
    String name = m.pkg().name();
    String engine = m.network().engine();
    boolean gpu = m.network().device().startsWith("gpu");
    if (p.equals("bf16") || p.equals("fp16") && !gpu) {
      String why = p.equals("fp16") ? "ONNX Runtime 1.29's CPU provider has no float16"
          + " convolution on x86 (it casts an fp16 graph's convolutions back to float32, so"
          + " nothing is gained); fp16 is for GPUs (--device gpu)"
          : "ONNX Runtime 1.29 has no bfloat16 convolution (its Conv refuses bfloat16 inputs)";
      throw new FoveaException("--precision " + p + " is refused for model '" + name + "': "
          + why + "; use --precision int8 (verified) or fp32");
    }
    if (!engine.equals("onnxruntime") || m.format() != WeightFormat.ONNX) {
      throw new FoveaException("--precision " + p + " runs on ONNX Runtime only, and model '"
          + name + "' runs on " + engine + ", which Fovea runs in fp32 only; "
          + (m.pkg().weights().containsKey(WeightFormat.ONNX) ? "choose --engine onnxruntime"
          : "its package has no ONNX weights, so leave out --precision"));
    }
    if (p.equals("int8") && gpu) {
      throw new FoveaException("--precision int8 is refused for model '" + name + "' on "
          + m.network().device() + ": Fovea's int8 is made and measured for ONNX Runtime's CPU"
          + " kernels only (not tried on the GPU); use --device cpu, or leave out --precision");
    }
    if (m.pkg().testInputs().isEmpty() || m.pkg().testOutputs().isEmpty()) {
      throw new FoveaException("model '" + name + "' has no test tensors, so its " + p + " results"
          + " cannot be verified: add test_inputs and test_outputs to its rdf.yaml, or leave out"
          + " --precision");
    }
    if (p.equals("int8") && m.pkg().inputs().size() != 1) {
      throw new FoveaException("model '" + name + "' has " + m.pkg().inputs().size() + " inputs;"
          + " Fovea's int8 calibrates models of one input only: leave out --precision");
    }
  }

  /**
   * Quantizes a model's ONNX graph to int8, calibrated on its test input, and compares the int8
   * network's output on that input with the test output. It does not refuse: the caller decides
   * ({@link Int8#passed()}).
   *
   * @param m a model loaded on ONNX Runtime from its ONNX weights, with one input and test
   *     tensors
   * @return the int8 network and how it compares
   * @throws FoveaException when the model cannot be quantized (another engine, no test tensors,
   *     a graph ONNX Runtime refuses)
   */
  public static Int8 int8(Model m) {
    refusal(m, "int8");
    Path weights = m.pkg().weights().get(WeightFormat.ONNX);
    byte[] bytes = read(weights);
    List<Tensor> testIn = SelfCheck.testTensors(m.pkg(), true);
    List<Tensor> testOut = SelfCheck.testTensors(m.pkg(), false);
    Tensor x = m.preprocess(testIn.get(0));
    String device = m.network().device();
    TensorSpec in = m.network().inputs().get(0);
    Int8Rewrite.Calibration c = Int8Rewrite.calibration(bytes, weights.toString());
    Map<String, Int8Rewrite.Range> ranges = new HashMap<>();
    for (String i : c.inputs()) {
      ranges.put(i, range(x.data()));
    }
    if (!c.outputs().isEmpty()) {
      List<TensorSpec> outs = new ArrayList<>();
      for (String o : c.outputs()) {
        int n = in.axes().size();
        outs.add(new TensorSpec(o, in.axes(), new long[n], new long[n], new long[n], null, null,
            null));
      }
      try (Network cal = Engines.byName("onnxruntime").load(file(c.model()), List.of(in), outs,
          device)) {
        for (Map.Entry<String, Tensor> e : cal.predict(Map.of(in.name(), x)).entrySet()) {
          ranges.put(e.getKey(), range(e.getValue().data()));
        }
      }
    }
    Int8Rewrite.Result r = Int8Rewrite.quantize(bytes, ranges, weights.toString());
    Path file = file(r.model());
    Network net = Engines.byName("onnxruntime").load(file, m.network().inputs(),
        m.network().outputs(), device);
    try {
      Map<String, Tensor> y = m.runAll(testIn, net);
      SelfCheck.Comparison cmp = SelfCheck.compareAll(m, y, testOut);
      double err = maxAbs(y, testOut);
      double fp32 = maxAbs(m.runAll(testIn), testOut);
      int fused = OnnxRuntimeEngine.optimizedOperators(file)
          .getOrDefault("com.microsoft.QLinearConv", 0);
      return new Int8(net, cmp.passed(), cmp.detail(), err, fp32, r.convolutions(), fused, file,
          ranges);
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  /**
   * The package's tolerance for one of its outputs (what {@link #apply} holds int8 to).
   *
   * @param m a model
   * @return the tolerance of its first output, in short ({@code 1e-4 x range}: 1e-4 of the test
   *     output's range, Fovea's default)
   */
  public static String tolerance(Model m) {
    String out = m.network().outputs().get(0).name();
    for (ReproducibilityTolerance t : m.pkg().tolerances()) {
      if (t.appliesTo(out, m.format())) {
        return String.format(Locale.ROOT, "%.3g + %.3g x |expected|, %.0f per million", t.absolute(),
            t.relative(), t.mismatchedPerMillion());
      }
    }
    return "1e-4 x range";
  }

  /**
   * Times two networks on the same input, alternating, so that both see the same machine load.
   *
   * @param a a network
   * @param b another network with the same inputs
   * @param x the input of both
   * @param warmup untimed runs of each first
   * @param runs timed runs of each
   * @return the median milliseconds of {@code a} and of {@code b}
   */
  public static double[] timeInterleaved(Network a, Network b, Tensor x, int warmup, int runs) {
    for (int i = 0; i < warmup; i++) {
      a.predict(x);
      b.predict(x);
    }
    double[] ta = new double[runs];
    double[] tb = new double[runs];
    for (int i = 0; i < runs; i++) {
      boolean aFirst = i % 2 == 0;
      double[] first = aFirst ? ta : tb;
      double[] second = aFirst ? tb : ta;
      long t0 = System.nanoTime();
      (aFirst ? a : b).predict(x);
      long t1 = System.nanoTime();
      (aFirst ? b : a).predict(x);
      long t2 = System.nanoTime();
      first[i] = (t1 - t0) / 1e6;
      second[i] = (t2 - t1) / 1e6;
    }
    return new double[] {median(ta), median(tb)};
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double maxAbs(Map<String, Tensor> y, List<Tensor> expected) {
    double max = 0;
    int i = 0;
    for (Tensor t : y.values()) {
      max = Math.max(max, t.maxAbsDifference(expected.get(i++)));
    }
    return max;
  }

  private static Int8Rewrite.Range range(float[] d) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float f : d) {
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
    return new Int8Rewrite.Range(lo, hi);
  }

  private static byte[] read(Path weights) {
    try {
      return Files.readAllBytes(weights);
    } catch (IOException e) {
      throw new FoveaException("cannot read " + weights + " (" + e.getMessage() + "): check that"
          + " it is a readable file", e);
    }
  }

  private static Path file(byte[] model) {
    return cachedGraph("int8", model);
  }

  private static Path cachedGraph(String kind, byte[] model) {
    try {
      return Dense.cached(kind, model);
    } catch (IOException e) {
      throw new FoveaException("cannot write the " + kind + " graph to Fovea's cache folder ("
          + e.getMessage() + "): check that it is writable", e);
    }
  }

  /**
   * The int8 network of a model, with its calibration, so that dense prediction quantizes its
   * rewrite of the graph the same way.
   */
  static final class Int8Network extends org.fovea.ops.net.ForwardingNetwork {
    private final Map<String, Int8Rewrite.Range> ranges;

    Int8Network(Network n, Map<String, Int8Rewrite.Range> ranges) {
      super(n);
      this.ranges = Map.copyOf(ranges);
    }

    /** @return the calibrated range of every quantized tensor */
    Map<String, Int8Rewrite.Range> ranges() {
      return ranges;
    }
  }
}
