package org.fovea.io.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's own watershed defaults ({@code config: fovea: instances: {method: watershed,
 * foreground_threshold, min_dynamic}}, as nuclei-3d carries them): {@code fovea instances} uses
 * them where the options are not given, and the options win over them.
 */
class WatershedConfigTest {

  @TempDir
  Path tmp;

  private static Path zoo(String... more) {
    return Path.of(System.getProperty("fovea.root"), "models", "zoo")
        .resolve(String.join("/", more));
  }

  /** nuclei-dilated with its own watershed thresholds in its description. */
  private Path withConfig(String fg, String dyn) throws Exception {
    Path dir = Run.copyShipped("nuclei-dilated", tmp.resolve("dilated-" + fg + "-" + dyn));
    String rdf = Files.readString(dir.resolve("rdf.yaml"));
    assertTrue(rdf.contains("config:\n  fovea:\n"), "the shipped description as this test knows it");
    Files.writeString(dir.resolve("rdf.yaml"), rdf.replace("config:\n  fovea:\n",
        "config:\n  fovea:\n    instances: {method: watershed, foreground_threshold: " + fg
            + ", min_dynamic: " + dyn + "}\n"));
    return dir;
  }

  private int[] labels(String... args) throws Exception {
    Path out = tmp.resolve("labels-" + Math.abs(Arrays.hashCode(args)) + ".tif");
    String[] all = new String[args.length + 4];
    all[0] = "instances";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "-o";
    all[args.length + 2] = out.toString();
    all[args.length + 3] = zoo("samples", "nuclei-synthetic-512.tif").toString();
    Run r = Run.of(all);
    assertEquals(0, r.code(), r.err());
    return LabelFiles.read(out).labels();
  }

  @Test
  void theModelsOwnThresholdsApplyUnlessOptionsAreGiven() throws Exception {
    Path pkg = withConfig("0.7", "2.0");
    int[] own = labels("--model", pkg.toString());
    assertArrayEquals(labels("--model", "nuclei-dilated", "--foreground-threshold", "0.7",
        "--min-dynamic", "2.0"), own, "the description's thresholds");
    int[] shipped = labels("--model", "nuclei-dilated");
    assertFalse(Arrays.equals(shipped, own), "other thresholds, other objects");
    assertArrayEquals(shipped, labels("--model", pkg.toString(), "--foreground-threshold", "0.9",
        "--min-dynamic", "1"), "options win over the description");
  }

  @Test
  void anOutOfRangeValueIsOneSentence() throws Exception {
    Run r = Run.of("instances", "--model", withConfig("1.5", "1").toString(), "-o",
        tmp.resolve("x.tif").toString(), zoo("samples", "nuclei-synthetic-512.tif").toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("config.fovea.instances.foreground_threshold must be a number in"
        + " [0, 1), got 1.5"), r.err());
    Run d = Run.of("instances", "--model", withConfig("0.5", "-1").toString(), "-o",
        tmp.resolve("y.tif").toString(), zoo("samples", "nuclei-synthetic-512.tif").toString());
    assertTrue(d.oneSentenceError(), d.err());
    assertTrue(d.err().contains("config.fovea.instances.min_dynamic must be a number of pixels of"
        + " at least 0, got -1"), d.err());
  }
}
