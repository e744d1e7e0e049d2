package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fovea.models.engine.OnnxRuntimeEngine;
import org.fovea.models.engine.PyTorchEngine;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.Npy;
import org.fovea.models.pkg.ReproducibilityTolerance;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.saliency.Saliency;
import org.fovea.ops.saliency.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.fovea.models.pkg.ModelPackages;

/**
 * The self-check on real engines: a network whose outputs (or gradients) are perturbed by a wrapper
 * is refused with one sentence, the verdict is remembered, and the true network passes.
 */
class SelfCheckTest {

  @TempDir
  Path cache;

  private String before;

  @BeforeEach
  void useOwnCache() {
    before = System.getProperty("fovea.verify.cache");
    System.setProperty("fovea.verify.cache", cache.toString());
  }

  @AfterEach
  void restoreCache() {
    if (before == null) {
      System.clearProperty("fovea.verify.cache");
    } else {
      System.setProperty("fovea.verify.cache", before);
    }
  }

  /** A real engine's network with {@code shift} added to every output and gradients scaled. */
  static final class Perturbed implements Network {
    private final Network net;
    private final float shift;
    private final float gradientScale;

    Perturbed(Network net, float shift, float gradientScale) {
      this.net = net;
      this.shift = shift;
      this.gradientScale = gradientScale;
    }

    @Override
    public List<TensorSpec> inputs() {
      return net.inputs();
    }

    @Override
    public List<TensorSpec> outputs() {
      return net.outputs();
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> in) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      net.predict(in).forEach((k, t) -> {
        float[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
          d[i] += shift;
        }
        out.put(k, new Tensor(t.axes(), t.shape(), d));
      });
      return out;
    }

    @Override
    public Optional<Differentiable> gradients() {
      return net.gradients().map(g -> (x, w) -> {
        Tensor t = g.gradient(x, w);
        float[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
          d[i] *= gradientScale;
        }
        return new Tensor(t.axes(), t.shape(), d);
      });
    }

    @Override
    public String engine() {
      return net.engine();
    }

    @Override
    public String device() {
      return net.device();
    }

