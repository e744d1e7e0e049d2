package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.saliency.Saliency;
import org.fovea.ops.saliency.Target;
import org.fovea.io.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea saliency} in-process, on a 64 x 64 crop of the shipped sample. */
class SaliencyCommandTest {

  @TempDir
  static Path dir;

  static Path crop;

  @BeforeAll
  static void writeCrop() {
    ImagePlus c = ImageFiles.open(ImageFiles.sample());
    c.setRoi(200, 136, 64, 64);
    c = c.crop();
    ij.measure.Calibration cal = new ij.measure.Calibration();
    cal.pixelWidth = 0.25;
    cal.pixelHeight = 0.25;
    cal.setUnit("µm");
    c.setCalibration(cal);
    crop = dir.resolve("crop.tif");
    new FileSaver(c).saveAsTiff(crop.toString());
  }

  @Test
  void writesTheMapWithTheCalibrationAndTheOverlay() throws Exception {
    Path map = dir.resolve("map.tif");
    Path png = dir.resolve("overlay.png");
    Cli r = Cli.run("saliency", "--method", "gradient", "--target", "class=1,x=30,y=28",
        "--output", map.toString(), "--overlay", png.toString(), "--check", crop.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("engine=pytorch"), r.out());
    assertTrue(r.out().matches("(?s).*gradient check: 20 values, .* ok\\n.*"), r.out());
    ImagePlus m = new Opener().openImage(map.toString());
    assertEquals(32, m.getBitDepth());
    assertEquals(64, m.getWidth());
    ImagePlus in = new Opener().openImage(crop.toString());
    assertEquals(in.getCalibration().pixelWidth, m.getCalibration().pixelWidth, 1e-12);
    assertEquals(in.getCalibration().getUnit(), m.getCalibration().getUnit());
    var bi = ImageIO.read(png.toFile());
    assertEquals(64 + 90, bi.getWidth());
    assertEquals(64, bi.getHeight());
    // the map is the engine's gradient of the normalized crop, independently computed here
    try (Model model = Model.load(Zoo.resolve("nuclei-dilated"), "pytorch", "cpu")) {
      Tensor raw = Tensor.zeros(org.fovea.ops.net.Axes.of("bcyx"), 1, 1, 64, 64);
      float[] px = (float[]) in.getProcessor().convertToFloatProcessor().getPixels();
      System.arraycopy(px, 0, raw.data(), 0, px.length);
      Tensor g = Saliency.gradient(model.network(), model.preprocess(raw),
          Target.pixel(1, 30, 28)).map();
      float[] got = (float[]) m.getProcessor().getPixels();
      double max = 0;
      double diff = 0;
      for (int i = 0; i < got.length; i++) {
        max = Math.max(max, Math.abs(g.data()[i]));
        diff = Math.max(diff, Math.abs(g.data()[i] - got[i]));
      }
      assertTrue(diff <= 1e-5 * max, "differs by " + diff + " of " + max);
    }
  }

  @Test
  void integratedGradientsReportsItsCompletenessAndTheSanityCheckItsLayers() {
    Path map = dir.resolve("ig.tif");
    Cli r = Cli.run("saliency", "--method", "ig", "--steps", "16", "--target",
        "class=1,roi=20,20,16,16", "--output", map.toString(), crop.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("completeness error="), r.out());
    r = Cli.run("saliency", "--method", "gradient", "--target", "class=1,roi=20,20,16,16",
        "--sanity", "--output", map.toString(), crop.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("randomization check"), r.out());
    assertTrue(r.out().contains("  body.16 "), r.out());
    assertTrue(Files.isRegularFile(map));
  }

  @Test
  void occlusionRunsOnOnnxRuntime() {
    Path map = dir.resolve("occ.tif");
    Cli r = Cli.run("saliency", "--method", "occlusion", "--engine", "onnx", "--window", "9",
        "--stride", "8", "--target", "class=1,x=30,y=28", "--output", map.toString(),
        crop.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("engine=onnxruntime"), r.out());
    assertTrue(r.out().contains("passes=65"), r.out()); // 8 x 8 windows and the unoccluded input
  }

  @Test
  void badInputGivesOneSentenceAndExitTwo() {
    String[][] cases = {
        {"--target", "class=1,x=64,y=3", "the target pixel (64, 3) lies outside the 64x64 image:"
            + " choose a position inside it"},
        {"--target", "class=3", "class 3 is out of range: the model has 3 output classes (0 to 2)"},
        {"--method", "gradcam", "--layer", "conv9", "the model has no layer 'conv9' for Grad-CAM:"
            + " choose one of ["},
        {"--engine", "onnx", "engine 'onnxruntime' cannot differentiate this model: use --method"
            + " occlusion"},
        {"--method", "lime", "unknown saliency method 'lime': choose one of [gradient,"},
        {"--target", "class=1,roi=3,4", "the target 'class=1,roi=3,4' cannot be read (roi needs"
            + " four numbers X,Y,W,H)"}};
    for (String[] c : cases) {
      String[] args = new String[c.length + 3];
      args[0] = "saliency";
      System.arraycopy(c, 0, args, 1, c.length - 1);
      args[c.length] = "--output";
      args[c.length + 1] = dir.resolve("bad.tif").toString();
      args[c.length + 2] = crop.toString();
      Cli r = Cli.run(args);
      assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
      assertTrue(r.err().startsWith("fovea: " + c[c.length - 1]), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertFalse(Files.exists(dir.resolve("bad.tif")));
    }
  }

  @Test
  void aModelWhoseBatchIsFixedToOneGetsOneInputPerCall() throws Exception {
    // the shipped weights, declared with a batch axis fixed to 1 (bioimage.io 0.5: size: 1)
    Path pkg = Cli.copyShipped("nuclei-dilated", dir.resolve("batch-one"));
    String rdf = Files.readString(pkg.resolve("rdf.yaml"));
    Files.writeString(pkg.resolve("rdf.yaml"), rdf.replaceFirst("- type: batch\n",
        "- type: batch\n        size: 1\n"));
    Path free = dir.resolve("ig-free.tif");
    Path one = dir.resolve("ig-one.tif");
    Cli a = Cli.run("saliency", "--method", "ig", "--steps", "8", "--target", "class=1",
        "--engine", "pytorch", "-o", free.toString(), crop.toString());
    assertEquals(0, a.code(), a.err());
    Cli b = Cli.run("saliency", "--model", pkg.toString(), "--method", "ig", "--steps", "8",
        "--target", "class=1", "--engine", "pytorch", "-o", one.toString(), crop.toString());
    assertEquals(0, b.code(), b.err());
    float[] pf = (float[]) new Opener().openImage(free.toString()).getProcessor().getPixels();
    float[] po = (float[]) new Opener().openImage(one.toString()).getProcessor().getPixels();
    double max = 0;
    double diff = 0;
    for (int i = 0; i < pf.length; i++) {
      max = Math.max(max, Math.abs(pf[i]));
      diff = Math.max(diff, Math.abs(pf[i] - po[i]));
    }
    assertTrue(diff <= 1e-5 * max, "one input per call changes the map by " + diff + " of " + max);
    Cli c = Cli.run("saliency", "--model", pkg.toString(), "--method", "ig", "--steps", "8",
        "--batch", "4", "--target", "class=1", "--engine", "pytorch", crop.toString());
    assertEquals(2, c.code());
    assertEquals("fovea: --batch 4 is more than the model takes: its inputs have a batch of"
        + " exactly 1; give --batch 1 or 0", c.err().strip());
  }
}
