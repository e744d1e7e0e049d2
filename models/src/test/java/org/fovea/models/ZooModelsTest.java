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
  @ValueSource(strings = {"nuclei-dilated", "nuclei-unet", "nuclei-star", "nuclei-strided"})
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

  /** The reference: normalize the whole image, mirror it up to the size grid, one forward, crop. */
  static Tensor wholeImagePass(Model m, Tensor raw) {
    Tensor x = m.preprocess(raw);
    var in = m.network().inputs().get(0);
    int h = (int) raw.shape()[2];
    int w = (int) raw.shape()[3];
    int hp = (int) in.atLeast(2, h);
    int wp = (int) in.atLeast(3, w);
    Tensor padded = Tensor.zeros(raw.axes(), 1, 1, hp, wp);
    for (int y = 0; y < hp; y++) {
      for (int xx = 0; xx < wp; xx++) {
        int sy = y < h ? y : 2 * (h - 1) - y; // numpy 'reflect'
        int sx = xx < w ? xx : 2 * (w - 1) - xx;
        padded.data()[y * wp + xx] = x.data()[sy * w + sx];
      }
    }
    Tensor y = m.postprocess(m.network().predict(padded));
    int c = (int) y.shape()[1];
    Tensor out = Tensor.zeros(raw.axes(), 1, c, h, w);
    for (int k = 0; k < c; k++) {
      for (int r = 0; r < h; r++) {
        System.arraycopy(y.data(), (k * hp + r) * wp, out.data(), (k * h + r) * w, w);
      }
    }
    return out;
  }

  static Tensor crop(Tensor t, int h, int w, int y0, int x0) {
    Tensor c = Tensor.zeros(t.axes(), 1, 1, h, w);
    int tw = (int) t.shape()[3];
    for (int y = 0; y < h; y++) {
      System.arraycopy(t.data(), (y0 + y) * tw + x0, c.data(), y * w, w);
    }
    return c;
  }

  @ParameterizedTest
  @MethodSource("modelsAndEngines")
  void tiledEqualsWholeOnOffGridSizes(String model, String engine) {
    ModelPackage p = Zoo.resolve(model);
    Tensor test = Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes());
    try (Model m = Model.load(p, engine, "cpu")) {
      long step = m.network().inputs().get(0).step()[3];
      // sizes that are not multiples of the step, tiles that do not divide them
      Tensor raw = crop(test, 250, 237, 3, 11);
      Tensor whole = wholeImagePass(m, raw);
      for (long tile : new long[] {40, 64, 100}) {
        Segmentation.Result r = Segmentation.run(m, raw, tile, null);
        assertTrue(r.tiles() > 4, "tile " + tile + " gave " + r.tiles() + " tiles");
        double d = r.probabilities().maxAbsDifference(whole);
        assertTrue(d <= 1e-5, model + " on " + engine + ", tile " + tile + ": " + d);
      }
      // the smallest tile the plan allows: one step, on a small image
      Tensor small = crop(test, 23, 37, 100, 120);
      Segmentation.Result r = Segmentation.run(m, small, step, null);
      assertEquals(step, r.tile());
      double d = r.probabilities().maxAbsDifference(wholeImagePass(m, small));
      assertTrue(d <= 1e-5, model + " on " + engine + ", tile " + step + ": " + d);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nuclei-dilated", "nuclei-unet", "nuclei-star"})
  void tilingHaloComesFromTheReceptiveFieldAndMatchesTheDeclaredHalo(String model) {
    ModelPackage p = Zoo.resolve(model);
    try (Model m = Model.load(p, "onnx", "cpu")) {
      Halo h = m.halo();
      assertTrue(h.source().startsWith("receptive field"), h.toString());
      var out = p.outputs().get(0).spec();
      // the declared halo is in output pixels: half the reach for nuclei-star's grid-2 output
      for (org.fovea.ops.net.Axis a : java.util.List.of(org.fovea.ops.net.Axis.Y,
          org.fovea.ops.net.Axis.X)) {
        int i = out.axes().indexOf(a);
        double scale = out.reference() == null ? 1 : out.scale()[i];
        assertEquals(out.halo(a), (long) Math.ceil(h.max(a) * scale - 1e-9), h.toString());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void bareModelAxesAndNormalizationCanBeGiven() {
    ModelPackage p = Zoo.resolve("nuclei-dilated");
    String onnx = p.root().resolve("weights.onnx").toString();
    ModelPackage none = Zoo.resolve(onnx, new Zoo.Bare("bcyx", "none"));
    assertTrue(none.inputs().get(0).processing().isEmpty());
    ModelPackage z = Zoo.resolve(onnx, new Zoo.Bare("bcyx", "zero_mean_unit_variance"));
    assertEquals("zero_mean_unit_variance", z.inputs().get(0).processing().get(0).kind());
    // with the package's own normalization applied by hand, "none" gives the package's output
    Tensor raw = Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes());
    Tensor expected = Npy.read(p.testOutputs().get(0), p.outputs().get(0).spec().axes());
    try (Model pkg = Model.load(p, "onnx", "cpu"); Model bare = Model.load(none, "onnx", "cpu")) {
      assertTrue(bare.run(pkg.preprocess(raw)).maxAbsDifference(expected) <= 1e-4);
    }
    org.junit.jupiter.api.Assertions.assertThrows(org.fovea.ops.net.FoveaException.class,
        () -> Zoo.resolve(onnx, new Zoo.Bare("bcyx", "histogram")));
  }
}
