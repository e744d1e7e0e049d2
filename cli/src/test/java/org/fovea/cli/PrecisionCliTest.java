package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision} as a user runs it: int8 of a shipped model is refused by its own tolerance
 * with the error measured and nothing written; a package that declares a looser tolerance is
 * segmented in int8 with the error and speed-up printed; fp16 is refused on the CPU; {@code fovea
 * bench precision} prints a row per model with its verdict.
 */
class PrecisionCliTest {

  @TempDir
  Path tmp;

  @Test
  void int8IsRefusedByTheShippedToleranceAndFp16OnTheCpu() {
    Path out = tmp.resolve("int8.tif");
    Cli r = Cli.run("segment", "--precision", "int8", "-o", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("model 'nuclei-dilated' is refused in int8: its test input gives"
        + " outputs up to"), r.err());
    assertTrue(Files.notExists(out));
    r = Cli.run("segment", "--precision", "fp16", "-o", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--precision fp16 is refused for model 'nuclei-dilated': ONNX"
        + " Runtime 1.29's CPU provider has no float16 convolution on x86"), r.err());
    r = Cli.run("segment", "--precision", "int4", "-o", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("unknown precision 'int4'"), r.err());
  }

  @Test
  void aPackageWithALooserToleranceIsSegmentedInInt8() throws Exception {
    Path pkg = Cli.copyShipped("nuclei-dilated", tmp.resolve("loose"));
    Path rdf = pkg.resolve("rdf.yaml");
    String y = Files.readString(rdf, StandardCharsets.UTF_8);
    Files.writeString(rdf, y.replace("\nconfig:\n", "\nconfig:\n  bioimageio:\n"
        + "    reproducibility_tolerance:\n      - absolute_tolerance: 0.3\n"), StandardCharsets.UTF_8);
    Path out = tmp.resolve("int8.tif");
    Cli r = Cli.run("segment", "--model", pkg.toString(), "--precision", "int8", "-o",
        out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("runs in int8 (9 convolutions, 8 fused into int8 kernels)")
        && r.err().contains("speed-up"), r.err());
    assertTrue(Files.isRegularFile(out));
  }

  @Test
  void theBenchPrintsARowWithItsVerdict() {
    Cli r = Cli.run("bench", "precision", "--model", "nuclei-dilated", "--runs", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("nuclei-dilated  512x512 "), r.out());
    assertTrue(r.out().contains(" 8/9 ") && r.out().contains("refused: test output up to"),
        r.out());
  }
}
