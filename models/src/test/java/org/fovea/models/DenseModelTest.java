package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.Npy;
import org.fovea.ops.dense.DenseNetwork;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The shipped strided model (nuclei-strided, total stride 8) made dense as a user runs it: à
 * trous equals shift-and-stitch on its own test image, tiles of any size equal the whole image,
 * the output has the image's size; without dense prediction the coarse output is tiled at its own
 * size (one value per 8 x 8 block).
 */
class DenseModelTest {

  static Tensor testImage(ModelPackage p) {
    return Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes());
  }

  @Test
  void atrousEqualsShiftAndStitchAndTilesEqualTheWholeImage() {
    ModelPackage p = Zoo.resolve("nuclei-strided");
    Tensor raw = ZooModelsTest.crop(testImage(p), 203, 229, 17, 9); // no multiple of 8
    List<String> log = new ArrayList<>();
    try (Model a = Dense.of(Model.load(p, "onnx", "cpu"), DenseNetwork.Method.ATROUS, log::add);
        Model s = Dense.of(Model.load(p, "onnx", "cpu"), DenseNetwork.Method.SHIFT_STITCH,
            log::add)) {
      assertTrue(a.network() instanceof DenseNetwork d && d.method() == DenseNetwork.Method.ATROUS,
          "the rewrite is used: " + log);
      assertTrue(log.get(0).contains("stride 8x8"), log.toString());
      assertEquals(30, a.halo().max(Axis.Y), "the dense reach: (61 - 1) / 2");
      Tensor whole = ZooModelsTest.wholeImagePass(a, raw);
      assertEquals(203, whole.shape()[2]);
      assertEquals(229, whole.shape()[3]);
      assertEquals(3, whole.shape()[1]);
      double d = whole.maxAbsDifference(ZooModelsTest.wholeImagePass(s, raw));
      assertTrue(d <= 1e-5, "a trous vs shift-and-stitch: " + d);
      for (long tile : new long[] {40, 64, 100}) {
        for (Model m : new Model[] {a, s}) {
          Segmentation.Result r = Segmentation.run(m, raw, tile, null);
          assertTrue(r.tiles() > 4, r.tiles() + " tiles");
          double t = r.probabilities().maxAbsDifference(whole);
          assertTrue(t <= 1e-5, m.network() + ", tile " + tile + ": " + t);
        }
      }
    }
  }

  @Test
  void anotherEngineFallsBackToShiftAndStitchWithTheSameNumbers() {
    ModelPackage p = Zoo.resolve("nuclei-strided");
    Tensor raw = ZooModelsTest.crop(testImage(p), 70, 90, 40, 33);
    List<String> log = new ArrayList<>();
    try (Model ort = Dense.of(Model.load(p, "onnx", "cpu"), DenseNetwork.Method.ATROUS, s -> { });
        Model tf = Dense.of(Model.load(p, "tensorflow", "cpu"), DenseNetwork.Method.ATROUS,
            log::add)) {
      assertTrue(tf.network() instanceof DenseNetwork d
          && d.method() == DenseNetwork.Method.SHIFT_STITCH, tf.network().toString());
      assertTrue(log.get(0).contains("runs dense by shift-and-stitch")
          && log.get(0).contains("runs on tensorflow"), log.toString());
      double d = ZooModelsTest.wholeImagePass(ort, raw).maxAbsDifference(
          ZooModelsTest.wholeImagePass(tf, raw));
      assertTrue(d <= 1e-4, "onnxruntime a trous vs tensorflow shift-and-stitch: " + d);
    }
  }

  @Test
  void theDenseOutputStandsForEachPixelWhereTheCoarseOutputsFallOnIt() {
    // where a pixel is a multiple of 8 (the centre of a coarse output's field), the dense output
    // is the strided network's own output there
    ModelPackage p = Zoo.resolve("nuclei-strided");
    Tensor raw = testImage(p);
    try (Model coarse = Model.load(p, "onnx", "cpu");
        Model dense = Dense.of(Model.load(p, "onnx", "cpu"), DenseNetwork.Method.ATROUS,
            s -> { })) {
      Tensor c = coarse.run(raw); // 32 x 32 for 256 x 256
      Tensor d = ZooModelsTest.wholeImagePass(dense, raw);
      double worst = 0;
      for (int k = 0; k < 3; k++) {
        for (int o = 4; o < 28; o++) { // away from the border, where the two pad differently
          for (int q = 4; q < 28; q++) {
            float cv = c.data()[(k * 32 + o) * 32 + q];
            float dv = d.data()[(k * 256 + 8 * o) * 256 + 8 * q];
            worst = Math.max(worst, Math.abs(cv - dv));
          }
        }
      }
      assertTrue(worst <= 1e-5, "dense at 8u vs coarse at u: " + worst);
    }
  }

  @Test
  void withoutDensePredictionTheCoarseOutputIsTiledAtItsOwnSizeAndStrideOneModelsStayAsTheyAre() {
    ModelPackage p = Zoo.resolve("nuclei-strided");
    Tensor raw = testImage(p); // 256 x 256: the package's test output is 32 x 32
    Tensor expected = Npy.read(p.testOutputs().get(0), p.outputs().get(0).spec().axes());
    try (Model coarse = Model.load(p, "onnx", "cpu")) {
      for (long tile : new long[] {0, 64}) {
        Segmentation.Result r = Segmentation.run(coarse, raw, tile, null);
        assertEquals(32, r.probabilities().shape()[2]);
        double d = r.probabilities().maxAbsDifference(expected);
        assertTrue(d <= 1e-5, "tile " + tile + ": " + d);
      }
    }
    Model dilated = Model.load(Zoo.resolve("nuclei-dilated"), "onnx", "cpu");
    try (Model same = Dense.auto(dilated, s -> { })) {
      assertSame(dilated, same, "a stride-1 model is not wrapped");
    }
    List<String> log = new ArrayList<>();
    Model unet = Model.load(Zoo.resolve("nuclei-unet"), "onnx", "cpu");
    try (Model same = Dense.auto(unet, log::add)) {
      assertSame(unet, same, "a U-Net (stride 1 after up-sampling) is not wrapped");
    }
    assertTrue(log.isEmpty(), log.toString());
  }
}
