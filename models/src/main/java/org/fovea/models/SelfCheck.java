package org.fovea.models;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.fovea.models.engine.EngineProvider;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.engine.Engines;
import org.fovea.models.pkg.Digests;
import org.fovea.models.pkg.Npy;
import org.fovea.models.pkg.ReproducibilityTolerance;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.saliency.GradientCheck;
import org.fovea.ops.saliency.Target;

/**
 * Engines verify themselves: the first time a model runs on an (engine, engine version and
 * settings, device, CPU) combination, its package's test input is run and compared with its test
 * output; the first time gradients are asked for, they are compared with central finite
 * differences at a few input values. Each verdict is remembered per user (in {@link #cacheDir()},
 * keyed by the weights' SHA-256 and the combination), so each check costs its passes once. A model
 * that fails is refused with one sentence, never run to a silently wrong result.
 *
 * <p>The tolerance is the package's {@code config.bioimageio.reproducibility_tolerance} where it
 * gives one, else 1e-4 of the test output's range. The system property {@code fovea.verify=false}
 * (CLI {@code --no-verify}, macro key {@code no_verify}) skips every check.
 *
 * @since 0.2.0
 */
public final class SelfCheck {

  /** The system property that turns the checks off when {@code false}. */
  public static final String PROPERTY = "fovea.verify";

  /** Gradients agree when the largest error is at most this share of the largest gradient. */
  static final double GRADIENT_TOLERANCE = 1e-2;

  /** Largest side of the window the gradient probe differentiates. */
  private static final int PROBE_SIDE = 48;

  private static final Map<String, String> FINGERPRINTS = new ConcurrentHashMap<>();
  private static final Set<String> NOTICED = ConcurrentHashMap.newKeySet();
  private static volatile Consumer<String> notices = System.err::println;
  private static volatile String cpu;

  /**
   * A remembered outcome.
   *
   * @param passed whether the engine agreed
   * @param detail how far off it was, in words ({@code max abs difference 0.707, 1234 of 196608
   *     values beyond 1e-4})
   * @param seconds what the check cost when it ran
   * @param cached whether this verdict was read from the cache
   */
  public record Verdict(boolean passed, String detail, double seconds, boolean cached) {}

  private SelfCheck() {}

  /** @return whether checks run ({@code fovea.verify} is not {@code false}) */
  public static boolean enabled() {
    String p = System.getProperty(PROPERTY);
    if (p == null) {
      p = System.getenv("FOVEA_VERIFY");
    }
    return p == null || !p.trim().equalsIgnoreCase("false");
  }

  /** @return where verdicts are kept: {@code fovea.verify.cache}, else {@code ~/.fovea/verified} */
  public static Path cacheDir() {
    String p = System.getProperty("fovea.verify.cache");
    return p != null && !p.isBlank() ? Paths.get(p)
        : Paths.get(System.getProperty("user.home"), ".fovea", "verified");
  }

  /**
   * Where one-line notices go (a model that cannot be verified); standard error by default.
   *
   * @param sink the receiver, such as {@code IJ::log}
   */
  public static void setNotices(Consumer<String> sink) {
    notices = sink == null ? System.err::println : sink;
  }

  /**
   * Tells the user something through the notices sink (standard error, or ImageJ's Log window).
   *
   * @param line one line
   */
  static void tell(String line) {
    notices.accept(line);
  }

  /**
   * Checks a loaded model's forward pass against its test tensors, once per combination.
   *
   * @param m the model
   * @param raw the engine's network, unwrapped
   * @throws FoveaException naming the model, engine, difference and what to do, when it disagrees
   */
  static void forward(Model m, Network raw) {
    if (m.pkg().testInputs().isEmpty() || m.pkg().testOutputs().isEmpty()) {
      notice(m, raw, "has no test tensors, so its results on " + raw.engine()
          + " cannot be verified");
      return;
    }
    String key = key("forward", m, raw);
    Verdict v = read(key);
    if (v == null) {
      long t0 = System.nanoTime();
      String detail;
      boolean passed;
      try {
        Comparison c = compareAll(m, m.runAll(testTensors(m.pkg(), true), raw),
            testTensors(m.pkg(), false));
        passed = c.passed();
        detail = c.detail();
      } catch (FoveaException | IllegalArgumentException e) {
        // Fovea cannot feed this package its own test input (several inputs, say): say so once
        notice(m, raw, "could not be verified on " + raw.engine() + " (" + e.getMessage() + ")");
        return;
      }
      v = new Verdict(passed, detail, (System.nanoTime() - t0) / 1e9, false);
      write(key, "forward", m, raw, v);
    }
    if (!v.passed()) {
      throw refusal(m, raw, "its test input gives outputs " + v.detail() + " its test output",
          "results");
    }
  }

