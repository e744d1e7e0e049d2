package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.fovea.models.Zoo;
import org.fovea.ops.rf.LayerField;
import org.fovea.io.field.FieldAnalysis;
import org.fovea.plugins.fiji.Probabilities;
import org.fovea.plugins.ij1.ImageJInstall.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receptive-field commands in a real ImageJ 1 (under Xvfb), through the shipped macro
 * {@code macros/receptive_field.ijm}: the table saved as CSV, the overlay flattened into a PNG.
 */
class ReceptiveFieldMacroIT {

  private static final int X = 200;
  private static final int Y = 150;
  private static final int YELLOW = 0xffff00;
  private static final int RED = 0xff0000;

  @TempDir
  static Path tmp;

  private static ImageJInstall install;

  @BeforeAll
  static void installPlugin() throws IOException {
    assumeTrue(ImageJInstall.possible(),
        "xvfb-run is missing (apt-get install xvfb); outside CI the ImageJ macro test is skipped");
    install = ImageJInstall.in(tmp);
  }

  @Test
  void theMacroSavesTheTableAndTheFieldOfThePointToThePixel() throws Exception {
    // setup: the zoo's halo (rdf.yaml, axes .., y, x) of the stride-1 model
    long[] halo = Zoo.resolve("nuclei-dilated").outputs().get(0).spec().halo();
    int h = (int) halo[halo.length - 1];
    Path csv = tmp.resolve("out").resolve("field.csv");
    Path png = tmp.resolve("out").resolve("field.png");
    Files.createDirectories(csv.getParent());
    Path macro = Paths.get(System.getProperty("fovea.root"), "macros", "receptive_field.ijm");
    // process
    Run r = install.run("ij.ImageJ", "-batch", macro.toString(), String.join(",",
        Probabilities.sample().toString(), csv.toString(), png.toString(), "" + X, "" + Y));
    // test: the table's output row
    assertTrue(r.output().contains("Fovea Receptive Field Table: output /Softmax rf "
        + (2 * h + 1) + "," + (2 * h + 1)), r.output());
    List<String> lines = Files.readAllLines(csv);
    List<String> head = Arrays.asList(lines.get(0).split(","));
    String[] out = lines.stream().filter(l -> l.startsWith("/Softmax,")).findFirst().orElseThrow()
        .split(",");
    assertEquals(2 * h + 1, Double.parseDouble(out[head.indexOf("rf_x")]), 0);
    assertEquals(2 * h + 1, Double.parseDouble(out[head.indexOf("rf_y")]), 0);
    assertEquals(h, Double.parseDouble(out[head.indexOf("reach_before_x")]), 0);
    assertEquals(1, Double.parseDouble(out[head.indexOf("stride_y")]), 0);
    // the overlay: the field of output (X,Y) at the image's size, as the analysis names it
    BufferedImage b = ImageIO.read(png.toFile());
    LayerField l = FieldAnalysis.of("nuclei-dilated", null, new long[] {b.getHeight(),
        b.getWidth()}, false, null, "cpu").report().output();
    int x0 = (int) l.axis(1).first(X);
    int x1 = (int) l.axis(1).last(X);
    int y0 = (int) l.axis(0).first(Y);
    int y1 = (int) l.axis(0).last(Y);
    assertEquals(List.of(X - h, X + h, Y - h, Y + h), List.of(x0, x1, y0, y1));
    // ImageJ draws a rectangle's outline on the edges of its pixels: at 100 % the left and top
    // edges fall on the field's first column and row, the right and bottom edges on the column
    // and row just after its last
    for (int y = y0; y <= y1 + 1; y++) {
      assertEquals(YELLOW, rgb(b, x0, y), "left edge at " + x0 + "," + y);
      assertEquals(YELLOW, rgb(b, x1 + 1, y), "right edge at " + (x1 + 1) + "," + y);
      assertNotEquals(YELLOW, rgb(b, x0 - 1, y));
      assertNotEquals(YELLOW, rgb(b, x1 + 2, y));
    }
    for (int x = x0; x <= x1 + 1; x++) {
      assertEquals(YELLOW, rgb(b, x, y0), "top edge at " + x + "," + y0);
      assertEquals(YELLOW, rgb(b, x, y1 + 1), "bottom edge at " + x + "," + (y1 + 1));
      assertNotEquals(YELLOW, rgb(b, x, y0 - 1));
      assertNotEquals(YELLOW, rgb(b, x, y1 + 2));
    }
    assertNotEquals(YELLOW, rgb(b, x0 + 1, y0 + 1));
    assertNotEquals(YELLOW, rgb(b, x1, y1));
    assertEquals(RED, rgb(b, (x0 + x1) / 2, (y0 + y1) / 2), "the centre's cross");
    assertEquals(RED, rgb(b, (x0 + x1) / 2 + 5, (y0 + y1) / 2));
  }

