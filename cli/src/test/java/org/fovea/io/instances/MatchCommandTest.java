package org.fovea.io.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea match} as a user runs it. */
class MatchCommandTest {

  @TempDir
  Path tmp;

  // 10x2: truth objects 1 (4 px), 2 (2 px), 3 (2 px) on row 0; prediction 5 inside 1, 7 over 2
  private Path labels(String name, int... row0) {
    short[] px = new short[20];
    for (int i = 0; i < row0.length; i++) {
      px[i] = (short) row0[i];
    }
    Path p = tmp.resolve(name);
    ImagePlus imp = new ImagePlus(name, new ShortProcessor(10, 2, px, null));
    new FileSaver(imp).saveAsTiff(p.toString());
    return p;
  }

  private Path truth() {
    return labels("gt.tif", 1, 1, 1, 1, 0, 2, 2, 0, 3, 3);
  }

  private Path pred() {
    return labels("pred.tif", 5, 5, 5, 0, 0, 7, 7, 7, 0, 0);
  }

  @Test
  void jsonHasOneHandCheckedRowPerThreshold() {
    Run r = Run.of("match", pred().toString(), truth().toString(), "--iou", "0.5,0.7", "--json");
    assertEquals(0, r.code(), r.err());
    JsonArray rows = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("results");
    assertEquals(2, rows.size());
    JsonObject a = rows.get(0).getAsJsonObject();
    assertEquals(2, a.get("tp").getAsInt());
    assertEquals(0, a.get("fp").getAsInt());
    assertEquals(1, a.get("fn").getAsInt());
    assertEquals(0.8, a.get("f1").getAsDouble(), 1e-12);
    assertEquals(2.0 / 3, a.get("accuracy").getAsDouble(), 1e-12);
    assertEquals(17.0 / 24, a.get("mean_matched_iou").getAsDouble(), 1e-12);
    assertEquals(17.0 / 30, a.get("panoptic_quality").getAsDouble(), 1e-12);
    JsonObject b = rows.get(1).getAsJsonObject();
    assertEquals(1, b.get("tp").getAsInt());
    assertEquals(0.25, b.get("accuracy").getAsDouble(), 1e-12);
  }

  @Test
  void textHasAHeaderAndOneRowPerThreshold() {
    Run r = Run.of("match", pred().toString(), truth().toString(), "--iou", "0.5,0.7,0.9");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(5, lines.length, r.out());
    assertTrue(lines[0].contains("n_pred=2 n_true=3"), lines[0]);
    assertTrue(lines[2].startsWith("0.50  2     0     1     1.0000"), lines[2]);
  }

  @Test
  void missingFileIsOneSentenceAndExitTwo() {
    Run r = Run.of("match", tmp.resolve("nope.tif").toString(), truth().toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("nope.tif") && r.err().contains("does not exist"), r.err());
  }

  @Test
  void differentSizesAreOneSentenceAndExitTwo() {
    Path small = tmp.resolve("small.tif");
    new FileSaver(new ImagePlus("s", new ShortProcessor(4, 4))).saveAsTiff(small.toString());
    Run r = Run.of("match", small.toString(), truth().toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("differ in size") && r.err().contains("4x4")
        && r.err().contains("10x2"), r.err());
  }

  @Test
  void fractionalLabelsAreRefused() {
    Path f = tmp.resolve("float.tif");
    FloatProcessor fp = new FloatProcessor(10, 2);
    fp.setf(3, 1.5f);
    new FileSaver(new ImagePlus("f", fp)).saveAsTiff(f.toString());
    Run r = Run.of("match", f.toString(), truth().toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("whole numbers"), r.err());
  }

  @Test
  void thresholdOutOfRangeIsRefused() {
    Run r = Run.of("match", pred().toString(), truth().toString(), "--iou", "1.5");
    assertTrue(r.oneSentenceError(), r.err());
  }
}