    @Override
    public void close() {
      net.close();
    }
  }

  static Model model(String engine, float shift, float gradientScale, boolean verify) {
    ModelPackage p = Zoo.resolve("nuclei-dilated");
    WeightFormat f = engine.equals("pytorch") ? WeightFormat.TORCHSCRIPT : WeightFormat.ONNX;
    Network n = (engine.equals("pytorch") ? new PyTorchEngine() : new OnnxRuntimeEngine())
        .load(p.weights().get(f), p.inputSpecs(), p.outputSpecs(), "cpu");
    return Model.of(p, new Perturbed(n, shift, gradientScale), f, verify);
  }

  static Tensor sample(Model m) {
    return Npy.read(m.pkg().testInputs().get(0), m.pkg().inputs().get(0).spec().axes());
  }

  private long verdicts() throws Exception {
    try (var s = Files.list(cache)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void aPerturbedNetworkIsRefusedWithOneSentenceAndTheVerdictIsRemembered() throws Exception {
    try (Model m = model("onnxruntime", 0.01f, 1, true)) {
      FoveaException e = assertThrows(FoveaException.class, () -> m.run(sample(m)));
      assertTrue(e.getMessage().startsWith("model 'nuclei-dilated' is refused on onnxruntime"),
          e.getMessage());
      assertTrue(e.getMessage().contains("up to 0.0100 away"), e.getMessage());
      assertTrue(e.getMessage().contains("--engine pytorch or tensorflow"), e.getMessage());
      assertTrue(e.getMessage().contains("--no-verify"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
    assertEquals(1, verdicts());
    String saved;
    try (var s = Files.list(cache)) {
      saved = Files.readString(s.findFirst().orElseThrow());
    }
    assertTrue(saved.contains("passed=false"), saved);
    // the next load reads the verdict instead of running the test tensors again
    try (Model m = model("onnxruntime", 0.01f, 1, true)) {
      assertThrows(FoveaException.class, () -> m.network().predict(sample(m)));
    }
    assertEquals(1, verdicts());
  }

  @Test
  void aChangedDescriptionIsVerifiedAnewNotTrustedFromTheWeightsVerdict(@TempDir Path dir)
      throws Exception {
    Path pkg = ShippedCopies.copy("nuclei-dilated", dir.resolve("p"));
    try (Model m = Model.load(ModelPackages.read(pkg), "onnxruntime", "cpu")) {
      m.run(sample(m)); // passes, and the verdict is kept
    }
    assertEquals(1, verdicts());
    // the same weights under a description whose normalization no longer matches its test
    // tensors: before, the weights' verdict was reused and the wrong numbers came out
    Path rdf = pkg.resolve("rdf.yaml");
    String yaml = Files.readString(rdf);
    assertTrue(yaml.contains("max_percentile: 99.8"), yaml);
    Files.writeString(rdf, yaml.replace("max_percentile: 99.8", "max_percentile: 50.0"));
    FoveaException e = assertThrows(FoveaException.class, () -> {
      try (Model m = Model.load(ModelPackages.read(pkg), "onnxruntime", "cpu")) {
        m.run(sample(m));
      }
    });
    assertTrue(e.getMessage().contains("is refused on onnxruntime"), e.getMessage());
    assertEquals(2, verdicts());
  }

  @Test
  void withoutVerificationThePerturbedNetworkRunsAndGivesItsShiftedNumbers() {
    try (Model wrong = model("onnxruntime", 0.01f, 1, false);
        Model right = model("onnxruntime", 0, 1, true)) {
      Tensor x = sample(right);
      Tensor a = wrong.network().predict(right.preprocess(x));
      Tensor b = right.network().predict(right.preprocess(x));
      assertEquals(0.01, a.maxAbsDifference(b), 1e-6);
    }
  }

  @Test
  void theTrueNetworkPassesAndMatchesItsTestOutput() {
    try (Model m = model("onnxruntime", 0, 1, true)) {
      Tensor expected = Npy.read(m.pkg().testOutputs().get(0),
          m.pkg().outputs().get(0).spec().axes());
      assertTrue(m.run(sample(m)).maxAbsDifference(expected) <= 1e-4);
    }
  }

  @Test
  void wrongGradientsAreRefusedBeforeASaliencyMapIsMade() {
    Tensor x;
    try (Model right = model("pytorch", 0, 1, true)) {
      x = right.preprocess(sample(right));
      // the true gradients pass, and give a map
      assertTrue(Saliency.gradient(right.network(), x, Target.pixel(1, 100, 100)).map()
          .data().length > 0);
    }
    // verdicts are keyed by weights, engine and CPU, not by the wrapper: start from no verdict
    System.setProperty("fovea.verify.cache", cache.resolve("second").toString());
    try (Model m = model("pytorch", 0, 1.5f, true)) {
      // forward is right: it runs
      m.network().predict(x);
      FoveaException e = assertThrows(FoveaException.class,
          () -> Saliency.gradient(m.network(), x, Target.pixel(1, 100, 100)));
      assertTrue(e.getMessage().startsWith("model 'nuclei-dilated' is refused on pytorch"),
          e.getMessage());
      assertTrue(e.getMessage().contains("its gradients are"), e.getMessage());
    }
  }

  @Test
  void toleranceFollowsTheBioimageioRule() {
    Tensor expected = new Tensor(org.fovea.ops.net.Axes.of("x"), new long[] {4},
        new float[] {0, 1, 10, 100});
    Tensor y = new Tensor(expected.axes(), expected.shape(), new float[] {0.0005f, 1.001f, 10.01f,
        100.2f});
    // |y - e| <= abs + rel * |e|: 0.0005 <= 0.001; 0.001 <= 0.002; 0.01 <= 0.011; 0.2 > 0.101
    ReproducibilityTolerance t = new ReproducibilityTolerance(1e-3, 1e-3, 0, List.of(), List.of());
    SelfCheck.Comparison c = SelfCheck.compare(y, expected, t);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("1 of 4 values"), c.detail());
    // one mismatch in four is 250000 per million
    assertTrue(SelfCheck.compare(y, expected,
        new ReproducibilityTolerance(1e-3, 1e-3, 250000, List.of(), List.of())).passed());
    Tensor nan = new Tensor(expected.axes(), expected.shape(), new float[] {Float.NaN, 1, 10, 100});
    assertFalse(SelfCheck.compare(nan, expected, t).passed());
  }
}
