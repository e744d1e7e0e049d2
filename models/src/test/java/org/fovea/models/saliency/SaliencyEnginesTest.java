package org.fovea.models.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.models.engine.OnnxRuntimeEngine;
import org.fovea.models.engine.PyTorchEngine;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.Npy;
import org.fovea.models.tf.OnnxToSavedModel;
import org.fovea.models.tf.TensorFlowEngine;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.saliency.Attribution;
import org.fovea.ops.saliency.Baselines;
import org.fovea.ops.saliency.GradCam;
import org.fovea.ops.saliency.GradientCheck;
import org.fovea.ops.saliency.RandomizationCheck;
import org.fovea.ops.saliency.Saliency;
import org.fovea.ops.saliency.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Saliency methods on real model files with closed forms (written by
 * models/training/saliency_models.py), on every engine that differentiates, and on the shipped
 * dilated model.
 */
class SaliencyEnginesTest {

  private static final int H = 20;
  private static final int W = 24;

  @TempDir
  static Path tmp;

  static Path resource(String name) throws Exception {
    return Path.of(SaliencyEnginesTest.class.getResource("/saliency/" + name).toURI());
  }

  static List<TensorSpec> in() {
    return List.of(TensorSpec.input("input", "bcyx", new long[] {1, 1, 1, 1},
        new long[] {1, 0, 1, 1}));
  }

  static List<TensorSpec> out() {
    return List.of(TensorSpec.output("output", "bcyx", "input", new double[] {1, 0, 1, 1},
        new long[] {0, 2, 0, 0}, new long[4]));
  }

  /** Loads one of the tiny models on an engine (TensorFlow: converted from its ONNX file). */
  static Network load(String model, String engine) throws Exception {
    return switch (engine) {
      case "pytorch" -> new PyTorchEngine().load(resource(model + ".pt"), in(), out(), "cpu");
      case "onnxruntime" -> new OnnxRuntimeEngine().load(resource(model + ".onnx"), in(), out(),
          "cpu");
      default -> {
        String why = new TensorFlowEngine().unavailableReason();
        assumeTrue(why == null, why);
        Path saved = tmp.resolve(model + "-tf");
        if (!Files.exists(saved)) {
          OnnxToSavedModel.convert(resource(model + ".onnx"), saved);
        }
        yield new TensorFlowEngine().load(saved, in(), out(), "cpu");
      }
    };
  }

  static Tensor random(long seed) {
    Tensor t = Tensor.zeros(Axes.of("bcyx"), 1, 1, H, W);
    Random r = new Random(seed);
    for (int i = 0; i < t.data().length; i++) {
      t.data()[i] = r.nextFloat() * 2 - 1;
    }
    return t;
  }

