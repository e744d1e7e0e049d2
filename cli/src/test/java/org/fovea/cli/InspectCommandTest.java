package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea models inspect}: what Fovea understood, and a declared halo that is too small. */
class InspectCommandTest {

  @TempDir
  Path tmp;

  @Test
  void showsTensorsWeightsAndTheHaloAgainstTheReceptiveField() throws Exception {
    Cli r = Cli.run("models", "inspect", "nuclei-dilated");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("  raw: b (any), c (exactly 1), y (16 + k*1), x (16 + k*1)\n"),
        r.out());
    assertTrue(r.out().contains("  probabilities: b (as raw), c (exactly 3), y (as raw, halo 34),"
        + " x (as raw, halo 34)\n    channels: background, interior, boundary\n"), r.out());
    assertTrue(r.out().contains("y: reach 34, declared halo 34; x: reach 34, declared halo 34;"),
        r.out());
    assertTrue(r.out().contains("the declared halo covers the reach"), r.out());

    // the same weights declaring a halo of 10: the reach is still 34, and the report says so
    Path pkg = Cli.copyShipped("nuclei-dilated", tmp.resolve("short-halo"));
    String rdf = Files.readString(pkg.resolve("rdf.yaml"));
    Files.writeString(pkg.resolve("rdf.yaml"), rdf.replace("halo: 34", "halo: 10"));
    Cli s = Cli.run("models", "inspect", pkg.toString());
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().contains("y: reach 34, declared halo 10; x: reach 34, declared halo 10;"),
        s.out());
    assertTrue(s.out().contains("the declared halo is smaller than the reach: a tool that trusts"
        + " it gets seams between tiles; Fovea tiles with the reach"), s.out());
  }
}
