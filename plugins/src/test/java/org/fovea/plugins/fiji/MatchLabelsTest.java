package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The Match Labels command on open images, run headless through SciJava's CommandService. */
class MatchLabelsTest {

  private static Context context;
  private static CommandService commands;

  @BeforeAll
  static void start() {
    context = new Context();
    commands = context.service(CommandService.class);
    Interpreter.batchMode = true; // open images without windows, as a batch macro does
  }

  @AfterAll
  static void stop() {
    Interpreter.batchMode = false;
    context.dispose();
  }

  /** Labels drawn as rectangles: {label, x, y, width, height}. */
  private static ImagePlus open(String title, int w, int h, int[]... rects) {
    short[] px = new short[w * h];
    for (int[] r : rects) {
      for (int y = r[2]; y < r[2] + r[4]; y++) {
        for (int x = r[1]; x < r[1] + r[3]; x++) {
          px[y * w + x] = (short) r[0];
        }
      }
    }
    ImagePlus imp = new ImagePlus(title, new ShortProcessor(w, h, px, null));
    Interpreter.addBatchModeImage(imp);
    return imp;
  }

  @Test
  void handComputedScoresPerThreshold() throws Exception {
    // truth: two 10x10 squares. prediction: square 1 shifted by 2 px (IoU 80/120 = 2/3), square 2
    // exact, and a false positive far away
    open("truth", 60, 30, new int[] {1, 0, 0, 10, 10}, new int[] {2, 20, 0, 10, 10});
    open("pred", 60, 30, new int[] {5, 2, 0, 10, 10}, new int[] {7, 20, 0, 10, 10},
        new int[] {9, 40, 10, 5, 5});
    CommandModule m = commands.run(MatchLabels.class, true, "prediction", "pred",
        "ground_truth", "truth", "iou", "0.5, 0.7,0.9").get();
    assertTrue(!m.isCanceled(), m.getCancelReason());
    ResultsTable rt = ResultsTable.getResultsTable();
    assertEquals(3, rt.size());
    // at 0.5 both match: tp 2, fp 1, fn 0; at 0.7 and 0.9 only the exact one
    double[][] expect = {{0.5, 2, 1, 0}, {0.7, 1, 2, 1}, {0.9, 1, 2, 1}};
    for (int r = 0; r < 3; r++) {
      assertEquals(expect[r][0], rt.getValue("iou_threshold", r), 1e-12);
      int tp = (int) expect[r][1];
      int fp = (int) expect[r][2];
      int fn = (int) expect[r][3];
      assertEquals(tp, rt.getValue("tp", r));
      assertEquals(fp, rt.getValue("fp", r));
      assertEquals(fn, rt.getValue("fn", r));
      assertEquals(tp / 3.0, rt.getValue("precision", r), 1e-12);
      assertEquals(tp / 2.0, rt.getValue("recall", r), 1e-12);
      assertEquals(2.0 * tp / (2 * tp + fp + fn), rt.getValue("f1", r), 1e-12);
      assertEquals((double) tp / (tp + fp + fn), rt.getValue("accuracy", r), 1e-12);
    }
    assertEquals((2.0 / 3 + 1) / 2, rt.getValue("mean_matched_iou", 0), 1e-12);
    // PQ = sum of matched IoU / (tp + fp/2 + fn/2)
    assertEquals((2.0 / 3 + 1) / (2 + 0.5), rt.getValue("panoptic_quality", 0), 1e-12);
    assertEquals(1.0, rt.getValue("mean_matched_iou", 1), 1e-12);
  }

  @Test
  void labelImagesOfDifferentSizesCancelWithOneSentence() throws Exception {
    open("small", 20, 20, new int[] {1, 0, 0, 5, 5});
    open("large", 30, 20, new int[] {1, 0, 0, 5, 5});
    CommandModule m = commands.run(MatchLabels.class, true, "prediction", "small",
        "ground_truth", "large", "iou", "0.5").get();
    assertTrue(m.isCanceled());
    assertEquals("label images differ in size: 'small' is 20x20 but 'large' is 30x20: compare"
        + " images of the same size", m.getCancelReason());
  }

  @Test
  void aMissingTitleOrBadThresholdIsOneSentence() throws Exception {
    open("only", 10, 10, new int[] {1, 0, 0, 5, 5});
    CommandModule m = commands.run(MatchLabels.class, true, "prediction", "only",
        "ground_truth", "nowhere", "iou", "0.5").get();
    assertTrue(m.isCanceled());
    assertEquals("no open image is titled 'nowhere' (ground_truth): open the label image and"
        + " give its title", m.getCancelReason());
    CommandModule bad = commands.run(MatchLabels.class, true, "prediction", "only",
        "ground_truth", "only", "iou", "half").get();
    assertTrue(bad.isCanceled());
    assertTrue(bad.getCancelReason().startsWith("iou 'half' is not a list of thresholds"),
        bad.getCancelReason());
  }

  @Test
  void zStacksAreMatchedInVoxels() throws Exception {
    // truth: two 4x4x4 cubes; prediction: cube 1 shifted by 1 slice in z (IoU 48/80 = 0.6) and
    // cube 2 split into two 4x4x2 halves (IoU 0.5 each: neither counts at 0.5, strictly above)
    int w = 20;
    int h = 10;
    int d = 8;
    short[][] truth = new short[d][w * h];
    short[][] pred = new short[d][w * h];
    for (int z = 0; z < 4; z++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          truth[z][y * w + x] = 1;
          truth[z][y * w + x + 10] = 2;
          pred[z + 1][y * w + x] = 3;
          pred[z][y * w + x + 10] = (short) (z < 2 ? 4 : 5);
        }
      }
    }
    for (String[] t : new String[][] {{"truth3d"}, {"pred3d"}}) {
      ij.ImageStack st = new ij.ImageStack(w, h);
      for (int z = 0; z < d; z++) {
        st.addSlice(new ShortProcessor(w, h, t[0].equals("truth3d") ? truth[z] : pred[z], null));
      }
      Interpreter.addBatchModeImage(new ImagePlus(t[0], st));
    }
    CommandModule m = commands.run(MatchLabels.class, true, "prediction", "pred3d",
        "ground_truth", "truth3d", "iou", "0.5").get();
    assertTrue(!m.isCanceled(), m.getCancelReason());
    ResultsTable rt = ResultsTable.getResultsTable();
    assertEquals(1, rt.getValue("tp", 0));
    assertEquals(2, rt.getValue("fp", 0));
    assertEquals(1, rt.getValue("fn", 0));
    assertEquals(0.6, rt.getValue("mean_matched_iou", 0), 1e-12);
  }
}
