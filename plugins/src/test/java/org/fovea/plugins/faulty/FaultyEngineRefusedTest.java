package org.fovea.plugins.faulty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fovea.cli.FoveaCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A faulty engine (the real ONNX Runtime with 0.01 added to every output, from its own jar) is
 * refused by the command line and by {@code fovea batch}, each in a fresh JVM as a user runs it:
 * one sentence, a non-zero exit, no output file; {@code --no-verify} lets it run.
 */
class FaultyEngineRefusedTest {

  @TempDir
  static Path tmp;

  private static Path jar;

  private static final String REFUSAL = "model 'nuclei-dilated' is refused on perturbed";

  @BeforeAll
  static void buildEngine() throws Exception {
    jar = PerturbedEngineJar.build(tmp.resolve("engine"));
  }

  record Run(int code, String output) {}

  static Run fovea(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-Dfovea.root=" + System.getProperty("fovea.root"), "-Duser.home=" + home,
        "-cp", PerturbedEngineJar.classPathWith(jar), FoveaCli.class.getName()));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  static Path sample() {
    return Paths.get(System.getProperty("fovea.root"), "models", "zoo", "samples",
        "nuclei-synthetic-512.tif");
  }

  @Test
  void theCommandLineRefusesItWithOneSentenceAndWritesNothing() throws Exception {
    Path home = tmp.resolve("home-cli");
    Path out = tmp.resolve("cli").resolve("p.tif");
    Files.createDirectories(out.getParent());
    Run r = fovea(home, "segment", "--engine", PerturbedEngineJar.ENGINE, "-o", out.toString(),
        sample().toString());
    assertEquals(2, r.code(), r.output());
    List<String> lines = r.output().lines().filter(l -> l.contains(REFUSAL)).toList();
    assertEquals(1, lines.size(), r.output());
    assertTrue(lines.get(0).startsWith("fovea: " + REFUSAL), r.output());
    assertTrue(lines.get(0).contains("--engine onnxruntime or pytorch or tensorflow"), r.output());
    assertFalse(Files.exists(out), "no output");
    try (var s = Files.list(out.getParent())) {
      assertEquals(0, s.count(), "no temporary file left behind");
    }
    // the verdict was remembered in the user's folder
    try (var s = Files.list(home.resolve(".fovea").resolve("verified"))) {
      assertEquals(1, s.count());
    }
    // the same engine with the check skipped runs (and its numbers are the perturbed ones)
    Run skipped = fovea(home, "segment", "--engine", PerturbedEngineJar.ENGINE, "--no-verify",
        "-o", out.toString(), sample().toString());
    assertEquals(0, skipped.code(), skipped.output());
    assertTrue(Files.isRegularFile(out));
  }

  @Test
  void aBatchRecordsTheRefusalForEveryFileAndGoesOn() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("batch-in"));
    Files.copy(sample(), in.resolve("a.tif"));
    Files.copy(sample(), in.resolve("b.tif"));
    Path out = tmp.resolve("batch-out");
    Run r = fovea(tmp.resolve("home-batch"), "batch", "--input", in.toString(), "--output",
        out.toString(), "--jobs", "2", "segment", "--engine", PerturbedEngineJar.ENGINE);
    assertEquals(1, r.code(), r.output());
    List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
    assertEquals("file,error", failures.get(0));
    assertEquals(3, failures.size(), failures.toString());
    for (String f : failures.subList(1, 3)) {
      assertTrue(f.contains(REFUSAL), f);
    }
    assertTrue(Files.readString(out.resolve("summary.csv")).contains("a.tif,failed"));
    try (var s = Files.list(out)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tif")), "no image");
    }
  }
}
