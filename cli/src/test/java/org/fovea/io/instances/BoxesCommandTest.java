package org.fovea.io.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fovea.ops.instances.LabelImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea instances --method boxes} on hand-made detections with known outcomes. */
class BoxesCommandTest {

  @TempDir
  Path tmp;

  private Path image;

  @BeforeEach
  void image() {
    short[] px = new short[20 * 12];
    for (int i = 0; i < px.length; i++) {
      px[i] = (short) i;
    }
    image = tmp.resolve("img.tif");
    IJ.saveAsTiff(new ImagePlus("img", new ShortProcessor(20, 12, px, null)), image.toString());
  }

  // A: x 0..9, B: x 5..14 (IoU with A exactly 1/3), C: x 12..17, y 2..7 (IoU with B 18/118)
  private static final String DETECTIONS = "x,y,width,height,score\n"
      + "0,0,10,10,0.9\n5,0,10,10,0.8\n12,2,6,6,0.7\n";

  private Path csv(String text) throws Exception {
    Path p = tmp.resolve("dets.csv");
    Files.writeString(p, text);
    return p;
  }

  private static int[] expected(int[][] spans) {
    // spans: {label, x0, x1, y0, y1} inclusive, painted in order, later spans only on empty pixels
    int[] l = new int[20 * 12];
    for (int[] s : spans) {
      for (int y = s[3]; y <= s[4]; y++) {
        for (int x = s[1]; x <= s[2]; x++) {
          if (l[y * 20 + x] == 0) {
            l[y * 20 + x] = s[0];
          }
        }
      }
    }
    return l;
  }

  @Test
  void greedyNmsSuppressesAboveTheThresholdAndKeepsAnExactTie() throws Exception {
    Path dets = csv(DETECTIONS);
    Path labels = tmp.resolve("labels.tif");
    Path table = tmp.resolve("objects.csv");
    Run r = Run.of("instances", "--method", "boxes", "--boxes", dets.toString(), "--iou", "0.3",
        "--output", labels.toString(), "--csv", table.toString(), image.toString());
    assertEquals(0, r.code(), r.err());
    LabelImage l = LabelFiles.read(labels);
    assertArrayEquals(expected(new int[][] {{1, 0, 9, 0, 9}, {2, 12, 17, 2, 7}}), l.labels());
    List<String> rows = Files.readAllLines(table);
    assertEquals(3, rows.size());
    assertTrue(rows.get(1).startsWith("1,100,4.500,4.500,0,0,10,10,"), rows.get(1));
    assertTrue(rows.get(1).endsWith(",0.900000"), rows.get(1));
    assertTrue(rows.get(2).endsWith(",0.700000"), rows.get(2));
    // IoU(A, B) is exactly 1/3: not greater than the threshold, so B stays, under A, over C
    Run tie = Run.of("instances", "--method", "boxes", "--boxes", dets.toString(), "--iou",
        String.valueOf(1.0 / 3), "--output", labels.toString(), image.toString());
    assertEquals(0, tie.code(), tie.err());
    assertArrayEquals(expected(new int[][] {{1, 0, 9, 0, 9}, {2, 5, 14, 0, 9},
        {3, 12, 17, 2, 7}}), LabelFiles.read(labels).labels());
    // a score threshold drops C before NMS
    Run cut = Run.of("instances", "--method", "boxes", "--boxes", dets.toString(), "--iou",
        "0.3", "--min-score", "0.75", "--output", labels.toString(), image.toString());
    assertEquals(0, cut.code(), cut.err());
    assertArrayEquals(expected(new int[][] {{1, 0, 9, 0, 9}}), LabelFiles.read(labels).labels());
  }

  @Test
  void softNmsKeepsDecayedScoresAndMasksShapeTheObjects() throws Exception {
    ImagePlus mask = new ImagePlus("m", new ByteProcessor(2, 1, new byte[] {0, 1}));
    IJ.saveAsTiff(mask, tmp.resolve("right-half.tif").toString());
    Path dets = csv("0,0,10,10,0.9,none\n5,0,10,10,0.8,\n12,2,6,6,0.7,right-half.tif\n");
    Path labels = tmp.resolve("labels.tif");
    Path table = tmp.resolve("objects.csv");
    Run r = Run.of("instances", "--method", "boxes", "--boxes", dets.toString(), "--soft-nms",
        "--sigma", "0.5", "--output", labels.toString(), "--csv", table.toString(),
        image.toString());
    assertEquals(0, r.code(), r.err());
    // after A: B = 0.8 exp(-(1/9)/0.5) = 0.6406 < C = 0.7 exp(0) (C does not touch A): C next,
    // then B decays by exp(-(18/118)^2/0.5) once more; C's mask keeps only its right half
    assertArrayEquals(expected(new int[][] {{1, 0, 9, 0, 9}, {2, 15, 17, 2, 7},
        {3, 5, 14, 0, 9}}), LabelFiles.read(labels).labels());
    List<String> rows = Files.readAllLines(table);
    double b = 0.8 * Math.exp(-(1.0 / 9) / 0.5) * Math.exp(-Math.pow(18.0 / 118, 2) / 0.5);
    String[] f = rows.get(3).split(",");
    assertEquals(b, Double.parseDouble(f[9]), 1e-6);
    assertEquals(0.7, Double.parseDouble(rows.get(2).split(",")[9]), 1e-6);
  }

  @Test
  void badDetectionsAreOneSentenceAndWriteNothing() throws Exception {
    Path labels = tmp.resolve("labels.tif");
    Run r = Run.of("instances", "--method", "boxes", "--boxes",
        csv("x,y,width,height,score\n0,0,10,10,0.9\n5,0,ten,10,0.8\n").toString(), "--output",
        labels.toString(), image.toString());
    assertTrue(r.oneSentenceError(), r.err());
    assertTrue(r.err().contains("line 3 of the detections"), r.err());
    assertFalse(Files.exists(labels));
    Run none = Run.of("instances", "--method", "boxes", image.toString());
    assertTrue(none.oneSentenceError(), none.err());
    assertTrue(none.err().contains("--boxes"), none.err());
  }
}
