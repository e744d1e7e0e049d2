package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ij.ImagePlus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * Fiji keeps models loaded for the life of the Context (issue 13, item 5): Segment, Instance
 * Masks, Saliency Map and the Receptive Field Overlay's effective field, run twice each through
 * SciJava's CommandService, load each model they need once; Segment and Instance Masks ask for
 * the same model and share it.
 */
class ModelServiceTest {

  private static Context context;
  private static CommandService commands;
  private static ModelService models;

  @BeforeAll
  static void start() {
    context = new Context();
    commands = context.service(CommandService.class);
    models = context.service(ModelService.class);
  }

  @AfterAll
  static void stop() {
    context.dispose();
  }

  private static void run(Class<? extends org.scijava.command.Command> c, Object... args)
      throws Exception {
    CommandModule m = commands.run(c, true, args).get();
    assertFalse(m.isCanceled(), c.getSimpleName() + ": " + m.getCancelReason());
  }

  @Test
  void eachModelIsLoadedOncePerContext() throws Exception {
    ImagePlus crop = Probabilities.sampleCrop(150, 200, 96, 80);
    int before = models.loads();
    for (int i = 0; i < 2; i++) {
      run(InstanceMasks.class, "image", crop, "model", "nuclei-dilated", "engine", "onnx",
          "device", "cpu", "tile", 64);
    }
    assertEquals(1, models.loads() - before, "Instance Masks loads through the service, once");
    for (int i = 0; i < 2; i++) {
      run(SegmentImage.class, "image", crop, "model", "nuclei-dilated", "engine", "onnx",
          "device", "cpu", "tile", 64);
    }
    assertEquals(1, models.loads() - before, "Segment shares Instance Masks' model");
    for (int i = 0; i < 2; i++) {
      run(SaliencyMap.class, "image", crop, "model", "nuclei-dilated", "engine", "onnx",
          "device", "cpu", "method", "occlusion", "window", 15, "stride", 16);
    }
    assertEquals(2, models.loads() - before,
        "Saliency Map runs the model as it is (no dense rewrite): one more load, once");
    for (int i = 0; i < 2; i++) {
      ImagePlus imp = Probabilities.sampleCrop(136, 86, 96, 96);
      imp.setRoi(new ij.gui.PointRoi(48, 40));
      run(ReceptiveFieldOverlay.class, "image", imp, "model", "nuclei-dilated", "layer", "",
          "effective", true);
    }
    assertEquals(3, models.loads() - before,
        "the effective field's differentiable engine (PyTorch): one more load, once");
  }
}
