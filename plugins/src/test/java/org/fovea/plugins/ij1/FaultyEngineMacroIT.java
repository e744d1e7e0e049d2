package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fovea.plugins.faulty.PerturbedEngineJar;
import org.fovea.plugins.fiji.Probabilities;
import org.fovea.plugins.ij1.ImageJInstall.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A faulty engine installed in a real ImageJ 1 beside Fovea (its jar in {@code jars/}, chosen with
 * {@code -Dfovea.engine}) is refused by the Fiji command through the macro bridge: the macro stops
 * with the refusal and saves nothing; the {@code no_verify} key lets it run.
 */
class FaultyEngineMacroIT {

  @TempDir
  static Path tmp;

  private static ImageJInstall install;

  @BeforeAll
  static void installPluginAndEngine() throws Exception {
    assumeTrue(ImageJInstall.possible(),
        "xvfb-run is missing (apt-get install xvfb); outside CI the ImageJ macro test is skipped");
    install = ImageJInstall.in(tmp);
    Path jar = PerturbedEngineJar.build(tmp.resolve("engine"));
    Files.copy(jar, install.home().resolve("jars").resolve(jar.getFileName()));
  }

  private static Path macro(String name, String options, Path out) throws Exception {
    Path macro = tmp.resolve(name + ".ijm");
    Files.writeString(macro, "open(\"" + Probabilities.sample() + "\");\n"
        + "run(\"Fovea Segment\", \"" + options + "\");\n"
        + "saveAs(\"Tiff\", \"" + out + "\");\n");
    return macro;
  }

  @Test
  void theSegmentCommandRefusesAFaultyEngineAndSavesNothing() throws Exception {
    Path out = tmp.resolve("refused.tif");
    Run r = install.run(List.of("-Dfovea.engine=" + PerturbedEngineJar.ENGINE), "ij.ImageJ",
        "-batch", macro("refused", "model=[nuclei-dilated] tile=256", out).toString());
    assertTrue(r.output().contains("Fovea Segment: model 'nuclei-dilated' is refused on"
        + " perturbed"), r.output());
    assertFalse(Files.exists(out), r.output());
  }

  @Test
  void theNoVerifyKeyRunsIt() throws Exception {
    Path out = tmp.resolve("unverified.tif");
    Run r = install.run(List.of("-Dfovea.engine=" + PerturbedEngineJar.ENGINE), "ij.ImageJ",
        "-batch", macro("unverified", "model=[nuclei-dilated] tile=256 no_verify", out)
            .toString());
    assertTrue(Files.isRegularFile(out), r.output());
    // what ran is the perturbed engine: every probability 0.01 above the true one
    ImagePlus p = new Opener().openImage(out.toString());
    ImagePlus reference = Probabilities.reference(new Opener().openImage(
        Probabilities.sample().toString()), 256);
    assertEquals(0.01, Probabilities.maxAbsDiff(p, reference), 1e-5);
  }
}