  /** Kernel (2 x 1 x 5 x 5) and bias (2) of the linear model. */
  static float[][] linearWeights() throws Exception {
    List<String> lines = Files.readAllLines(resource("linear.weights.txt"));
    float[][] r = new float[2][];
    for (int l = 0; l < 2; l++) {
      String[] p = lines.get(l).trim().split(" ");
      r[l] = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        r[l][i] = Float.parseFloat(p[i]);
      }
    }
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"pytorch", "tensorflow"})
  void linearGradientIsTheKernelPlacedAtTheTarget(String engine) throws Exception {
    float[] k = linearWeights()[0];
    try (Network n = load("linear", engine)) {
      Tensor x = random(1);
      for (int[] t : new int[][] {{1, 7, 9}, {0, 0, 1}, {1, W - 1, H - 2}}) {
        Tensor g = Saliency.gradient(n, x, Target.pixel(t[0], t[1], t[2])).map();
        float[] expected = new float[H * W];
        for (int i = 0; i < 5; i++) {
          for (int j = 0; j < 5; j++) {
            int yy = t[2] + i - 2;
            int xx = t[1] + j - 2;
            if (yy >= 0 && yy < H && xx >= 0 && xx < W) {
              expected[yy * W + xx] = k[t[0] * 25 + i * 5 + j];
            }
          }
        }
        double d = g.maxAbsDifference(new Tensor(g.axes(), g.shape(), expected));
        assertTrue(d <= 1e-6, engine + " target " + java.util.Arrays.toString(t) + ": " + d);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pytorch", "tensorflow"})
  void gradientTimesInputIsEachPixelsExactContribution(String engine) throws Exception {
    float[][] wb = linearWeights();
    try (Network n = load("linear", engine)) {
      Tensor x = random(2);
      Target t = Target.pixel(1, 10, 6);
      Attribution a = Saliency.gradientTimesInput(n, x, t);
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) {
          int p = (6 + i - 2) * W + 10 + j - 2;
          double contribution = (double) wb[0][25 + i * 5 + j] * x.data()[p];
          assertEquals(contribution, a.map().data()[p], 1e-6, engine + " pixel " + p);
        }
      }
      // the contributions and the bias make the output, exactly
      assertEquals(a.score(), a.sum() + wb[1][1], 1e-5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pytorch", "tensorflow"})
  void integratedGradientsOfALinearModelIsInputMinusBaselineTimesGradient(String engine)
      throws Exception {
    try (Network n = load("linear", engine)) {
      Tensor x = random(3);
      Target t = Target.roi(0, 4, 3, 9, 7);
      Tensor grad = Saliency.gradient(n, x, t).map();
      for (Tensor b : List.of(Baselines.zeros(x), Baselines.blurred(x, 2))) {
        Attribution ig = Saliency.integratedGradients(n, x, t, b, 7, 3);
        float[] expected = new float[H * W];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = (x.data()[i] - b.data()[i]) * grad.data()[i];
        }
        double d = ig.map().maxAbsDifference(new Tensor(x.axes(), x.shape(), expected));
        assertTrue(d <= 1e-6, engine + ": IG differs from (x - b) * grad by " + d);
        assertTrue(ig.completenessError() <= 1e-4, engine + ": " + ig.completenessError());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pytorch", "tensorflow"})
  void integratedGradientsWith300StepsIsCompleteWithinOnePercentOnAReluNet(String engine)
      throws Exception {
    try (Network n = load("relu", engine)) {
      Tensor x = random(4);
      for (Target t : List.of(Target.pixel(0, 12, 8), Target.roi(1, 2, 2, 10, 10),
          Target.whole(Target.ALL))) {
        Attribution ig = Saliency.integratedGradients(n, x, t, Baselines.zeros(x), 300, 64);
        System.out.printf("IG completeness %s %s: %.2e (F(x)=%.4f F(0)=%.4f)%n", engine,
            t.describe(), ig.completenessError(), ig.score(), ig.baselineScore());
        assertTrue(ig.completenessError() < 0.01, engine + " " + t.describe() + ": "
            + ig.completenessError());
      }
    }
  }

  @Test
  void dilatedNetGradientsAgreeAcrossEnginesAndWithFiniteDifferences() throws Exception {
    Tensor x = random(5);
    Target t = Target.pixel(1, 11, 9);
    try (Network pt = load("dilated", "pytorch"); Network tf = load("dilated", "tensorflow")) {
      Tensor a = Saliency.gradient(pt, x, t).map();
      Tensor b = Saliency.gradient(tf, x, t).map();
      assertTrue(a.maxAbsDifference(b) <= 1e-5 * max(a), "pytorch vs tensorflow: "
          + a.maxAbsDifference(b));
      for (Network n : List.of(pt, tf)) {
        GradientCheck.Result r = GradientCheck.check(n, x, t, 40, 1e-2, 7);
        assertTrue(r.passes(1e-3), n.engine() + ": " + r);
      }
    }
  }

  /** The check fails a wrong gradient: the ReLU net's forward pass with the linear model's gradient. */
  @Test
  void theGradientCheckCatchesAWrongGradient() throws Exception {
    try (Network relu = load("relu", "pytorch"); Network linear = load("linear", "pytorch")) {
      Network wrong = new Network() {
        public List<TensorSpec> inputs() {
          return relu.inputs();
        }

        public List<TensorSpec> outputs() {
          return relu.outputs();
        }

        public java.util.Map<String, Tensor> predict(java.util.Map<String, Tensor> in) {
          return relu.predict(in);
        }

        public String engine() {
          return "mixed";
        }

        public String device() {
          return "cpu";
        }

        public java.util.Optional<org.fovea.ops.net.Differentiable> gradients() {
          return linear.gradients();
        }

        public void close() {}
      };
      Tensor x = random(12);
      Target t = Target.pixel(1, 9, 9);
      assertTrue(GradientCheck.check(relu, x, t, 20, 1e-2, 3).passes(1e-3));
      GradientCheck.Result r = GradientCheck.check(wrong, x, t, 20, 1e-2, 3);
      assertFalse(r.passes(0.1), r.toString());
    }
  }

  @Test
  void shippedDilatedModelGivesTheSameGradientsInPyTorchAndTensorFlow() {
    ModelPackage p = Zoo.resolve("nuclei-dilated");
    Tensor raw = crop(Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes()), 64);
    Target t = Target.roi(2, 16, 16, 32, 32);
    Tensor[] g = new Tensor[2];
    String[] engines = {"pytorch", "tensorflow"};
    for (int i = 0; i < 2; i++) {
      try (Model m = Model.load(p, engines[i], "cpu")) {
        Tensor x = m.preprocess(raw);
        g[i] = Saliency.gradient(m.network(), x, t).map();
        GradientCheck.Result r = GradientCheck.check(m.network(), x, t, 20, 1e-2, 11);
        System.out.printf("nuclei-dilated %s finite-difference check: %s%n", engines[i], r);
        assertTrue(r.passes(1e-2), engines[i] + ": " + r);
      }
    }
    double rel = g[0].maxAbsDifference(g[1]) / max(g[0]);
    System.out.printf("nuclei-dilated pytorch vs tensorflow gradient: max diff %.2e of the"
        + " largest%n", rel);
    assertTrue(rel <= 1e-5, "relative difference " + rel);
  }

  @Test
  void randomizingTheShippedModelDecorrelatesItsGradientMaps() {
    ModelPackage p = Zoo.resolve("nuclei-dilated");
    Tensor raw = crop(Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes()), 64);
    try (Model m = Model.load(p, "pytorch", "cpu")) {
      Tensor x = m.preprocess(raw);
      Target t = Target.roi(1, 24, 24, 16, 16);
      Tensor before = Saliency.gradient(m.network(), x, t).map();
      List<RandomizationCheck.Step> steps = RandomizationCheck.cascade(m.network(),
          n -> Saliency.gradient(n, x, t).map(), 99);
      steps.forEach(s -> System.out.printf("randomized down to %s: Spearman |map| %.3f, signed"
          + " %.3f%n", s.layer(), s.spearman(), s.signedSpearman()));
      assertEquals(9, steps.size(), "one step per convolution (8 dilated, the 1x1 head)");
      RandomizationCheck.Step last = steps.get(steps.size() - 1);
      assertTrue(Math.abs(last.signedSpearman()) < 0.3, "signed " + last);
      // the weights are back
      assertEquals(0, before.maxAbsDifference(Saliency.gradient(m.network(), x, t).map()), 1e-7);
    }
  }

  @Test
  void onnxRuntimeRefusesGradientsAndNamesOcclusion() throws Exception {
    try (Network n = load("linear", "onnxruntime")) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> Saliency.gradient(n, random(6), Target.pixel(0, 3, 3)));
      assertTrue(e.getMessage().contains("'onnxruntime' cannot differentiate"), e.getMessage());
      assertTrue(e.getMessage().contains("--method occlusion"), e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "pytorch", "tensorflow"})
  void occlusionOfOnePixelOnALinearModelIsGradientTimesTheChange(String engine) throws Exception {
    float[] k = linearWeights()[0];
    try (Network n = load("linear", engine)) {
      Tensor x = random(7);
      Attribution o = Saliency.occlusion(n, x, Target.pixel(0, 8, 8), 1, 1, 0.25f, 50);
      for (int y = 0; y < H; y++) {
        for (int c = 0; c < W; c++) {
          int i = y - 8 + 2;
          int j = c - 8 + 2;
          double g = i >= 0 && i < 5 && j >= 0 && j < 5 ? k[i * 5 + j] : 0;
          assertEquals(g * (x.data()[y * W + c] - 0.25), o.map().data()[y * W + c], 1e-5,
              engine + " at " + c + "," + y);
        }
      }
      assertEquals(H * W + 1, o.passes());
    }
  }

  @Test
  void gradCamOnTheReluNetsLastLayerFollowsTheHead() throws Exception {
    List<String> lines = Files.readAllLines(resource("relu.weights.txt"));
    double bias = Double.parseDouble(lines.get(1).trim().split(" ")[1]);
    try (Network n = load("relu", "tensorflow")) {
      List<String> layers = n.layerGradients().orElseThrow().layers();
      assertEquals(2, layers.size(), layers.toString());
      Tensor x = random(8);
      Target t = Target.pixel(1, 5, 5);
      Tensor cam = GradCam.compute(n, x, t, layers.get(1)).map();
      // the head is a 1x1 convolution: the weights a_k are its kernel over H*W, so the map is
      // ReLU((output_1 - bias_1) / (H * W)) at every pixel
      Tensor y = n.predict(x);
      for (int i = 0; i < H * W; i++) {
        double e = Math.max(0, (y.data()[H * W + i] - bias) / (H * W));
        assertEquals(e, cam.data()[i], 1e-7, "pixel " + i);
      }
      FoveaException e = assertThrows(FoveaException.class,
          () -> GradCam.compute(n, x, t, "conv9"));
      assertEquals("the model has no layer 'conv9' for Grad-CAM: choose one of " + layers,
          e.getMessage());
    }
    try (Network n = load("relu", "pytorch")) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> GradCam.compute(n, random(8), Target.pixel(0, 1, 1), "x"));
      assertTrue(e.getMessage().contains("--engine tensorflow"), e.getMessage());
    }
  }

  @Test
  void aNativelyDilatedSavedModelIsRefusedWithASentence() throws Exception {
    String why = new TensorFlowEngine().unavailableReason();
    assumeTrue(why == null, why);
    Path nat = tmp.resolve("native");
    OnnxToSavedModel.convert(OnnxModel.read(resource("dilated.onnx")), nat,
        OnnxToSavedModel.DilatedConv.NATIVE);
    try (Network n = new TensorFlowEngine().load(nat, in(), out(), "cpu")) {
      assertFalse(n.gradients().isPresent());
      FoveaException e = assertThrows(FoveaException.class,
          () -> Saliency.gradient(n, random(9), Target.pixel(0, 3, 3)));
      assertTrue(e.getMessage().contains("natively dilated convolution"), e.getMessage());
      assertTrue(e.getMessage().contains(nat.toString()), e.getMessage());
    }
  }

  @Test
  void badTargetsAreNamed() throws Exception {
    try (Network n = load("linear", "pytorch")) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> Saliency.gradient(n, random(10), Target.pixel(2, 3, 3)));
      assertEquals("class 2 is out of range: the model has 2 output classes (0 to 1)",
          e.getMessage());
      e = assertThrows(FoveaException.class,
          () -> Saliency.gradient(n, random(10), Target.pixel(0, W, 3)));
      assertEquals("the target pixel (24, 3) lies outside the 24x20 image: choose a position"
          + " inside it", e.getMessage());
    }
  }

  static double max(Tensor t) {
    double m = 0;
    for (float v : t.data()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** The top-left {@code s x s} of a bcyx tensor. */
  static Tensor crop(Tensor t, int s) {
    long[] sh = t.shape();
    Tensor c = Tensor.zeros(t.axes(), 1, sh[1], s, s);
    for (int ch = 0; ch < sh[1]; ch++) {
      for (int y = 0; y < s; y++) {
        System.arraycopy(t.data(), (int) ((ch * sh[2] + y) * sh[3]), c.data(),
            (ch * s + y) * s, s);
      }
    }
    return c;
  }
}
