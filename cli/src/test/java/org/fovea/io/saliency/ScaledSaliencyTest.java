package org.fovea.io.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.nio.file.Path;
import org.fovea.io.ImageFiles;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.saliency.Saliency;
import org.fovea.ops.saliency.Target;
import org.junit.jupiter.api.Test;

/**
 * Saliency targets are given in image pixels; on a model whose output has half the image's
 * resolution (the star_grid2 test package) they are moved to the output pixel that holds them: the
 * map of a target at image pixel (100, 60) is the map of output pixel (50, 30).
 */
class ScaledSaliencyTest {

  @Test
  void aTargetInImagePixelsIsMovedToTheOutputPixelThatHoldsIt() {
    Path pkg = Path.of(System.getProperty("fovea.root"), "models", "src", "test", "resources",
        "star_grid2");
    ImagePlus imp = ImageFiles.open(ImageFiles.sample());
    imp.setRoi(200, 180, 128, 128);
    ImagePlus crop = imp.crop();
    SaliencySettings s = new SaliencySettings("occlusion", 50, 25, 0.15, "zeros", 9, 8, 0, "", 0);
    try (Model m = Model.load(Zoo.resolve(pkg.toString()), "onnx", "cpu")) {
      SaliencyMaps.Result r = SaliencyMaps.compute(m, crop, Target.pixel(0, 100, 60), s);
      var direct = Saliency.occlusion(m.network(), r.input(), Target.pixel(0, 50, 30), 9, 8, 0f,
          1);
      assertEquals(0.0, r.attribution().map().maxAbsDifference(direct.map()));
      double peak = 0;
      for (float v : direct.map().data()) {
        peak = Math.max(peak, Math.abs(v));
      }
      assertTrue(peak > 0, "the occlusion map is not empty");
      boolean[] freehand = new boolean[16];
      freehand[5] = true;
      freehand[6] = true;
      FoveaException e = assertThrows(FoveaException.class, () -> SaliencyMaps.compute(m, crop,
          Target.mask(0, 10, 10, 4, 4, freehand), s));
      assertTrue(e.getMessage().contains("use a rectangle"), e.getMessage());
    }
  }
}
