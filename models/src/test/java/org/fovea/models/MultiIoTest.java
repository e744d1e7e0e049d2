package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.Npy;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A package with two inputs and two outputs (made by
 * {@code src/test/resources/multi_io/make_package.py}, ONNX and TorchScript weights, test outputs
 * from PyTorch; the SavedModel is converted from the ONNX graph here): validation and the
 * self-check feed every test input and compare every output, so a wrong second output is caught
 * and named; segmentation feeds both inputs on every engine.
 */
class MultiIoTest {

  @TempDir
  Path tmp;

  static Path fixture() {
    try {
      return Path.of(MultiIoTest.class.getResource("/multi_io/rdf.yaml").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fixture with a SavedModel beside its ONNX and TorchScript weights (made once). */
  private static Path withSavedModel;

  static synchronized Path threeFormats() throws IOException {
    if (withSavedModel == null) {
      Path dir = Files.createTempDirectory("fovea-multi-io");
      try (var s = Files.list(fixture())) {
        for (Path f : s.toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
      org.fovea.models.tf.OnnxToSavedModel.convert(dir.resolve("weights.onnx"),
          dir.resolve("tf_saved_model"));
      Files.writeString(dir.resolve("rdf.yaml"), "  tensorflow_saved_model_bundle:"
          + " {source: tf_saved_model, tensorflow_version: 2.18.0}\n",
          java.nio.file.StandardOpenOption.APPEND);
      withSavedModel = dir;
    }
    return withSavedModel;
  }

  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "pytorch", "tensorflow"})
  void everyInputGoesInAndEveryOutputIsCompared(String engine) throws IOException {
    ModelPackage p = Zoo.resolve(threeFormats().toString());
    assertEquals(2, p.inputs().size());
    assertEquals(2, p.outputs().size());
    Validation.Result r = Validation.run(p, engine).get(0);
    assertTrue(r.passed() && r.maxAbsDifference() <= 1e-5, r.toString());
    try (Model m = Model.load(p, engine, "cpu")) {
      Map<String, Tensor> out = m.runAll(SelfCheck.testTensors(p, true));
      assertEquals(List.of("mixed", "gated"), List.copyOf(out.keySet()));
      assertEquals(2, out.get("mixed").shape()[1]);
      FoveaException e = assertThrows(FoveaException.class,
          () -> m.runAll(List.of(SelfCheck.testTensors(p, true).get(0))));
      assertTrue(e.getMessage().contains("has 2 input(s) but 1 tensor(s) were given"),
          e.getMessage());
    }
  }

  @Test
  void aWrongSecondOutputFailsValidationAndTheSelfCheckNamesIt() throws IOException {
    Path copy = Files.createDirectories(tmp.resolve("pkg"));
    try (var s = Files.list(fixture())) {
      for (Path f : s.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Tensor gated = Npy.read(copy.resolve("gated.npy"), org.fovea.ops.net.Axes.of("bcyx"));
    for (int i = 0; i < gated.data().length; i += 7) {
      gated.data()[i] += 0.1f;
    }
    Npy.write(copy.resolve("gated.npy"), gated);
    ModelPackage p = Zoo.resolve(copy.toString());
    Validation.Result r = Validation.run(p, "onnxruntime").get(0);
    assertFalse(r.passed(), r.toString());
    assertEquals(0.1, r.maxAbsDifference(), 1e-5);
    System.setProperty("fovea.verify.cache", tmp.resolve("verdicts").toString());
    try (Model m = Model.load(p, "onnx", "cpu", true)) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> m.runAll(SelfCheck.testTensors(p, true)));
      assertTrue(e.getMessage().contains("output 'gated'"), e.getMessage());
    } finally {
      System.clearProperty("fovea.verify.cache");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "pytorch", "tensorflow"})
  void aTwoChannelImageFeedsBothInputsAndTilesEqualOnePassForEveryOutput(String engine)
      throws IOException {
    ModelPackage p = Zoo.resolve(threeFormats().toString());
    int w = 57;
    int h = 45;
    java.util.Random rnd = new java.util.Random(3);
    float[] raw = new float[w * h];
    float[] mask = new float[w * h];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (float) rnd.nextGaussian();
      mask[i] = rnd.nextBoolean() ? 1 : 0;
    }
    float[] both = new float[2 * w * h];
    System.arraycopy(raw, 0, both, 0, raw.length);
    System.arraycopy(mask, 0, both, raw.length, mask.length);
    try (Model m = Model.load(p, engine, "cpu")) {
      assertEquals(engine, m.network().engine());
      Map<String, Tensor> whole = m.runAll(List.of(
          new Tensor(org.fovea.ops.net.Axes.of("bcyx"), new long[] {1, 1, h, w}, raw.clone()),
          new Tensor(org.fovea.ops.net.Axes.of("bcyx"), new long[] {1, 1, h, w}, mask.clone())));
      float[] expected = new float[3 * w * h];
      System.arraycopy(whole.get("mixed").data(), 0, expected, 0, 2 * w * h);
      System.arraycopy(whole.get("gated").data(), 0, expected, 2 * w * h, w * h);
      assertEquals(3, m.classesFor(2));
      for (long tile : new long[] {0, 8, 20}) {
        var img = net.imglib2.img.array.ArrayImgs.floats(both.clone(), w, h, 2);
        var out = SegmentationPlan.of(m, img, tile).output(m, img,
            org.fovea.ops.tiling.TiledImage.DEFAULT_CACHE).image();
        float[] got = new float[expected.length];
        int i = 0;
        for (net.imglib2.type.numeric.real.FloatType v : net.imglib2.view.Views.flatIterable(out)) {
          got[i++] = v.get();
        }
        double worst = 0;
        for (int k = 0; k < got.length; k++) {
          worst = Math.max(worst, Math.abs(got[k] - expected[k]));
        }
        assertTrue(worst <= 1e-5, "tile " + tile + ": " + worst);
      }
      FoveaException e = assertThrows(FoveaException.class, () -> SegmentationPlan.of(m,
          net.imglib2.img.array.ArrayImgs.floats(raw.clone(), w, h), 0));
      assertEquals("model 'two-in-two-out' has the inputs raw (1 channel), mask (1 channel): give"
          + " an image with 2 channels, the inputs' channels in that order (this one has 1)",
          e.getMessage());
    }
  }
}
