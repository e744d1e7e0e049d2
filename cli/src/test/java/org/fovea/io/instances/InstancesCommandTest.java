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

  /** Two crops of the sample (128 x 128 and 160 x 96), saved as TIFFs. */
  private Path[] crops() {
    ImagePlus sample = new Opener().openImage(zoo("samples", "nuclei-synthetic-512.tif")
        .toString());
    Path in = tmp.resolve("in");
    Path[] p = {in.resolve("a.tif"), in.resolve("b.tif")};
    int[][] boxes = {{40, 60, 128, 128}, {300, 200, 160, 96}};
    for (int i = 0; i < 2; i++) {
      sample.setRoi(boxes[i][0], boxes[i][1], boxes[i][2], boxes[i][3]);
      try {
        Files.createDirectories(in);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      new ij.io.FileSaver(sample.crop()).saveAsTiff(p[i].toString());
    }
    return p;
  }

  @Test
  void severalImagesAreAFileJobWithTablesAndResume() throws Exception {
    Path[] in = crops();
    Path broken = Files.writeString(tmp.resolve("in/broken.tif"), "not a TIFF");
    Path out = tmp.resolve("out");
    Path tables = tmp.resolve("tables");
    Run r = Run.of("instances", "-o", out.toString(), "--csv", tables.toString(),
        in[0].toString(), broken.toString(), in[1].toString());
    // the broken file is reported, the others are done; exit code 1 says one failed
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("broken.tif"), r.err());
    assertTrue(Files.notExists(out.resolve("broken-labels.tif")));
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals("file,status,seconds,objects", summary.get(0));
    assertEquals(List.of(in[0] + ",ok", broken + ",failed", in[1] + ",ok"),
        summary.subList(1, 4).stream().map(l -> String.join(",", List.of(l.split(",")).subList(0,
            2))).toList());
    List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
    assertEquals(2, failures.size(), failures.toString());
    assertTrue(failures.get(1).startsWith(broken + ","), failures.toString());
    // each image's objects are those of a run on that image alone
    for (int i = 0; i < 2; i++) {
      Path alone = tmp.resolve("alone" + i + ".tif");
      assertEquals(0, Run.of("instances", "-o", alone.toString(), in[i].toString()).code());
      String base = i == 0 ? "a" : "b";
      LabelImage got = LabelFiles.read(out.resolve(base + "-labels.tif"));
      assertEquals(LabelFiles.read(alone).count(), got.count());
      assertTrue(java.util.Arrays.equals(Labeling.areas(LabelFiles.read(alone)),
          Labeling.areas(got)), base);
      assertEquals(got.count() + 1, Files.readAllLines(tables.resolve(base + "-objects.csv"))
          .size());
      assertTrue(summary.get(1 + 2 * i).endsWith("," + got.count()), summary.toString());
    }
    // --resume: both complete, nothing rewritten
    var before = Files.getLastModifiedTime(out.resolve("a-labels.tif"));
    Thread.sleep(20);
    Run again = Run.of("instances", "--resume", "-o", out.toString(), "--csv",
        tables.toString(), in[0].toString(), in[1].toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("2 skipped"), again.out());
    assertEquals(before, Files.getLastModifiedTime(out.resolve("a-labels.tif")));
    // an output changed since is made again; the other file is not
    Files.writeString(tables.resolve("b-objects.csv"), "edited\n");
    Run third = Run.of("instances", "--resume", "-o", out.toString(), "--csv",
        tables.toString(), in[0].toString(), in[1].toString());
    assertEquals(0, third.code(), third.err());
    assertTrue(third.out().contains("1 ok, 1 skipped"), third.out());
    assertTrue(Files.readAllLines(tables.resolve("b-objects.csv")).get(0)
        .equals(ObjectTable.HEADER));
    assertEquals(before, Files.getLastModifiedTime(out.resolve("a-labels.tif")));
  }

  @Test
  void resumeWithOneImageIsOneSentence() {
    Run r = Run.of("instances", "--resume", "-o", tmp.resolve("x.tif").toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("--resume"), r.err());
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
