package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fovea segment --dense} as a user runs it on the shipped strided model and sample image:
 * one output per pixel by default, the same numbers by both dense methods and by tiles, a coarse
 * run at one value per 8 x 8 block with the pixel size scaled, and a bad mode refused.
 */
class DenseCliTest {

  @TempDir
  Path tmp;

  private static float[] channel(ImagePlus p, int c) {
    p.setPositionWithoutUpdate(c, 1, 1);
    return (float[]) p.getProcessor().convertToFloatProcessor().getPixels();
  }

  @Test
  void aStridedModelSegmentsDenseByDefaultAndBothMethodsAndTilingAgree() {
    Path auto = tmp.resolve("auto.tif");
    Cli r = Cli.run("segment", "--model", "nuclei-strided", "-o", auto.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("dense (atrous) model 'nuclei-strided', stride 8x8"), r.err());
    assertTrue(r.out().contains("halo=30"), r.out());
    Path ss = tmp.resolve("ss.tif");
    r = Cli.run("segment", "--model", "nuclei-strided", "--dense", "shift-stitch", "--tile",
        "120", "-o", ss.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("tiles=25"), r.out());
    ImagePlus a = new Opener().openImage(auto.toString());
    ImagePlus b = new Opener().openImage(ss.toString());
    assertEquals(512, a.getWidth());
    assertEquals(512, a.getHeight());
    assertEquals(3, a.getNChannels());
    double worst = 0;
    for (int c = 1; c <= 3; c++) {
      float[] x = channel(a, c);
      float[] y = channel(b, c);
      for (int i = 0; i < x.length; i++) {
        worst = Math.max(worst, Math.abs(x[i] - y[i]));
      }
    }
    assertTrue(worst <= 1e-5, "a trous whole vs shift-and-stitch tiled: " + worst);
  }

  @Test
  void aCoarseRunWritesOneValuePerBlockAndAnUnknownModeIsRefused() {
    Path out = tmp.resolve("off.tif");
    Cli r = Cli.run("segment", "--model", "nuclei-strided", "--dense", "off", "-o",
        out.toString());
    assertEquals(0, r.code(), r.err());
    ImagePlus p = new Opener().openImage(out.toString());
    assertEquals(64, p.getWidth(), "512 / 8");
    assertEquals(64, p.getHeight());
    assertEquals(8 * 0.5, p.getCalibration().pixelWidth, 1e-9, "8 input pixels of 0.5 um");
    // instances need one output per pixel: refused with the option named, nothing written
    Path labels = tmp.resolve("labels.tif");
    r = Cli.run("instances", "--model", "nuclei-strided", "--dense", "off", "-o",
        labels.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("gives 64x64 outputs for a 512x512 image")
        && r.err().contains("--dense atrous"), r.err());
    assertTrue(Files.notExists(labels));
    Path bad = tmp.resolve("bad.tif");
    r = Cli.run("segment", "--dense", "sideways", "-o", bad.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("unknown dense mode 'sideways'"), r.err());
    assertTrue(Files.notExists(bad));
  }

  @Test
  void askingForDenseOutputFromAStrideOneModelRunsItAsItIs() {
    Cli r = Cli.run("segment", "--dense", "atrous", "-o", tmp.resolve("d.tif").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("has total stride 1"), r.err());
    assertTrue(r.out().contains("halo=34"), r.out());
  }

  @Test
  void fieldReportsTheDenseFormItsRewrittenLayersAndItsCost() {
    Cli r = Cli.run("field", "nuclei-strided", "--dense", "--input-size", "256,256");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("dense form: axis 0: stride 8, receptive field 61 px, reach 30"
        + " before and 30 after"), r.out());
    assertTrue(r.out().contains("a trous network: stride 1, receptive field 61 px, 8 layers"
        + " rewritten"), r.out());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("shift-and-stitch 64 passes,"
        + " ([0-9.]+) GFLOP; a trous ([0-9.]+) GFLOP").matcher(r.out());
    assertTrue(m.find(), r.out());
    assertTrue(Double.parseDouble(m.group(2)) < Double.parseDouble(m.group(1)), r.out());
    r = Cli.run("field", "nuclei-dilated", "--dense");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("already dense"), r.out());
  }
}
