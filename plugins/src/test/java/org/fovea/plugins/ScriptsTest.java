package org.fovea.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fovea.ops.net.FoveaException;
import org.fovea.cli.FoveaCli;
import org.fovea.cli.script.ScriptRunner;
import org.fovea.io.instances.LabelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scripts in {@code macros/} run by the real Groovy and Jython interpreters give exactly what
 * {@code fovea segment}, {@code fovea instances} and {@code fovea match} give on the same image.
 */
class ScriptsTest {

  @TempDir
  static Path tmp;

  static Path image;
  static Path truth;
  static Path reference;

  private static Path root() {
    return Path.of(System.getProperty("fovea.root"));
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FoveaCli.run(new PrintWriter(out), new PrintWriter(err), args);
    assertEquals(0, code, err.toString());
    return out.toString();
  }

  /** A 192 x 160 crop of the shipped sample and of its labels; the command line's results. */
  @BeforeAll
  static void crop() {
    Path samples = root().resolve("models/zoo/samples");
    image = tmp.resolve("crop.tif");
    truth = tmp.resolve("crop-truth.tif");
    for (String[] f : new String[][] {{"nuclei-synthetic-512.tif", image.toString()},
        {"nuclei-synthetic-512-labels.tif", truth.toString()}}) {
      ImagePlus imp = new Opener().openImage(samples.resolve(f[0]).toString());
      imp.setRoi(40, 100, 192, 160);
      new FileSaver(imp.crop()).saveAsTiff(f[1]);
    }
    reference = Path.of(tmp.toString(), "cli");
    cli("segment", "-o", reference.resolve("crop-probabilities.tif").toString(), image.toString());
    cli("instances", "-o", reference.resolve("crop-labels.tif").toString(), image.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"segment_and_count.groovy", "segment_and_count.py"})
  void scriptGivesWhatTheCommandLineGives(String script) throws Exception {
    Path out = tmp.resolve(script.replace('.', '-'));
    StringWriter printed = new StringWriter();
    Map<String, Object> r = ScriptRunner.run(root().resolve("macros").resolve(script),
        Map.of("input", image.toString(), "output", out.toString(), "truth", truth.toString()),
        new PrintWriter(printed));

    int objects = LabelFiles.read(reference.resolve("crop-labels.tif")).count();
    assertTrue(objects > 10, "the crop holds nuclei: " + objects);
    assertEquals(objects, ((Number) r.get("count")).intValue(), printed.toString());
    assertArrayEquals(LabelFiles.read(reference.resolve("crop-labels.tif")).labels(),
        LabelFiles.read(out.resolve("crop-labels.tif")).labels());
    assertEquals(objects + 1, Files.readAllLines(out.resolve("crop-objects.csv")).size());
    float[][] want = planes(reference.resolve("crop-probabilities.tif"));
    float[][] got = planes(out.resolve("crop-probabilities.tif"));
    assertEquals(3, got.length);
    for (int c = 0; c < want.length; c++) {
      assertArrayEquals(want[c], got[c], 1e-6f, "class " + c);
    }
    JsonObject m = JsonParser.parseString(cli("match", "--json",
        out.resolve("crop-labels.tif").toString(), truth.toString())).getAsJsonObject()
        .getAsJsonArray("results").get(0).getAsJsonObject();
    assertEquals(m.get("f1").getAsDouble(), ((Number) r.get("f1")).doubleValue(), 1e-12);
    assertTrue(printed.toString().contains("crop.tif: " + objects + " objects"),
        printed.toString());
  }

  @Test
  void aFailingScriptNamesTheScriptAndFoveasSentence() {
    Path script = root().resolve("macros/segment_and_count.groovy");
    FoveaException e = org.junit.jupiter.api.Assertions.assertThrows(FoveaException.class,
        () -> ScriptRunner.run(script, Map.of("input", tmp.resolve("none.tif").toString(),
            "output", tmp.toString()), new PrintWriter(new StringWriter())));
    assertTrue(e.getMessage().startsWith("script " + script + " failed"), e.getMessage());
    assertTrue(e.getMessage().endsWith("input image " + tmp.resolve("none.tif")
        + " does not exist: check the path"), e.getMessage());
  }

  private static float[][] planes(Path p) {
    ImagePlus imp = new Opener().openImage(p.toString());
    float[][] a = new float[imp.getStackSize()][];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float[]) imp.getStack().getProcessor(i + 1).convertToFloat().getPixels();
    }
    return a;
  }

  /**
   * macros/lazy_imglib2.groovy: a generated ImgLib2 image (no ImagePlus) segmented lazily; the
   * region it looks at holds exactly the 8 x 8 discs the generator drew there, and only the one
   * tile under the region ran.
   */
  @Test
  void lazyImgLib2ScriptComputesOnlyTheTileItReads() {
    StringWriter printed = new StringWriter();
    Map<String, Object> r = ScriptRunner.run(root().resolve("macros").resolve("lazy_imglib2.groovy"),
        Map.of("model", "nuclei-dilated", "size", "3072"), new PrintWriter(printed));
    assertEquals(36, ((Number) r.get("tiles")).intValue(), printed.toString());
    assertEquals(1L, ((Number) r.get("computed")).longValue(), printed.toString());
    assertEquals(64, ((Number) r.get("count")).intValue(), printed.toString());
  }
}