  /**
   * Checks an engine's gradients against central finite differences on a small window of the
   * package's test input (or a fixed pattern when it has none), once per combination.
   *
   * @param m the model
   * @param raw the engine's network, unwrapped; it must differentiate
   * @throws FoveaException when the gradients disagree
   */
  static void gradients(Model m, Network raw) {
    // "v2": one-sided differences count too since 2026-12-06; verdicts of the older check
    // (which refused correct gradients next to a ReLU kink) are not reused
    String key = key("gradient v2", m, raw);
    Verdict v = read(key);
    if (v == null) {
      long t0 = System.nanoTime();
      GradientCheck.Result r;
      try {
        Tensor x = probeInput(m);
        int ci = x.axes().indexOf(Axis.CHANNEL);
        int channels = m.outputChannels(ci < 0 ? 1 : x.size(Axis.CHANNEL));
        // one output value at the window's centre: a sum over many would cancel in float32
        Tensor y = raw.predict(x);
        int xi = y.axes().indexOf(Axis.X);
        int yi = y.axes().indexOf(Axis.Y);
        Target t = Target.pixel(Math.min(1, channels - 1), xi < 0 ? 0 : y.shape()[xi] / 2,
            yi < 0 ? 0 : y.shape()[yi] / 2);
        r = GradientCheck.check(raw, x, t, 6, 1e-2, 11);
      } catch (FoveaException | IllegalArgumentException e) {
        notice(m, raw, "gradients could not be verified on " + raw.engine() + " ("
            + e.getMessage() + ")");
        return;
      }
      boolean passed = r.passes(GRADIENT_TOLERANCE);
      String detail = String.format(Locale.ROOT, "%s off finite differences (engine %s, finite"
          + " difference %s at input value %d, tolerance %s of the largest gradient)",
          num(r.maxError()), num(r.engine()), num(r.finite()), r.worstIndex(),
          num(GRADIENT_TOLERANCE));
      v = new Verdict(passed, detail, (System.nanoTime() - t0) / 1e9, false);
      write(key, "gradient", m, raw, v);
    }
    if (!v.passed()) {
      throw refusal(m, raw, "its gradients are " + v.detail(), "gradient maps");
    }
  }

  /**
   * Records the verdict of an explicit validation ({@code fovea models validate}), so that later
   * runs of the same combination need no check.
   *
   * @param m the model
   * @param y the output of its test input
   * @param expected its test output
   * @return the verdict
   */
  static Verdict record(Model m, Map<String, Tensor> y, List<Tensor> expected) {
    Network raw = m.network() instanceof VerifiedNetwork vn ? vn.raw() : m.network();
    Comparison c = compareAll(m, y, expected);
    Verdict v = new Verdict(c.passed(), c.detail(), 0, false);
    write(key("forward", m, raw), "forward", m, raw, v);
    return v;
  }

  /** The outcome of comparing an output with the expected one. */
  record Comparison(boolean passed, String detail) {}

