package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.CompositeImage;
import ij.ImagePlus;
import java.awt.Color;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The Fiji command run headless through SciJava's CommandService, as Fiji and scripts run it. */
class SegmentImageTest {

  private static Context context;
  private static CommandService commands;

  @BeforeAll
  static void start() {
    // user.home points into target/ (surefire), so SciJava's preferences stay out of ~/.java
    context = new Context();
    commands = context.service(CommandService.class);
  }

  @AfterAll
  static void stop() {
    context.dispose();
  }

  @Test
  void isIndexedAsAFijiMenuCommand() {
    var info = commands.getCommand(SegmentImage.class);
    assertEquals("Plugins > Fovea > Fovea Segment", info.getMenuPath().getMenuString());
    assertTrue(info.canRunHeadless());
  }

  @Test
  void probabilitiesEqualImageFilesSegmentWithALutPerClassAndTheCalibration() throws Exception {
    // setup
    ImagePlus crop = Probabilities.sampleCrop(200, 136, 96, 96);
    // process
    CommandModule m = commands.run(SegmentImage.class, true, "image", crop, "model",
        "nuclei-dilated", "engine", "auto", "tile", 40, "device", "cpu").get();
    ImagePlus p = (ImagePlus) m.getOutput("probabilities");
    // test
    assertFalse(m.isCanceled(), m.getCancelReason());
    assertEquals(32, p.getBitDepth());
    assertEquals(3, p.getNChannels());
    assertEquals(96, p.getWidth());
    assertEquals(0.25, p.getCalibration().pixelWidth, 1e-12);
    assertEquals("µm", p.getCalibration().getUnit());
    assertTrue(Probabilities.maxAbsDiff(p, Probabilities.reference(crop, 40)) <= 1e-6);
    CompositeImage ci = (CompositeImage) p;
    assertEquals(new Color(255, 255, 255), lutTop(ci, 1));
    assertEquals(new Color(0, 255, 0), lutTop(ci, 2));
    assertEquals(new Color(255, 0, 0), lutTop(ci, 3));
    assertEquals(1.0, ci.getChannelLut(2).max, 0);
  }

  @Test
  void anUnknownModelCancelsWithOneSentenceAndNoOutput() throws Exception {
    ImagePlus crop = Probabilities.sampleCrop(0, 0, 64, 64);
    CommandModule m = commands.run(SegmentImage.class, true, "image", crop, "model",
        "no-such-model").get();
    assertTrue(m.isCanceled());
    assertTrue(m.getCancelReason().startsWith("no model named or at 'no-such-model'"),
        m.getCancelReason());
    assertEquals(1, m.getCancelReason().lines().count());
    assertNull(m.getOutput("probabilities"));
  }

  @Test
  void int8BeyondTheModelsToleranceCancelsWithItsError() throws Exception {
    // the macro key precision: int8 runs only where the test tensors pass in it, and the shipped
    // model's tolerance refuses it (PrecisionTest measures by how much)
    ImagePlus crop = Probabilities.sampleCrop(0, 0, 64, 64);
    CommandModule m = commands.run(SegmentImage.class, true, "image", crop, "model",
        "nuclei-dilated", "engine", "onnx", "device", "cpu", "precision", "int8").get();
    assertTrue(m.isCanceled());
    assertTrue(m.getCancelReason().startsWith("model 'nuclei-dilated' is refused in int8"),
        m.getCancelReason());
    assertEquals(1, m.getCancelReason().lines().count());
    assertNull(m.getOutput("probabilities"));
  }

  @Test
  void fp16OnTheCpuCancelsWithTheReason() throws Exception {
    ImagePlus crop = Probabilities.sampleCrop(0, 0, 64, 64);
    CommandModule m = commands.run(SegmentImage.class, true, "image", crop, "model",
        "nuclei-dilated", "engine", "onnx", "device", "cpu", "precision", "fp16").get();
    assertTrue(m.isCanceled());
    assertTrue(m.getCancelReason().startsWith("--precision fp16 is refused for model"
        + " 'nuclei-dilated': ONNX Runtime 1.29's CPU provider") && m.getCancelReason().contains(
        "fp16 is for GPUs (--device gpu)"), m.getCancelReason());
    assertNull(m.getOutput("probabilities"));
  }

  @Test
  void withoutAnImageItSaysSoInsteadOfFailing() throws Exception {
    CommandModule m = commands.run(SegmentImage.class, true, "model", "nuclei-dilated").get();
    assertTrue(m.isCanceled());
    assertEquals("there is no image to segment: open one first", m.getCancelReason());
  }

  private static Color lutTop(CompositeImage ci, int channel) {
    return new Color(ci.getChannelLut(channel).getRGB(255));
  }

  @Test
  void aZStackThroughA3dModelGivesAHyperstackOfClassesAndSlicesEqualToOnePass() throws Exception {
    // setup: the shipped 3D sample, tiles of 40 in z, y and x
    ImagePlus stack = new ij.io.Opener().openImage(Probabilities.sample()
        .resolveSibling("nuclei3d-synthetic-64x128x128.tif").toString());
    ImagePlus whole;
    try (org.fovea.models.Model model = org.fovea.models.Model.load(
        org.fovea.models.Zoo.resolve("nuclei-3d"), "onnx", "cpu")) {
      whole = org.fovea.io.ImageFiles.segment(model, stack, 0, null).probabilities();
    }
    // process
    CommandModule m = commands.run(SegmentImage.class, true, "image", stack, "model",
        "nuclei-3d", "engine", "onnx", "tile", 40, "device", "cpu").get();
    ImagePlus p = (ImagePlus) m.getOutput("probabilities");
    // test
    assertFalse(m.isCanceled(), m.getCancelReason());
    assertEquals(3, p.getNChannels());
    assertEquals(64, p.getNSlices());
    assertEquals(2.0, p.getCalibration().pixelDepth, 1e-12);
    assertTrue(Probabilities.maxAbsDiff(p, whole) <= 1e-5, "tiles in z, y and x vs one pass");
  }
}
