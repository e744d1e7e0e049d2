package org.fovea.io.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.Instances;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A model whose background/interior/boundary classes are its second output (test package
 * models/src/test/resources/two_outputs, made by its script): the watershed finds them there,
 * after the first output's channels, and gives the objects of that output alone.
 */
class SecondOutputInstancesTest {

  private static final Path PKG = Path.of("..", "models", "src", "test", "resources",
      "two_outputs");

  @Test
  void theWatershedReadsTheOutputThatNamesInteriorAndBoundary() {
    int w = 70;
    int h = 50;
    float[] px = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double a = Math.hypot(x - 18, y - 20);
        double b = Math.hypot(x - 50, y - 30);
        px[y * w + x] = (float) (a < 7 || b < 9 ? 2.0 : -1.0);
      }
    }
    try (Model m = Model.load(Zoo.resolve(PKG.toString()), "onnx", "cpu")) {
      InstanceParams p = InstanceExtraction.forModel(m, InstanceParams.defaults());
      assertEquals(3, p.interiorChannel(), "after the 2 channels of 'features'");
      assertEquals(4, p.boundaryChannel());
      InstanceExtraction.Result r = InstanceExtraction.run(m,
          new ImagePlus("blobs", new FloatProcessor(w, h, px.clone())), InstanceParams.defaults(),
          0, null);
      Map<String, Tensor> out = m.runAll(List.of(
          new Tensor(Axes.of("bcyx"), new long[] {1, 1, h, w}, px.clone())));
      LabelImage expected = Instances.fromSemantic(out.get("probabilities"),
          InstanceParams.defaults());
      assertEquals(2, expected.count(), "two blobs");
      assertArrayEquals(expected.labels(), r.labels().labels());
      assertTrue(r.objects().size() == 2);
    }
  }
}
