package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.saliency.Saliency;
import org.fovea.ops.saliency.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The Fiji saliency command, headless through SciJava's CommandService. */
class SaliencyMapTest {

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

  @Test
  void isIndexedAsAFijiMenuCommand() {
    var info = commands.getCommand(SaliencyMap.class);
    assertEquals("Plugins > Fovea > Fovea Saliency Map", info.getMenuPath().getMenuString());
    assertTrue(info.canRunHeadless());
  }

  @Test
  void anOvalSelectionIsTheTargetAndTheMapKeepsTheCalibration() throws Exception {
    ImagePlus crop = Probabilities.sampleCrop(200, 136, 64, 64);
    crop.setRoi(new OvalRoi(20, 18, 14, 11));
    CommandModule m = commands.run(SaliencyMap.class, true, "image", crop, "method", "gradient",
        "class_index", 1, "engine", "pytorch", "device", "cpu").get();
    assertFalse(m.isCanceled(), m.getCancelReason());
    ImagePlus map = (ImagePlus) m.getOutput("saliency");
    assertEquals(32, map.getBitDepth());
    assertEquals(0.25, map.getCalibration().pixelWidth, 1e-12);
    // independent: the gradient of the mean of class 1 over the oval's own mask
    var mask = crop.getRoi().getMask();
    boolean[] inside = new boolean[14 * 11];
    for (int i = 0; i < inside.length; i++) {
      inside[i] = mask.get(i % 14, i / 14) != 0;
    }
    try (Model model = Model.load(Zoo.resolve("nuclei-dilated"), "pytorch", "cpu")) {
      Tensor raw = Tensor.zeros(org.fovea.ops.net.Axes.of("bcyx"), 1, 1, 64, 64);
      float[] px = (float[]) crop.getProcessor().convertToFloatProcessor().getPixels();
      System.arraycopy(px, 0, raw.data(), 0, px.length);
      Tensor g = Saliency.gradient(model.network(), model.preprocess(raw),
          Target.mask(1, 20, 18, 14, 11, inside)).map();
      float[] got = (float[]) map.getProcessor().getPixels();
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
  void aPointSelectionGivesAnOverlayPicture() throws Exception {
    ImagePlus crop = Probabilities.sampleCrop(200, 136, 64, 64);
    crop.setRoi(new PointRoi(31, 29));
    CommandModule m = commands.run(SaliencyMap.class, true, "image", crop, "method", "erf",
        "class_index", 2, "output", "overlay", "device", "cpu").get();
    assertFalse(m.isCanceled(), m.getCancelReason());
    ImagePlus o = (ImagePlus) m.getOutput("saliency");
    assertEquals(24, o.getBitDepth());
    assertEquals(64 + 90, o.getWidth());
  }

  @Test
  void aClassOutOfRangeCancelsWithOneSentence() throws Exception {
    ImagePlus crop = Probabilities.sampleCrop(0, 0, 32, 32);
    CommandModule m = commands.run(SaliencyMap.class, true, "image", crop, "class_index", 7,
        "device", "cpu").get();
    assertTrue(m.isCanceled());
    assertEquals("class 7 is out of range: the model has 3 output classes (0 to 2)",
        m.getCancelReason());
    assertNull(m.getOutput("saliency"));
  }
}
