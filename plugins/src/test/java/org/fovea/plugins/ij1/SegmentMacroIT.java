package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.fovea.plugins.fiji.Probabilities;
import org.fovea.plugins.ij1.ImageJInstall.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin jar in a real ImageJ 1 ({@code ij.jar} from Maven Central, under Xvfb), laid
 * out as a user installs it: {@code plugins/Fovea_-VERSION.jar} and its dependencies in
 * {@code jars/}. Runs the shipped example macro and checks what it saved.
 */
class SegmentMacroIT {

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
  void theSampleMacroSavesWhatImageFilesSegmentComputes() throws Exception {
    // setup
    Path out = tmp.resolve("out").resolve("probabilities.tif");
    Files.createDirectories(out.getParent());
    Path macro = Paths.get(System.getProperty("fovea.root"), "macros", "segment_sample.ijm");
    // process
    Run r = imagej("ij.ImageJ", "-batch", macro.toString(), Probabilities.sample() + "," + out);
    // test
    assertTrue(Files.isRegularFile(out), r.output());
    assertTrue(r.output().contains("Fovea Segment: "), r.output());
    ImagePlus p = new Opener().openImage(out.toString());
    assertEquals(32, p.getBitDepth());
    assertEquals(3, p.getNChannels());
    assertEquals(512, p.getWidth());
    assertTrue(p.isComposite(), "one LUT per class");
    assertEquals(0.5, p.getCalibration().pixelWidth, 1e-9);
    ImagePlus reference = Probabilities.reference(new Opener().openImage(
        Probabilities.sample().toString()), 128);
    assertTrue(Probabilities.maxAbsDiff(p, reference) <= 1e-6);
  }

  @Test
  void theDenseKeyRunsAStridedModelOnePixelAtATime() throws Exception {
    Path out = tmp.resolve("dense.tif");
    Path macro = tmp.resolve("dense.ijm");
    Files.writeString(macro, "open(\"" + Probabilities.sample() + "\");\n"
        + "run(\"Fovea Segment\", \"model=[nuclei-strided] tile=200 dense=shift-stitch\");\n"
        + "saveAs(\"Tiff\", \"" + out + "\");\n");
    Run r = imagej("ij.ImageJ", "-batch", macro.toString());
    assertTrue(Files.isRegularFile(out), r.output());
    ImagePlus p = new Opener().openImage(out.toString());
    assertEquals(512, p.getWidth(), "one output per pixel");
    assertEquals(3, p.getNChannels());
    // the same image through the a trous rewrite, whole, in this process
    ImagePlus reference;
    try (org.fovea.models.Model m = org.fovea.models.ModelRequest.builder()
        .setModel("nuclei-strided").optDense("atrous").build().load()) {
      reference = org.fovea.io.ImageFiles.segment(m, new Opener().openImage(
          Probabilities.sample().toString()), 0, null).probabilities();
    }
    assertTrue(Probabilities.maxAbsDiff(p, reference) <= 1e-5);
  }

  @Test
  void aMisspelledKeyStopsTheMacroWithOneSentenceAndNoFile() throws Exception {
    Path out = tmp.resolve("bad.tif");
    Path macro = tmp.resolve("bad_key.ijm");
    Files.writeString(macro, "open(\"" + Probabilities.sample() + "\");\n"
        + "run(\"Fovea Segment\", \"model=[nuclei-dilated] tiles=128\");\n"
        + "saveAs(\"Tiff\", \"" + out + "\");\n");
    Run r = imagej("ij.ImageJ", "-batch", macro.toString());
    assertTrue(r.output().contains("Fovea Segment: unknown option 'tiles' (the options are model,"
        + " engine, tile, device, dense, precision, no_verify): correct the run(\"Fovea Segment\","
        + " ...) line"), r.output());
    assertFalse(Files.exists(out));
  }

  @Test
  void theRecorderRecordsTheRunLineWithEveryKey() throws Exception {
    Run r = imagej(RecordingProbe.class.getName(), Probabilities.sample().toString(),
        "model=[nuclei-dilated] tile=256");
    assertTrue(r.output().contains("RECORDED>>run(\"Fovea Segment\", \"model=nuclei-dilated"
        + " engine=auto tile=256 device=auto dense=auto precision=fp32\");"), r.output());
  }

  private static Run imagej(String main, String... args) throws Exception {
    return install.run(main, args);
  }
}
