package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.fovea.plugins.ij1.ImageJInstall.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run("Fovea About")} in a real ImageJ 1 (under Xvfb), through the shipped macro
 * {@code macros/about_engines.ijm}: one Results row per engine, with the reason it has no GPU.
 */
class AboutMacroIT {

  @TempDir
  Path tmp;

  @Test
  void theMacroListsEveryEngineAndWhyItHasNoGpu() throws Exception {
    assumeTrue(ImageJInstall.possible(),
        "xvfb-run is missing (apt-get install xvfb); outside CI the ImageJ macro test is skipped");
    ImageJInstall install = ImageJInstall.in(tmp);
    Path macro = Paths.get(System.getProperty("fovea.root"), "macros", "about_engines.ijm");
    Run r = install.run("ij.ImageJ", "-batch", macro.toString());
    List<String> lines = r.output().lines().filter(l -> l.startsWith("engine ")).toList();
    assertEquals(3, lines.size(), r.output());
    for (String e : List.of("onnxruntime 1.29.0", "pytorch 2.7.1", "tensorflow 2.18.0")) {
      String line = lines.stream().filter(l -> l.startsWith("engine " + e)).findFirst()
          .orElseThrow(() -> new AssertionError(e + " missing: " + r.output()));
      assertTrue(line.contains("status=ok devices=cpu"), line);
      if (!Files.exists(Paths.get("/proc/driver/nvidia/version"))) {
        // no driver on this machine: every engine must say so, not just "no GPU"
        assertTrue(line.contains("no NVIDIA kernel driver is loaded"), line);
      }
    }
  }
}
