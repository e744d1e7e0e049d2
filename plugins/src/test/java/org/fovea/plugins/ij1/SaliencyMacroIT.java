package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.imageio.ImageIO;
import org.fovea.plugins.fiji.Probabilities;
import org.fovea.plugins.ij1.ImageJInstall.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * macros/saliency_rois.ijm in a real ImageJ 1 under Xvfb: two ROIs in the ROI Manager give two
 * overlay PNGs and two 32-bit maps, each map concentrated around its own ROI.
 */
class SaliencyMacroIT {

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
  void theRoiMacroWritesOneOverlayAndOneMapPerRoi() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path macro = Paths.get(System.getProperty("fovea.root"), "macros", "saliency_rois.ijm");
    // a user's session before the macro: an image open, two ROIs in the ROI Manager (in -batch
    // mode each interpreter has its own ROI Manager, so the set-up lines and the macro's text run
    // as one macro)
    Path driver = tmp.resolve("driver.ijm");
    Files.writeString(driver, "open(\"" + Probabilities.sample() + "\");\n"
        + "makeRectangle(136, 200, 96, 96);\nrun(\"Crop\");\n"
        + "makeOval(20, 20, 16, 16);\nroiManager(\"Add\");\n"
        + "makeRectangle(60, 58, 20, 20);\nroiManager(\"Add\");\n"
        + Files.readString(macro));
    Run r = install.run("ij.ImageJ", "-batch", driver.toString(), out.toString());
    for (int i = 1; i <= 2; i++) {
      Path png = out.resolve("roi-" + i + ".png");
      Path tif = out.resolve("roi-" + i + ".tif");
      assertTrue(Files.isRegularFile(png), r.output());
      assertTrue(Files.isRegularFile(tif), r.output());
      BufferedImage bi = ImageIO.read(png.toFile());
      assertEquals(96 + 90, bi.getWidth());
      ImagePlus map = new Opener().openImage(tif.toString());
      assertEquals(32, map.getBitDepth());
      assertEquals(96, map.getWidth());
      // most of the map's absolute mass lies within 34 px (the model's reach) of the ROI
      int[] box = i == 1 ? new int[] {20, 20, 16, 16} : new int[] {60, 58, 20, 20};
      float[] px = (float[]) map.getProcessor().getPixels();
      double near = 0;
      double all = 0;
      for (int y = 0; y < 96; y++) {
        for (int x = 0; x < 96; x++) {
          double v = Math.abs(px[y * 96 + x]);
          all += v;
          if (x >= box[0] - 34 && x < box[0] + box[2] + 34 && y >= box[1] - 34
              && y < box[1] + box[3] + 34) {
            near += v;
          }
        }
      }
      assertTrue(near == all && all > 0, "ROI " + i + ": " + near + " of " + all);
    }
    assertTrue(r.output().contains("Fovea saliency_rois: ROI 2 of 2"), r.output());
    assertFalse(Files.exists(out.resolve("roi-3.png")));
  }

  @Test
  void aClassOutOfRangeStopsTheMacroWithOneSentence() throws Exception {
    Path macro = tmp.resolve("bad_class.ijm");
    Path out = tmp.resolve("bad.tif");
    Files.writeString(macro, "open(\"" + Probabilities.sample() + "\");\n"
        + "run(\"Fovea Saliency Map\", \"model=[nuclei-dilated] method=gradient class_index=5\");\n"
        + "saveAs(\"Tiff\", \"" + out + "\");\n");
    Run r = install.run("ij.ImageJ", "-batch", macro.toString());
    assertTrue(r.output().contains("Fovea Saliency Map: class 5 is out of range: the model has 3"
        + " output classes (0 to 2)"), r.output());
    assertFalse(Files.exists(out));
  }
}
