package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.measure.Calibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fovea.io.TiffPlanesWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs to {@code fovea segment}: one sentence, non-zero exit, no output file. */
class SegmentBadInputTest {

  @TempDir
  Path tmp;

  private Path out() {
    return tmp.resolve("out").resolve("p.tif");
  }

  private void assertRefused(Cli r, String... words) throws IOException {
    assertEquals(2, r.code(), r.out() + r.err());
    String err = r.err().strip();
    assertTrue(err.startsWith("fovea: "), err);
    assertEquals(1, err.lines().count(), err);
    for (String w : words) {
      assertTrue(err.contains(w), "'" + w + "' missing from: " + err);
    }
    assertTrue(Files.notExists(out()), "no output");
    if (Files.isDirectory(out().getParent())) {
      try (var s = Files.list(out().getParent())) {
        assertEquals(0, s.count(), "no temporary file left behind");
      }
    }
  }

  private Path save(ImagePlus imp, String name) {
    Path p = tmp.resolve(name);
    boolean ok = imp.getStackSize() > 1 ? new FileSaver(imp).saveAsTiffStack(p.toString())
        : new FileSaver(imp).saveAsTiff(p.toString());
    assertTrue(ok, "saved " + p);
    return p;
  }

  @Test
  void notAnImage() throws IOException {
    Path f = Files.writeString(tmp.resolve("notes.tif"), "these are not pixels");
    assertRefused(Cli.run("segment", "-o", out().toString(), f.toString()), "notes.tif");
  }

  @Test
  void missingFile() throws IOException {
    assertRefused(Cli.run("segment", "-o", out().toString(), tmp.resolve("gone.tif").toString()),
        "gone.tif", "does not exist");
  }

  @Test
  void wrongNumberOfChannels() throws IOException {
    ImagePlus imp = IJ.createImage("two", "16-bit ramp", 64, 64, 2, 1, 1);
    Path f = save(imp, "two-channels.tif");
    assertRefused(Cli.run("segment", "-o", out().toString(), f.toString()), "2 channel",
        "nuclei-dilated", "two-channels.tif");
  }

  @Test
  void emptyImage() throws IOException {
    Path f = tmp.resolve("empty.tif");
    try (TiffPlanesWriter w = new TiffPlanesWriter(f, 0, 0, 1, 1, 1, new Calibration())) {
      w.commit();
    }
    assertRefused(Cli.run("segment", "-o", out().toString(), f.toString()), "empty.tif");
  }

  @Test
  void unwritableOutputFolder() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Cli r = Cli.run("segment", "-o", file.resolve("p.tif").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("a-file") && r.err().strip().lines().count() == 1, r.err());
  }

  @Test
  void imageSmallerThanTheModelMinimumIsPaddedAndCropped() throws IOException {
    ImagePlus imp = IJ.createImage("tiny", "16-bit ramp", 10, 7, 1);
    Cli r = Cli.run("segment", "--model", "nuclei-unet", "-o", out().toString(),
        save(imp, "tiny.tif").toString());
    assertEquals(0, r.code(), r.err());
    ImagePlus p = new Opener().openImage(out().toString());
    assertEquals(10, p.getWidth());
    assertEquals(7, p.getHeight());
    assertEquals(3, p.getNChannels());
  }

  @Test
  void nanPixelsWarnAndStillSegment() throws IOException {
    ImagePlus imp = IJ.createImage("nan", "32-bit ramp", 80, 80, 1);
    imp.getProcessor().setf(5, 5, Float.NaN);
    imp.getProcessor().setf(40, 41, Float.NaN);
    Cli r = Cli.run("segment", "-o", out().toString(), save(imp, "nan.tif").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("warning") && r.err().contains("2 NaN or infinite pixels"), r.err());
    ImagePlus p = new Opener().openImage(out().toString());
    for (int c = 1; c <= 3; c++) {
      p.setC(c);
      for (float v : (float[]) p.getProcessor().getPixels()) {
        assertTrue(!Float.isNaN(v), "no NaN in the output");
      }
    }
  }
}
