package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.Npy;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped demo models, on every engine. */
class ZooModelsTest {

  static Stream<Arguments> modelsAndEngines() {
    List<Arguments> l = new ArrayList<>();
    for (String m : List.of("nuclei-dilated", "nuclei-unet")) {
      for (String e : List.of("onnxruntime", "pytorch", "tensorflow")) {
        l.add(Arguments.of(m, e));
      }
    }
    return l.stream();
  }

  @ParameterizedTest
  @MethodSource("modelsAndEngines")
  void validatesOnEveryEngine(String model, String engine) {
    List<Validation.Result> rs = Validation.run(Zoo.resolve(model), engine);
    assertEquals(1, rs.size());
    Validation.Result r = rs.get(0);
    assertTrue(r.passed(), model + " on " + engine + ": " + r);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nuclei-dilated", "nuclei-unet"})
  void theThreeWeightFormatsAgree(String model) {
    ModelPackage p = Zoo.resolve(model);
    Tensor raw = Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes());
    Tensor[] out = new Tensor[3];
    String[] engines = {"onnxruntime", "pytorch", "tensorflow"};
    for (int i = 0; i < 3; i++) {
      try (Model m = Model.load(p, engines[i], "cpu")) {
        out[i] = m.run(raw);
      }
    }
    for (int i = 0; i < 3; i++) {
      for (int j = i + 1; j < 3; j++) {
        double d = out[i].maxAbsDifference(out[j]);
        assertTrue(d <= 1e-4, model + ": " + engines[i] + " vs " + engines[j] + " differ by " + d);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"weights.onnx", "weights.pt", "tf_saved_model"})
  void bareWeightFilesLoadAndMatchThePackage(String file) {
    ModelPackage p = Zoo.resolve("nuclei-dilated");
    ModelPackage bare = Zoo.resolve(p.root().resolve(file).toString());
    assertEquals("bcyx", bare.inputs().get(0).spec().axes().toString());
    Tensor raw = Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes());
    Tensor expected = Npy.read(p.testOutputs().get(0), p.outputs().get(0).spec().axes());
    try (Model m = Model.load(bare, null, "cpu")) {
      double d = m.run(raw).maxAbsDifference(expected);
      assertTrue(d <= 1e-4, file + " differs by " + d);
    }
  }

  @org.junit.jupiter.api.Test
  void defaultEngineIsTheFastestMeasured() {
    assertEquals("onnxruntime", Model.choose(Zoo.resolve("nuclei-dilated"), null).name());
  }

  @ParameterizedTest
  @MethodSource("modelsAndEngines")
  void tiledEqualsWhole(String model, String engine) {
    ModelPackage p = Zoo.resolve(model);
    Tensor raw = Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes());
    try (Model m = Model.load(p, engine, "cpu")) {
      Tensor whole = Segmentation.run(m, raw, 0, null).probabilities();
      for (long tile : new long[] {40, 64, 100}) {
        Segmentation.Result r = Segmentation.run(m, raw, tile, null);
        assertTrue(r.tiles() > 4, "tile " + tile + " gave " + r.tiles() + " tiles");
        double d = r.probabilities().maxAbsDifference(whole);
        assertTrue(d <= 1e-5, model + " on " + engine + ", tile " + tile + ": " + d);
      }
    }
  }
}
