package org.fovea.io.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.Opener;
import ij.io.RoiDecoder;
import java.awt.Rectangle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.Labeling;
import org.fovea.ops.instances.MatchStats;
import org.fovea.ops.instances.Matching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea instances} as a user runs it. */
class InstancesCommandTest {

  @TempDir
  Path tmp;

  private static Path zoo(String... more) {
    return Path.of(System.getProperty("fovea.root"), "models", "zoo")
        .resolve(String.join("/", more));
  }

  @Test
  void sampleGivesALabelImageAndATableThatAgree() throws Exception {
    Path labels = tmp.resolve("labels.tif");
    Path csv = tmp.resolve("objects.csv");
    Path rois = tmp.resolve("rois.zip");
    Run r = Run.of("instances", "--output", labels.toString(), "--csv", csv.toString(), "--rois",
        rois.toString(), "--json",
        zoo("samples", "nuclei-synthetic-512.tif").toString());
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonArray().get(0).getAsJsonObject();
    int n = o.get("objects").getAsInt();
    ImagePlus imp = new Opener().openImage(labels.toString());
    assertEquals(ImagePlus.GRAY16, imp.getType());
    LabelImage l = LabelFiles.read(labels);
    assertEquals(n, l.count());
    long[] area = Labeling.areas(l);
    List<String> rows = Files.readAllLines(csv);
    assertEquals(ObjectTable.HEADER, rows.get(0));
    assertEquals(n + 1, rows.size());
    Map<String, Roi> outlines = readRois(rois);
    assertEquals(n, outlines.size());
    for (int k = 1; k <= n; k++) {
      String[] f = rows.get(k).split(",");
      assertEquals(k, Integer.parseInt(f[0]));
      assertEquals(area[k], Long.parseLong(f[1]));
      double score = Double.parseDouble(f[9]);
      assertTrue(score >= 0 && score <= 1, rows.get(k));
      // each outline is named by its label and bounds exactly the object's bounding box
      Rectangle b = outlines.get(String.format("%05d", k)).getBounds();
      assertEquals(new Rectangle(Integer.parseInt(f[4]), Integer.parseInt(f[5]),
          Integer.parseInt(f[6]), Integer.parseInt(f[7])), b, rows.get(k));
    }
    // the synthetic sample has its own labels: most objects are found (measured F1 well above this)
    MatchStats s = Matching.match(l.labels(), LabelFiles.read(zoo("samples",
        "nuclei-synthetic-512-labels.tif")).labels(), 0.5).get(0);
    assertTrue(s.f1() > 0.4, s.toString());
  }

  private static Map<String, Roi> readRois(Path zip) throws Exception {
    Map<String, Roi> m = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Roi roi = new RoiDecoder(in.readAllBytes(), e.getName()).getRoi();
        assertEquals(e.getName(), roi.getName() + ".roi");
        m.put(roi.getName(), roi);
      }
    }
    return m;
  }

  @Test
  void unavailableMethodIsOneSentence() {
    Run r = Run.of("instances", "--method", "star", "--output", tmp.resolve("x.tif").toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("star"), r.err());
  }

  @Test
  void modelWithoutInteriorAndBoundaryChannelsIsRefused() throws Exception {
    Path bare = Files.createDirectories(tmp.resolve("models")).resolve("bare-net.onnx");
    Files.copy(zoo("nuclei-dilated", "weights.onnx"), bare);
    Path out = tmp.resolve("x.tif");
    Run r = Run.of("instances", "--model", bare.toString(), "--output", out.toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("not interior and boundary"), r.err());
    assertTrue(!Files.exists(out));
  }

  @Test
  void missingInputIsOneSentenceAndWritesNothing() throws Exception {
    Run r = Run.of("instances", "--output", tmp.resolve("x.tif").toString(),
        tmp.resolve("missing.tif").toString());
    assertTrue(r.oneSentenceError(), r.err());
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void realNucleiImageRunsAndMatches() {
    Path data = Path.of(System.getProperty("fovea.root")).getParent()
        .resolve("shared/data/nuclei-dsb2018");
    assumeTrue(Files.isRegularFile(data.resolve("img2d.tif")), "no DSB data next to the project");
    Path labels = tmp.resolve("dsb-labels.tif");
    Run r = Run.of("instances", "--output", labels.toString(),
        data.resolve("img2d.tif").toString());
    assertEquals(0, r.code(), r.err());
    Run m = Run.of("match", labels.toString(), data.resolve("mask2d.tif").toString(), "--json");
    assertEquals(0, m.code(), m.err());
    JsonObject row = JsonParser.parseString(m.out()).getAsJsonObject().getAsJsonArray("results")
        .get(0).getAsJsonObject();
    assertTrue(row.get("tp").getAsInt() > 20, m.out());
  }
}
