package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.process.FloatProcessor;
import java.awt.Rectangle;
import java.nio.file.Path;
import org.fovea.models.Zoo;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.LayerField;
import org.fovea.io.field.FieldAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The overlay is right to the pixel: its rectangle's bounds are the analysis' input pixels. */
class ReceptiveFieldOverlayTest {

  private static final String VGG16_POOL5 = "/features/features.30/MaxPool";

  private static Context context;
  private static CommandService commands;

  @BeforeAll
  static void start() {
    context = new Context();
    commands = context.service(CommandService.class);
  }

  @AfterAll
  static void stop() {
    context.dispose();
  }

  private static String vgg16() {
    return Path.of(System.getProperty("fovea.root"), "models", "src", "test", "resources",
        "graphs", "vgg16.onnx").toString();
  }

  private static CommandModule overlay(ImagePlus imp, String model, String layer)
      throws Exception {
    return commands.run(ReceptiveFieldOverlay.class, true, "image", imp, "model", model, "layer",
        layer).get();
  }

  /** @return the reach of the stride-1 nuclei-dilated model: the halo of rdf.yaml along x */
  private static int halo() {
    long[] halo = Zoo.resolve("nuclei-dilated").outputs().get(0).spec().halo();
    return (int) halo[halo.length - 1];
  }

  /** Asserts that a rectangle covers exactly input pixels x0..x1 by y0..y1. */
  private static void assertPixels(long x0, long y0, long x1, long y1, Roi r) {
    assertEquals(Roi.RECTANGLE, r.getType());
    assertEquals(new Rectangle((int) x0, (int) y0, (int) (x1 - x0 + 1), (int) (y1 - y0 + 1)),
        r.getBounds(), r.getName());
  }

  @Test
  void isIndexedAsAHeadlessFijiMenuCommand() {
    var info = commands.getCommand(ReceptiveFieldOverlay.class);
    assertEquals("Plugins > Fovea > Fovea Receptive Field Overlay", info.getMenuPath().getMenuString());
    assertTrue(info.canRunHeadless());
  }

  @Test
  void aPointOnTheDilatedModelGetsItsHaloFromTheRdfOnEachSide() throws Exception {
    // setup: the zoo's rdf.yaml halo (y, x) of the output; the model has stride 1
    long[] halo = Zoo.resolve("nuclei-dilated").outputs().get(0).spec().halo();
    long hy = halo[halo.length - 2];
    long hx = halo[halo.length - 1];
    ImagePlus imp = IJ.createImage("blank", "8-bit black", 120, 90, 1);
    imp.setRoi(new PointRoi(new int[] {50, 3}, new int[] {40, 80}, 2));
    // process
    CommandModule m = overlay(imp, "nuclei-dilated", "");
    // test
    assertFalse(m.isCanceled(), m.getCancelReason());
    Roi[] items = imp.getOverlay().toArray();
    assertEquals(4, items.length);
    assertPixels(50 - hx, 40 - hy, 50 + hx, 40 + hy, items[0]);
    assertPixels(0, 80 - hy, 3 + hx, 89, items[2]); // clipped at the left and the bottom
    assertInstanceOf(PointRoi.class, items[1]);
    assertEquals(50.0, items[1].getFloatPolygon().xpoints[0], 0);
    assertEquals(40.0, items[1].getFloatPolygon().ypoints[0], 0);
    LayerField out = FieldAnalysis.of("nuclei-dilated", null, new long[] {90, 120}, false, null,
        "cpu").report().output();
    assertEquals(out.axis(1).first(50), 50 - hx);
    assertEquals(out.axis(0).last(40), 40 + hy);
  }

  @Test
  void aVgg16FeatureCoversExactlyThePixelsTheAnalysisNamesClipped() throws Exception {
    // setup: the image's pixels (140,100) and (5,250) stand for pool5 outputs (4,3) and (0,7);
    // VGG-16 (Araujo et al. 2019): r 212, S 32, P 90, so output u sees 32 u - 90 .. 32 u + 121
    ImagePlus imp = IJ.createImage("ramp", "8-bit ramp", 300, 260, 1);
    imp.setRoi(new PointRoi(new int[] {140, 5}, new int[] {100, 250}, 2));
    // process
    CommandModule m = overlay(imp, vgg16(), VGG16_POOL5);
    // test
    assertFalse(m.isCanceled(), m.getCancelReason());
    Roi[] items = imp.getOverlay().toArray();
    assertPixels(38, 6, 249, 217, items[0]);
    assertPixels(0, 134, 121, 259, items[2]);
    LayerField pool5 = FieldAnalysis.of(vgg16(), null, new long[] {260, 300}, false, null, "cpu")
        .report().layer(VGG16_POOL5);
    AxisField fx = pool5.axis(1);
    AxisField fy = pool5.axis(0);
    assertPixels(fx.first(4), fy.first(3), fx.last(4), fy.last(3), items[0]);
    assertPixels(Math.max(0, fx.first(0)), fy.first(7), fx.last(0), Math.min(259, fy.last(7)),
        items[2]);
    assertEquals(143.5, items[1].getFloatPolygon().xpoints[0], 0); // centre of 38..249
  }

  @Test
  void aRectangleGetsTheUnionOfTheFieldsOfTheOutputsItCovers() throws Exception {
    ImagePlus imp = IJ.createImage("ramp", "8-bit ramp", 300, 260, 1);
    imp.setRoi(new Roi(100, 70, 60, 40)); // columns 100..159: outputs 3..4; rows 70..109: 2..3
    overlay(imp, vgg16(), VGG16_POOL5);
    Roi[] items = imp.getOverlay().toArray();
    assertEquals(1, items.length);
    assertPixels(32 * 3 - 90, 32 * 2 - 90 < 0 ? 0 : 32 * 2 - 90, 32 * 4 + 121, 32 * 3 + 121,
        items[0]);
  }

