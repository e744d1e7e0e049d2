package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.LUT;
import java.awt.Color;
import java.awt.Rectangle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.models.Zoo;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.Instances;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.fovea.io.instances.InstanceExtraction;
import org.fovea.io.instances.LabelFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The Instance Masks command run headless through SciJava's CommandService. */
class InstanceMasksTest {

  private static Context context;
  private static CommandService commands;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    context = new Context();
    commands = context.service(CommandService.class);
  }

  @AfterAll
  static void stop() {
    context.dispose();
  }

  @Test
  void isIndexedAsAFijiMenuCommand() {
    var info = commands.getCommand(InstanceMasks.class);
    assertEquals("Plugins > Fovea > Fovea Instance Masks", info.getMenuPath().getMenuString());
    assertTrue(info.canRunHeadless());
  }

  @Test
  void smallTilesGiveTheWholeImageObjectsWithTableOverlayAndLut() throws Exception {
    // setup: a 160x120 crop, tiles of 48 px, so that objects cross tile and block borders
    ImagePlus crop = Probabilities.sampleCrop(150, 200, 160, 120);
    LabelImage whole = wholeImageObjects(crop);
    // process
    CommandModule m = commands.run(InstanceMasks.class, true, "image", crop, "model",
        "nuclei-dilated", "tile", 48, "device", "cpu").get();
    // test
    assertFalse(m.isCanceled(), m.getCancelReason());
    ImagePlus labels = (ImagePlus) m.getOutput("labels");
    assertEquals(ImagePlus.GRAY16, labels.getType());
    assertEquals(0.25, labels.getCalibration().pixelWidth, 1e-12);
    LabelImage l = LabelFiles.of(labels, "labels");
    assertTrue(whole.count() >= 5, "the crop has nuclei: " + whole.count());
    assertArrayEquals(whole.labels(), l.labels(), "tiled objects equal the whole-image objects");
    ResultsTable rt = ResultsTable.getResultsTable();
    assertEquals(l.count(), rt.size());
    Roi[] overlay = crop.getOverlay().toArray();
    assertEquals(l.count(), overlay.length);
    for (int row = 0; row < rt.size(); row++) {
      int label = (int) rt.getValue("label", row);
      assertEquals(row + 1, label);
      Rectangle box = new Rectangle((int) rt.getValue("bbox_x", row),
          (int) rt.getValue("bbox_y", row), (int) rt.getValue("bbox_width", row),
          (int) rt.getValue("bbox_height", row));
      assertEquals(box, overlay[row].getBounds(), "outline of " + label);
      assertEquals(String.format("%05d", label), overlay[row].getName());
      assertEquals(LabelColors.color(label), overlay[row].getStrokeColor());
    }
    LUT lut = labels.getProcessor().getLut();
    assertEquals(new Color(0, 0, 0), new Color(lut.getRGB(0)));
    assertEquals(0, labels.getDisplayRangeMin());
    assertEquals(255, labels.getDisplayRangeMax());
  }

  @Test
  void theLabelColoursAreDistinctAndFarApart() {
    LUT lut = LabelColors.lut();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 256; i++) {
      assertTrue(seen.add(lut.getRGB(i) & 0xffffff), "colour " + i + " repeats");
    }
    // the first ten object colours: every pair at least 40 CIELAB units apart
    for (int a = 1; a <= 10; a++) {
      for (int b = a + 1; b <= 10; b++) {
        assertTrue(distance(LabelColors.color(a), LabelColors.color(b)) > 40, a + " vs " + b);
      }
    }
  }

  @Test
  void aModelThatIsNotInstanceReadyCancelsWithOneSentence() throws Exception {
    Path bare = Files.createDirectories(tmp.resolve("models")).resolve("bare-net.onnx");
    Files.copy(Path.of(System.getProperty("fovea.root"), "models", "zoo", "nuclei-dilated",
        "weights.onnx"), bare);
    ImagePlus crop = Probabilities.sampleCrop(0, 0, 64, 64);
    CommandModule m = commands.run(InstanceMasks.class, true, "image", crop, "model",
        bare.toString(), "device", "cpu").get();
    assertTrue(m.isCanceled());
    assertTrue(m.getCancelReason().contains("not interior and boundary"), m.getCancelReason());
    assertEquals(1, m.getCancelReason().lines().count());
    assertNull(m.getOutput("labels"));
  }

  @Test
  void withoutAnImageItSaysSo() throws Exception {
    CommandModule m = commands.run(InstanceMasks.class, true, "model", "nuclei-dilated").get();
    assertTrue(m.isCanceled());
    assertEquals("there is no image to find objects in: open one first", m.getCancelReason());
  }

  /** The reference: one whole-image segmentation, then the whole-image instance step. */
  private static LabelImage wholeImageObjects(ImagePlus imp) {
    try (Model m = Model.load(Zoo.resolve(Zoo.DEFAULT_MODEL), null, "cpu")) {
      InstanceParams p = InstanceExtraction.forModel(m, InstanceParams.defaults());
      float[] px = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels();
      Tensor prob = Segmentation.run(m, new Tensor(Axes.of("bcyx"), new long[] {1, 1,
          imp.getHeight(), imp.getWidth()}, px.clone()), 0, null).probabilities();
      return Instances.fromSemantic(prob, p);
    }
  }

  private static double distance(Color a, Color b) {
    double[] p = LabelColors.lab(a.getRed(), a.getGreen(), a.getBlue());
    double[] q = LabelColors.lab(b.getRed(), b.getGreen(), b.getBlue());
    return Math.sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1])
        + (p[2] - q[2]) * (p[2] - q[2]));
  }

  @Test
  void aZStackThroughA3dModelGivesALabelStackTableAndRoisOnTheirSlices() throws Exception {
    // setup: the shipped held-out 3D sample; tiles of 48 in z, y and x
    ImagePlus stack = new ij.io.Opener().openImage(Probabilities.sample()
        .resolveSibling("nuclei3d-synthetic-64x128x128.tif").toString());
    org.fovea.io.instances.VolumeExtraction.Result whole;
    try (Model model = Model.load(Zoo.resolve("nuclei-3d"), "onnx", "cpu")) {
      whole = org.fovea.io.instances.VolumeExtraction.run(model, stack,
          InstanceParams.byDimension(), 0, null);
    }
    // process
    CommandModule m = commands.run(InstanceMasks.class, true, "image", stack, "model",
        "nuclei-3d", "tile", 48, "device", "cpu").get();
    // test
    assertFalse(m.isCanceled(), m.getCancelReason());
    ImagePlus labels = (ImagePlus) m.getOutput("labels");
    assertEquals(64, labels.getStackSize());
    assertEquals(2.0, labels.getCalibration().pixelDepth, 1e-12);
    int plane = 128 * 128;
    int[] got = new int[plane * 64];
    for (int z = 0; z < 64; z++) {
      ij.process.ImageProcessor ip = labels.getStack().getProcessor(z + 1);
      for (int i = 0; i < plane; i++) {
        got[z * plane + i] = ip.get(i);
      }
    }
    assertTrue(whole.labels().count() >= 10, "the stack has nuclei: " + whole.labels().count());
    assertArrayEquals(whole.labels().labels(), got, "tiled objects equal the whole-volume ones");
    ResultsTable rt = ResultsTable.getResultsTable();
    assertEquals(whole.objects().size(), rt.size());
    assertTrue(rt.columnExists("centroid_z") && rt.columnExists("volume"));
    ij.gui.Overlay o = stack.getOverlay();
    assertTrue(o.size() > whole.objects().size(), "outlines on every slice an object touches");
    for (Roi roi : o.toArray()) {
      int z = roi.getPosition();
      int label = Integer.parseInt(roi.getName().substring(0, 5));
      assertTrue(z >= 1 && z <= 64, roi.getName());
      assertEquals(String.format("%05d-z%03d", label, z), roi.getName());
      // the ROI holds voxels of its object on its slice, and only those
      ij.process.ImageProcessor ip = labels.getStack().getProcessor(z);
      Rectangle b = roi.getBounds();
      int inside = 0;
      for (java.awt.Point p : roi.getContainedPoints()) {
        assertEquals(label, ip.get(p.x, p.y), roi.getName() + " at " + p);
        inside++;
      }
      assertTrue(inside > 0 && b.width > 0, roi.getName());
    }
  }

  @Test
  void aStridedModelGivesObjectsThroughDensePredictionAsTheCliDoes() throws Exception {
    // nuclei-strided gives one output per 8 x 8 block; like fovea instances, the command makes
    // it dense (the default dense mode) instead of refusing an output of another size
    ImagePlus crop = Probabilities.sampleCrop(150, 200, 128, 96);
    CommandModule m = commands.run(InstanceMasks.class, true, "image", crop, "model",
        "nuclei-strided", "engine", "onnx", "device", "cpu").get();
    assertFalse(m.isCanceled(), m.getCancelReason());
    ImagePlus labels = (ImagePlus) m.getOutput("labels");
    assertEquals(128, labels.getWidth());
    assertEquals(96, labels.getHeight());
    assertTrue(LabelFiles.of(labels, "labels").count() >= 3, "objects found");
  }
}