  @Test
  void theRecorderRecordsBothRunLinesWithEveryKey() throws Exception {
    Run t = install.run(RecordingProbe.class.getName(), Probabilities.sample().toString(),
        "model=[nuclei-dilated] input_size=128,128", "Fovea Receptive Field Table");
    assertTrue(t.output().contains("RECORDED>>run(\"Fovea Receptive Field Table\","
        + " \"model=nuclei-dilated input_size=128,128 format=auto\");"), t.output());
    Run o = install.run(RecordingProbe.class.getName(), Probabilities.sample().toString(),
        "model=[nuclei-dilated]", "Fovea Receptive Field Overlay", X + "," + Y);
    assertTrue(o.output().contains("run(\"Fovea Receptive Field Overlay\", \"model=nuclei-dilated"
        + " layer=[]\");"), o.output());
  }

  @Test
  void theEffectiveFieldIsAHeatmapInsideTheRectangleWithAColourBar() throws Exception {
    // setup
    long[] halo = Zoo.resolve("nuclei-dilated").outputs().get(0).spec().halo();
    int h = (int) halo[halo.length - 1];
    Path png = tmp.resolve("effective.png");
    Path macro = tmp.resolve("effective.ijm");
    Files.writeString(macro, "setBatchMode(true);\nopen(\"" + Probabilities.sample() + "\");\n"
        + "makePoint(" + X + ", " + Y + ");\n"
        + "run(\"Fovea Receptive Field Overlay\", \"model=[nuclei-dilated] effective\");\n"
        + "run(\"Select None\");\nrun(\"Flatten\");\nsaveAs(\"PNG\", \"" + png + "\");\n");
    // process
    Run r = install.run("ij.ImageJ", "-batch", macro.toString());
    // test: coloured pixels inside the rectangle, none left of it or below it
    assertTrue(Files.isRegularFile(png), r.output());
    BufferedImage b = ImageIO.read(png.toFile());
    int inside = 0;
    for (int y = 0; y < b.getHeight(); y++) {
      for (int x = 0; x < b.getWidth(); x++) {
        boolean colour = coloured(rgb(b, x, y));
        boolean inRect = x >= X - h && x <= X + h + 1 && y >= Y - h && y <= Y + h + 1;
        boolean inBar = x >= b.getWidth() - 80 && y < 140;
        inside += colour && inRect ? 1 : 0;
        assertFalse(colour && !inRect && !inBar, "colour outside the field at " + x + "," + y);
      }
    }
    assertTrue(inside > 8 * h, "heatmap pixels: " + inside);
    assertTrue(coloured(rgb(b, b.getWidth() - 10, 10)) && coloured(rgb(b, b.getWidth() - 10, 120)),
        "the colour bar");
  }

  @Test
  void withoutASelectionTheOverlayStopsTheMacroWithOneSentence() throws Exception {
    Path out = tmp.resolve("none.png");
    Path macro = tmp.resolve("no_point.ijm");
    Files.writeString(macro, "open(\"" + Probabilities.sample() + "\");\n"
        + "run(\"Fovea Receptive Field Overlay\", \"model=[nuclei-dilated]\");\n"
        + "saveAs(\"PNG\", \"" + out + "\");\n");
    Run r = install.run("ij.ImageJ", "-batch", macro.toString());
    assertTrue(r.output().contains("Fovea Receptive Field Overlay: the image has no selection:"
        + " mark an output pixel with the point tool (or draw a line or rectangle) first"),
        r.output());
    assertFalse(Files.exists(out));
  }

  private static boolean coloured(int rgb) {
    return (rgb >> 16 & 255) != (rgb >> 8 & 255) || (rgb >> 8 & 255) != (rgb & 255);
  }

  private static int rgb(BufferedImage b, int x, int y) {
    return b.getRGB(x, y) & 0xffffff;
  }
}