  @Test
  void aLineGetsTheUnionOfTheFieldsUnderItsPixelsAsOneShape() throws Exception {
    ImagePlus imp = IJ.createImage("blank", "8-bit black", 120, 90, 1);
    // ImageJ's line coordinates are pixel corners: this line runs over pixels (40,30)..(59,49)
    imp.setRoi(new Line(40, 30, 60, 50));
    overlay(imp, "nuclei-dilated", "");
    Roi[] items = imp.getOverlay().toArray();
    assertEquals(1, items.length);
    assertInstanceOf(ShapeRoi.class, items[0]);
    // stride 1, reach h: columns 40 - h .. 59 + h, rows 30 - h (clipped to 0) .. 49 + h
    int h = halo();
    assertEquals(new Rectangle(40 - h, 0, 59 - 40 + 2 * h + 1, 49 + h + 1), items[0].getBounds());
    assertFalse(items[0].contains(40 - h, 49 + h), "the union of squares along a diagonal is no"
        + " square");
    assertTrue(items[0].contains(59 + h, 49 + h));
    assertTrue(items[0].contains(40 - h, 0));
  }

  @Test
  void anOvalGetsTheUnionOfItsPixelsFieldsQuickly() throws Exception {
    ImagePlus imp = IJ.createImage("blank", "8-bit black", 300, 260, 1);
    imp.setRoi(new OvalRoi(50, 40, 200, 180)); // pixels 50..249 by 40..219
    long t0 = System.nanoTime();
    overlay(imp, "nuclei-dilated", "");
    assertTrue(System.nanoTime() - t0 < 5e9, "under 5 s for 28,000 outputs");
    Roi union = imp.getOverlay().get(0);
    int h = halo();
    assertEquals(new Rectangle(50 - h, 40 - h, 200 + 2 * h, 180 + 2 * h), union.getBounds());
    assertTrue(union.contains(150, 130) && union.contains(50 - h, 130));
    assertFalse(union.contains(50 - h + 1, 40 - h + 1), "rounded like the oval");
  }

  @Test
  void theEffectiveFieldIsAGradientHeatmapInsideTheTheoreticalOne() throws Exception {
    // setup: 128 x 128 of the shipped sample, the output under pixel (64,60)
    int h = halo();
    ImagePlus imp = Probabilities.sampleCrop(136, 86, 128, 128);
    imp.setRoi(new PointRoi(64, 60));
    // process
    CommandModule m = commands.run(ReceptiveFieldOverlay.class, true, "image", imp, "model",
        "nuclei-dilated", "layer", "", "effective", true).get();
    FloatProcessor g = EffectiveField.gradient(Zoo.resolve("nuclei-dilated"), imp, 64, 60);
    // test: heatmap and colour bar under the rectangle and the centre
    assertFalse(m.isCanceled(), m.getCancelReason());
    Roi[] items = imp.getOverlay().toArray();
    assertEquals(6, items.length);
    assertInstanceOf(ImageRoi.class, items[0]);
    assertEquals(new Rectangle(64 - h, 60 - h, 2 * h + 1, 2 * h + 1), items[0].getBounds());
    assertPixels(64 - h, 60 - h, 64 + h, 60 + h, items[4]);
    assertInstanceOf(ImageRoi.class, items[1]);
    // the gradient is zero outside the theoretical field, and reaches across most of it
    int[] box = {128, 128, -1, -1};
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        if (g.getf(x, y) != 0) {
          box = new int[] {Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x),
              Math.max(box[3], y)};
        }
      }
    }
    assertTrue(g.getf(64, 60) > 0);
    assertTrue(box[0] >= 64 - h && box[1] >= 60 - h && box[2] <= 64 + h && box[3] <= 60 + h,
        java.util.Arrays.toString(box));
    assertTrue(box[2] - box[0] >= h && box[3] - box[1] >= h, java.util.Arrays.toString(box));
  }

  @Test
  void withoutASelectionOrWithAnUnknownLayerItCancelsWithOneSentence() throws Exception {
    ImagePlus imp = IJ.createImage("blank", "8-bit black", 64, 64, 1);
    CommandModule m = overlay(imp, "nuclei-dilated", "");
    assertTrue(m.isCanceled());
    assertEquals("the image has no selection: mark an output pixel with the point tool (or draw a"
        + " line or rectangle) first", m.getCancelReason());
    imp.setRoi(new PointRoi(10, 10));
    m = overlay(imp, "nuclei-dilated", "/no/such/Conv");
    assertEquals("model 'nuclei-dilated' has no layer '/no/such/Conv': Receptive Field Table lists"
        + " its layers", m.getCancelReason());
    assertNull(imp.getOverlay());
    m = commands.run(ReceptiveFieldOverlay.class, true, "image", imp, "model", "nuclei-dilated",
        "layer", "/body/body.2/Conv", "effective", true).get();
    assertEquals("effective draws the field of one network output: mark a point and leave layer"
        + " empty, or turn effective off", m.getCancelReason());
    m = commands.run(ReceptiveFieldOverlay.class, true, "image", imp, "model", vgg16(), "layer",
        "", "effective", true).get();
    assertTrue(m.isCanceled());
    assertTrue(m.getCancelReason().startsWith("the effective receptive field needs gradients, and"
        + " no engine with gradients (pytorch, tensorflow) runs model 'vgg16"),
        m.getCancelReason());
  }
}
