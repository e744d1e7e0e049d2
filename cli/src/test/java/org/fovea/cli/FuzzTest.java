package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.fovea.io.ImageFiles;
import org.fovea.models.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small, seeded fuzz harness over the three kinds of file a user hands Fovea: TIFF images,
 * package descriptions ({@code rdf.yaml}) and ONNX weights. Each mutated file is run through
 * {@code fovea segment}; the only outcomes allowed are <b>success</b> (exit 0, a complete output
 * without NaN; for a mutated description or weights, the same numbers as the intact package
 * within {@link #TOLERANCE}, since a package whose test tensors no longer match is refused) or
 * <b>one sentence</b> (exit 2, one line {@code fovea: ...} after any {@code Fovea:} notices,
 * nothing written, no temporary file). Never an internal error, a stack trace, a hang (60 s per
 * file) or a wrong-but-successful result.
 *
 * <p>Counts are bounded (system properties {@code fovea.fuzz.tiff}, {@code fovea.fuzz.yaml},
 * {@code fovea.fuzz.onnx}; seed {@code fovea.fuzz.seed}) and printed per format and outcome.
 */
class FuzzTest {

  private static final long SEED = Long.getLong("fovea.fuzz.seed", 19);

  /**
   * How far a successful run of a mutated package may be from the intact one's, on an image other
   * than its test input: the self-check admits 1e-4 of the test output's range there (the package
   * default), and a mutated weight just inside that gave 1.5e-4 on this image (seed 3).
   */
  private static final double TOLERANCE = 1e-3;

  @TempDir
  Path tmp;

  /** Outcomes per class, and the inputs that broke the contract. */
  private final Map<String, Integer> outcomes = new LinkedHashMap<>();
  private final List<String> broken = new ArrayList<>();
  private final Map<String, Double> slowest = new LinkedHashMap<>();
  private final Map<String, String> slowestWhy = new LinkedHashMap<>();

  private Path image() throws IOException {
    ImagePlus s = ImageFiles.open(ImageFiles.sample());
    s.setRoi(200, 200, 64, 64);
    ImagePlus crop = new ImagePlus("crop", s.getProcessor().crop());
    Path p = tmp.resolve("image.tif");
    assertTrue(new FileSaver(crop).saveAsTiff(p.toString()));
    return p;
  }

  /** Runs one mutated case and files its outcome; {@code reference} null: any output is fine. */
  private void run(String what, Path out, float[][] reference, String... args) {
    Cli r;
    long t0 = System.nanoTime();
    try {
      r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run(args));
    } catch (AssertionError e) {
      file(what, "hang", "more than 60 s");
      return;
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    String kind = what.replaceAll(" \\(.*", "");
    if (secs > slowest.getOrDefault(kind, 0.0)) {
      slowest.put(kind, secs);
      slowestWhy.put(kind, "exit " + r.code() + ": " + r.err().strip().lines().reduce((a, b) -> b)
          .orElse("") + (r.out().isBlank() ? "" : " / " + r.out().strip()));
      try { // kept for a look: target/fuzz-slowest-KIND
        Files.createDirectories(Path.of("target"));
        Files.copy(current, Path.of("target", "fuzz-slowest-" + kind.replace('.', '-')),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        // only a courtesy
      }
    }
    // notices ("Fovea: model ... could not be verified") may come before the one error sentence
    String err = r.err().strip().lines().filter(l -> !l.startsWith("Fovea: "))
        .reduce((a, b) -> a + "\n" + b).orElse("");
    boolean trace = (r.out() + r.err()).contains("\tat ") || err.contains("    at ");
    List<String> left = listing(out.getParent());
    if (r.code() == 2 && !trace && err.startsWith("fovea: ") && err.lines().count() == 1
        && left.isEmpty()) {
      file(what, "refused with one sentence", null);
    } else if (r.code() == 0 && !trace && left.equals(List.of(out.getFileName().toString()))) {
      String problem = check(out, reference);
      file(what, problem == null ? "succeeded" : "wrong result", problem);
    } else {
      file(what, "broke the contract", "exit " + r.code() + ", left " + left + ": " + err);
    }
    clean(out.getParent());
  }

  private void file(String what, String outcome, String detail) {
    outcomes.merge(what.replaceAll(" \\(.*", "") + " " + outcome, 1, Integer::sum);
    if (detail != null) {
      broken.add(what + ": " + outcome + ": " + detail + keep());
    }
  }

  /** The file that broke the contract, kept for a rerun (the temporary folder goes). */
  private Path current;

  private String keep() {
    if (current == null) {
      return "";
    }
    try {
      Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
      Path copy = dir.resolve(broken.size() + "-" + current.getFileName());
      Files.copy(current, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return " (kept as " + copy.toAbsolutePath() + ")";
    } catch (IOException e) {
      return "";
    }
  }

  /** Null when the output is whole, finite and (with a reference) equal to it within 1e-4. */
  private static String check(Path out, float[][] reference) {
    ImagePlus p = new Opener().openImage(out.toString());
    if (p == null) {
      return "the output does not open";
    }
    for (int c = 1; c <= p.getStackSize(); c++) {
      float[] v = (float[]) p.getStack().getProcessor(c).convertToFloatProcessor().getPixels();
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          return "non-finite output";
        }
        if (reference != null && Math.abs(v[i] - reference[c - 1][i]) > TOLERANCE) {
          return "output differs from the intact package's by " + Math.abs(v[i]
              - reference[c - 1][i]) + " at class " + c + ", pixel " + i;
        }
      }
    }
    return null;
  }

  private static float[][] read(Path out) {
    ImagePlus p = new Opener().openImage(out.toString());
    float[][] r = new float[p.getStackSize()][];
    for (int c = 1; c <= r.length; c++) {
      r[c - 1] = ((float[]) p.getStack().getProcessor(c).convertToFloatProcessor().getPixels())
          .clone();
    }
    return r;
  }

  private static List<String> listing(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of("unlistable: " + e);
    }
  }

  private static void clean(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One random change: flipped bytes (mostly in the header), a cut, extreme 32-bit values. */
  static byte[] mutate(byte[] in, Random rnd, int header) {
    byte[] b = in.clone();
    switch (rnd.nextInt(4)) {
      case 0 -> {
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
          b[rnd.nextInt(Math.min(header, b.length))] ^= (byte) (1 << rnd.nextInt(8));
        }
      }
      case 1 -> {
        int n = 1 + rnd.nextInt(16);
        for (int k = 0; k < n; k++) {
          b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
      }
      case 2 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
      default -> {
        int[] extreme = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 65536, 1 << 24};
        int at = rnd.nextInt(Math.max(1, Math.min(header, b.length) - 4));
        int v = extreme[rnd.nextInt(extreme.length)];
        for (int k = 0; k < 4 && at + k < b.length; k++) {
          b[at + k] = (byte) (v >>> (8 * k));
        }
      }
    }
    return b;
  }

  /** One random change of a YAML text: a line dropped, doubled or swapped, a character, a cut. */
  static String mutate(String yaml, Random rnd) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    int i = rnd.nextInt(lines.size());
    String[] tokens = {":", "-", "[", "]", "{", "}", "'", "\"", "#", "&a", "*a", "!!python/object",
        "|", ">", "%", "@", "\t", "0", "-1", "1e309", ".nan", "~", "  "};
    switch (rnd.nextInt(6)) {
      case 0 -> lines.remove(i);
      case 1 -> lines.add(i, lines.get(i));
      case 2 -> java.util.Collections.swap(lines, i, rnd.nextInt(lines.size()));
      case 3 -> {
        String l = lines.get(i);
        int at = l.isEmpty() ? 0 : rnd.nextInt(l.length());
        lines.set(i, l.substring(0, at) + tokens[rnd.nextInt(tokens.length)]
            + (l.isEmpty() ? "" : l.substring(at + (rnd.nextBoolean() ? 1 : 0))));
      }
      case 4 -> lines.set(i, lines.get(i).replaceAll("-?\\d+(\\.\\d+)?",
          List.of("0", "-1", "1e9", "99999999999999999999", "nan").get(rnd.nextInt(5))));
      default -> {
        return yaml.substring(0, rnd.nextInt(yaml.length()));
      }
    }
    return String.join("\n", lines) + "\n";
  }

  /** The first line that differs, for the report. */
  private static String firstChange(String a, String b) {
    List<String> x = a.lines().toList();
    List<String> y = b.lines().toList();
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      String l = i < x.size() ? x.get(i) : "<end>";
      String m = i < y.size() ? y.get(i) : "<end>";
      if (!l.equals(m)) {
        return "line " + (i + 1) + ": '" + l.strip() + "' -> '" + m.strip() + "'";
      }
    }
    return "unchanged";
  }

  /** The shipped nuclei-dilated package with ONNX weights only (no checksum: bytes reach ORT). */
  private Path onnxPackage(Path dir, boolean checksum) throws IOException {
    Path src = Zoo.shippedFolder().resolve("nuclei-dilated");
    Files.createDirectories(dir);
    for (String f : List.of("test_input.npy", "test_output.npy", "weights.onnx")) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    String yaml = Files.readString(src.resolve("rdf.yaml"));
    yaml = yaml.substring(0, yaml.indexOf("  torchscript:"));
    if (!checksum) {
      yaml = yaml.replaceAll("(?m)^\\s*sha256: .*\\n", "");
    }
    Files.writeString(dir.resolve("rdf.yaml"), yaml);
    return dir;
  }

  @Test
  void mutatedFilesGiveAResultOrOneSentenceNeverAStackTrace() throws Exception {
    Random rnd = new Random(SEED);
    Path image = image();
    Path out = Files.createDirectories(tmp.resolve("out")).resolve("p.tif");
    Path intact = onnxPackage(tmp.resolve("intact"), false);
    assertEquals(0, Cli.run("segment", "--model", intact.toString(), "--engine", "onnxruntime",
        "-o", out.toString(), image.toString()).code());
    float[][] reference = read(out);
    clean(out.getParent());

    int tiffs = Integer.getInteger("fovea.fuzz.tiff", 150);
    byte[] tiff = Files.readAllBytes(image);
    long t0 = System.nanoTime();
    for (int k = 0; k < tiffs; k++) {
      Path f = Files.write(tmp.resolve("mutated.tif"), mutate(tiff, rnd, 256));
      current = f;
      run("tiff", out, null, "segment", "--model", intact.toString(), "--engine", "onnxruntime",
          "-o", out.toString(), f.toString());
    }
    double tiffSecs = (System.nanoTime() - t0) / 1e9;

    int yamls = Integer.getInteger("fovea.fuzz.yaml", 80);
    Path pkg = onnxPackage(tmp.resolve("yaml"), true);
    String yaml = Files.readString(pkg.resolve("rdf.yaml"));
    t0 = System.nanoTime();
    for (int k = 0; k < yamls; k++) {
      String m = mutate(yaml, rnd);
      Files.writeString(pkg.resolve("rdf.yaml"), m, StandardCharsets.UTF_8);
      current = pkg.resolve("rdf.yaml");
      run("rdf.yaml (" + firstChange(yaml, m) + ")", out, reference, "segment", "--model", pkg.toString(), "-o",
          out.toString(), image.toString());
    }
    double yamlSecs = (System.nanoTime() - t0) / 1e9;

    int onnxs = Integer.getInteger("fovea.fuzz.onnx", 60);
    Path weights = onnxPackage(tmp.resolve("onnx"), false);
    byte[] onnx = Files.readAllBytes(weights.resolve("weights.onnx"));
    t0 = System.nanoTime();
    for (int k = 0; k < onnxs; k++) {
      Files.write(weights.resolve("weights.onnx"), mutate(onnx, rnd, onnx.length));
      current = weights.resolve("weights.onnx");
      run("onnx", out, reference, "segment", "--model", weights.toString(), "--engine",
          "onnxruntime", "-o", out.toString(), image.toString());
    }
    double onnxSecs = (System.nanoTime() - t0) / 1e9;

    System.out.printf(java.util.Locale.ROOT, "fuzz (seed %d): %d TIFF in %.1f s, %d rdf.yaml in"
        + " %.1f s, %d ONNX in %.1f s%n", SEED, tiffs, tiffSecs, yamls, yamlSecs, onnxs, onnxSecs);
    outcomes.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    slowest.forEach((k, v) -> System.out.printf(java.util.Locale.ROOT, "  slowest %s: %.1f s (%s)%n",
        k, v, slowestWhy.get(k)));
    assertTrue(broken.isEmpty(), String.join("\n", broken));
  }
}