  /**
   * @param pkg a package
   * @param inputs the test inputs when true, else the test outputs
   * @return its test tensors, one per input (or output), each read with its tensor's axes
   * @throws FoveaException when there is not one per tensor
   */
  static List<Tensor> testTensors(ModelPackage pkg, boolean inputs) {
    List<java.nio.file.Path> files = inputs ? pkg.testInputs() : pkg.testOutputs();
    var tensors = inputs ? pkg.inputs() : pkg.outputs();
    if (files.size() != tensors.size()) {
      throw new FoveaException("model '" + pkg.name() + "' has " + tensors.size() + " "
          + (inputs ? "input" : "output") + "(s) but " + files.size() + " test tensor(s) for"
          + " them: give one test tensor per " + (inputs ? "input" : "output"));
    }
    List<Tensor> r = new java.util.ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      r.add(Npy.read(files.get(i), tensors.get(i).spec().axes()));
    }
    return r;
  }

  /**
   * Compares every output with its test output; the verdict passes when each does, and its detail
   * is the worst output's (named when there are several).
   */
  static Comparison compareAll(Model m, Map<String, Tensor> y, List<Tensor> expected) {
    Comparison worst = null;
    boolean passed = true;
    int i = 0;
    for (Map.Entry<String, Tensor> e : y.entrySet()) {
      Tensor want = expected.get(i++);
      Comparison c = compare(e.getValue(), want, tolerance(m, e.getKey(), want));
      String named = y.size() > 1 ? c.detail().replaceFirst(" from$", " from output '"
          + e.getKey() + "' of") : c.detail();
      if (worst == null || !c.passed() && worst.passed()) {
        worst = new Comparison(c.passed(), named);
      }
      passed &= c.passed();
    }
    return new Comparison(passed, worst == null ? "nothing to compare with" : worst.detail());
  }

  /**
   * @param y an output
   * @param expected the expected output
   * @param t the tolerance
   * @return whether they agree, and how far apart they are in words
   */
  static Comparison compare(Tensor y, Tensor expected, ReproducibilityTolerance t) {
    if (!java.util.Arrays.equals(y.shape(), expected.shape())) {
      return new Comparison(false, "of shape " + java.util.Arrays.toString(y.shape())
          + " where it has " + java.util.Arrays.toString(expected.shape()) + " in");
    }
    float[] a = y.data();
    float[] b = expected.data();
    long bad = 0;
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (!(d <= t.absolute() + t.relative() * Math.abs(b[i]))) { // NaN is a mismatch
        bad++;
      }
      max = Double.isNaN(d) || Double.isNaN(max) ? Double.NaN : Math.max(max, d);
    }
    boolean passed = bad <= Math.floor(t.mismatchedPerMillion() * a.length / 1e6);
    String tol = t.relative() == 0 ? num(t.absolute())
        : num(t.absolute()) + " + " + num(t.relative()) + " × |expected|";
    return new Comparison(passed, "up to " + num(max) + " away (" + bad + " of " + a.length
        + " values beyond " + tol + ") from");
  }

  /** The package's tolerance for an output and format, else 1e-4 of the test output's range. */
  private static ReproducibilityTolerance tolerance(Model m, String output, Tensor expected) {
    for (ReproducibilityTolerance t : m.pkg().tolerances()) {
      if (t.appliesTo(output, m.format())) {
        return t;
      }
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (float f : expected.data()) {
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
    return ReproducibilityTolerance.ofRange(hi - lo);
  }

  /** A window of at most {@link #PROBE_SIDE} per spatial axis from the test input, normalized. */
  private static Tensor probeInput(Model m) {
    TensorSpec spec = m.pkg().inputs().get(0).spec();
    Tensor x;
    if (!m.pkg().testInputs().isEmpty()) {
      x = Npy.read(m.pkg().testInputs().get(0), spec.axes());
    } else {
      long[] shape = new long[spec.axes().size()];
      for (int i = 0; i < shape.length; i++) {
        Axis a = spec.axes().get(i);
        shape[i] = a.isSpatial() ? size(spec, i, PROBE_SIDE) : Math.max(1, spec.min()[i]);
      }
      x = Tensor.zeros(spec.axes(), shape);
      java.util.Random r = new java.util.Random(3);
      for (int i = 0; i < x.data().length; i++) {
        x.data()[i] = r.nextFloat();
      }
    }
    long[] from = new long[x.shape().length];
    long[] size = x.shape().clone();
    for (int i = 0; i < size.length; i++) {
      if (spec.axes().get(i).isSpatial()) {
        size[i] = Math.min(x.shape()[i], size(spec, i, PROBE_SIDE));
        from[i] = (x.shape()[i] - size[i]) / 2;
      }
    }
    return m.preprocess(x.box(from, size));
  }

  /** The smallest size the input takes on axis i that is at least {@code want}. */
  private static long size(TensorSpec spec, int i, long want) {
    long min = spec.min()[i];
    long step = spec.step()[i];
    if (step <= 0 || min >= want) {
      return Math.max(min, step <= 0 ? min : want);
    }
    return min + (want - min + step - 1) / step * step;
  }

  private static FoveaException refusal(Model m, Network raw, String what, String output) {
    List<String> others = Engines.all().stream()
        .filter(e -> !e.name().equals(raw.engine()))
        .filter(e -> e.formats().stream().anyMatch(m.pkg().weights()::containsKey))
        .map(EngineProvider::name).toList();
    String instead = others.isEmpty() ? "" : "run it on another engine (--engine "
        + String.join(" or ", others) + "), or ";
    return new FoveaException("model '" + m.pkg().name() + "' is refused on " + raw.engine() + " "
        + combination(raw) + ": " + what + ", so its " + output + " here would be wrong; "
        + instead + "skip this check with --no-verify (macro key no_verify) only if you have"
        + " checked the results another way");
  }

  private static String combination(Network raw) {
    EngineProvider e = provider(raw);
    String settings = e == null ? "" : e.settings();
    return (e == null ? "" : e.version() + " ") + "(" + raw.device()
        + (settings.isEmpty() ? "" : ", " + settings) + ", " + cpu() + ")";
  }

  private static EngineProvider provider(Network raw) {
    return Engines.all().stream().filter(e -> e.name().equals(raw.engine())).findFirst()
        .orElse(null);
  }

  private static void notice(Model m, Network raw, String what) {
    if (NOTICED.add(m.pkg().source() + " " + raw.engine() + " " + what)) {
      notices.accept("Fovea: model '" + m.pkg().name() + "' " + what);
    }
  }

  /**
   * The cache key: kind, weights digest, the description's and test tensors' digests (a changed
   * description, its pre-processing say, changes what the package computes and is verified
   * anew), engine, version, settings, device, CPU.
   */
  private static String key(String kind, Model m, Network raw) {
    Path w = m.pkg().weights().get(m.format());
    StringBuilder fp = new StringBuilder(fingerprint(w));
    List<Path> described = new java.util.ArrayList<>();
    if (m.pkg().descriptionFile() != null) {
      described.add(m.pkg().descriptionFile());
    }
    described.addAll(m.pkg().testInputs());
    described.addAll(m.pkg().testOutputs());
    for (Path p : described) {
      fp.append(' ').append(fingerprint(p));
    }
    EngineProvider e = provider(raw);
    return String.join("\n", kind, fp, raw.engine(), e == null ? "" : e.version(),
        e == null ? "" : e.settings(), raw.device(), cpu(), cpuFlags());
  }

  private static String fingerprint(Path w) {
    String stamp;
    try {
      stamp = w + " " + Files.size(w) + " " + Files.getLastModifiedTime(w).toMillis();
    } catch (IOException e) {
      stamp = w.toString();
    }
    return FINGERPRINTS.computeIfAbsent(stamp, s -> Digests.fingerprint(w));
  }

  private static Path file(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return cacheDir().resolve(HexFormat.of().formatHex(d, 0, 16) + ".properties");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
  }

  private static Verdict read(String key) {
    Path f = file(key);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      return null; // unreadable: check again
    }
    if (!key.equals(p.getProperty("key")) || p.getProperty("passed") == null) {
      return null;
    }
    return new Verdict(Boolean.parseBoolean(p.getProperty("passed")), p.getProperty("detail", ""),
        Double.parseDouble(p.getProperty("seconds", "0")), true);
  }

  private static void write(String key, String kind, Model m, Network raw, Verdict v) {
    Path f = file(key);
    Properties p = new Properties();
    p.setProperty("key", key);
    p.setProperty("kind", kind);
    p.setProperty("model", m.pkg().name());
    p.setProperty("weights", String.valueOf(m.pkg().weights().get(m.format())));
    p.setProperty("engine", raw.engine() + " " + combination(raw));
    p.setProperty("passed", Boolean.toString(v.passed()));
    p.setProperty("detail", v.detail());
    p.setProperty("seconds", String.format(Locale.ROOT, "%.3f", v.seconds()));
    p.setProperty("checked", Instant.now().toString());
    try {
      AtomicFiles.write(f, tmp -> {
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          p.store(w, "Fovea self-check verdict; delete this file to check again");
        }
      });
    } catch (FoveaException e) {
      // an unwritable home only costs the check again next time
      notice(m, raw, "self-check verdict could not be saved in " + f.getParent() + " ("
          + e.getMessage() + ")");
    }
  }

  /** @return the CPU's model name, family and model, from /proc/cpuinfo where there is one */
  static String cpu() {
    if (cpu == null) {
      String name = System.getProperty("os.arch");
      try {
        Map<String, String> f = cpuinfo();
        if (f.containsKey("model name")) {
          name = f.get("model name") + " (family " + f.getOrDefault("cpu family", "?")
              + ", model " + f.getOrDefault("model", "?") + ")";
        }
      } catch (IOException e) {
        // not Linux: the architecture stands for the CPU
      }
      cpu = name;
    }
    return cpu;
  }

  /** @return a digest of the CPU's feature flags (the instruction sets kernels dispatch on) */
  private static String cpuFlags() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(
          cpuinfo().getOrDefault("flags", "").getBytes(StandardCharsets.UTF_8));
      return "flags " + HexFormat.of().formatHex(d, 0, 8);
    } catch (IOException e) {
      return "";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
  }

  private static Map<String, String> cpuinfo() throws IOException {
    Map<String, String> f = new java.util.HashMap<>();
    for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
      if (line.isBlank()) {
        break; // the first processor is enough
      }
      int c = line.indexOf(':');
      if (c > 0) {
        f.putIfAbsent(line.substring(0, c).trim(), line.substring(c + 1).trim());
      }
    }
    return f;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
