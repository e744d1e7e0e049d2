package org.fovea.models.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fovea.models.engine.EngineProvider;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.models.tf.OnnxToSavedModel.DilatedConv;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowEngineTest {

  private final TensorFlowEngine engine = new TensorFlowEngine();

  @BeforeAll
  static void natives() {
    TfTesting.assumeNatives();
  }

  @Test
  void describesItself() {
    assertEquals("tensorflow", engine.name());
    assertEquals(java.util.Set.of(WeightFormat.TENSORFLOW_SAVED_MODEL), engine.formats());
    // slowest of the three engines measured in BENCHMARKS.md: ranked after pytorch (1)
    assertEquals(2, engine.rank(WeightFormat.TENSORFLOW_SAVED_MODEL));
    assertTrue(engine.version().matches("\\d+\\.\\d+\\.\\d+.*"), engine.version());
    assertEquals("cpu", engine.devices().get(0));
  }

  @Test
  void isAServiceProvider() {
    assertTrue(ServiceLoader.load(EngineProvider.class).stream()
        .anyMatch(p -> p.type() == TensorFlowEngine.class));
  }

  @Test
  void missingSavedModelNamesTheFolder(@TempDir Path dir) {
    FoveaException e = assertThrows(FoveaException.class,
        () -> engine.load(dir, TfTesting.in(), TfTesting.out(4), "cpu"));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("saved_model.pb"), e.getMessage());
  }

  @Test
  void corruptSavedModelNamesTheFolder(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("saved_model.pb"), new byte[] {8, 1, 18, 99, 1, 2, 3});
    FoveaException e = assertThrows(FoveaException.class,
        () -> engine.load(dir, TfTesting.in(), TfTesting.out(4), "cpu"));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void gpuWithoutGpuIsRefused(@TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(engine.devices().size() == 1, "a GPU is present");
    Path saved = dir.resolve("m");
    OnnxToSavedModel.convert(TfTesting.onnx("dilated"), saved);
    for (String d : List.of("gpu", "gpu:1", "cuda")) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> engine.load(saved, TfTesting.in(), TfTesting.out(4), d));
      assertTrue(e.getMessage().contains(
          "tensorflow cannot use a GPU here: TensorFlow here is the CPU build"), e.getMessage());
    }
    try (Network n = engine.load(saved, TfTesting.in(), TfTesting.out(4), "auto")) {
      assertEquals("cpu", n.device());
    }
  }

  @Test
  void unknownSignatureKeyIsNamed(@TempDir Path dir) throws Exception {
    Path saved = dir.resolve("m");
    OnnxToSavedModel.convert(TfTesting.onnx("dilated"), saved);
    var twoIn = List.of(TfTesting.in().get(0), org.fovea.ops.net.TensorSpec.input("mask", "bcyx",
        new long[] {1, 1, 1, 1}, new long[] {0, 0, 1, 1}));
    FoveaException e = assertThrows(FoveaException.class,
        () -> engine.load(saved, twoIn, TfTesting.out(4), "cpu"));
    assertTrue(e.getMessage().contains("no input 'mask'"), e.getMessage());
  }

  @Test
  void loadsAZippedSavedModelAndChecksShapes(@TempDir Path dir) throws Exception {
    Path saved = dir.resolve("m");
    OnnxToSavedModel.convert(TfTesting.onnx("unet"), saved);
    Path zip = dir.resolve("m.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
        Stream<Path> files = Files.walk(saved)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        z.putNextEntry(new ZipEntry("m/" + saved.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, (OutputStream) z);
        z.closeEntry();
      }
    }
    var in = List.of(org.fovea.ops.net.TensorSpec.input("input", "bcyx",
        new long[] {1, 1, 2, 2}, new long[] {0, 0, 2, 2}));
    try (Network n = engine.load(zip, in, TfTesting.out(3), "cpu")) {
      assertEquals(List.of(1L, 3L, 8L, 6L), boxed(n.predict(TfTesting.random(1, 1, 1, 8, 6))));
      FoveaException e = assertThrows(FoveaException.class,
          () -> n.predict(TfTesting.random(1, 1, 1, 9, 6)));
      assertTrue(e.getMessage().contains("axis 'y' has size 9"), e.getMessage());
    }
  }

  private static List<Long> boxed(Tensor t) {
    return java.util.Arrays.stream(t.shape()).boxed().toList();
  }

  /**
   * Gradients equal PyTorch's autograd (written by make_fixtures.py) where offered, and are refused
   * for natively dilated convolutions, whose TensorFlow gradient ignores the dilation.
   */
  @Test
  void gradientsMatchPyTorch(@TempDir Path dir) throws Exception {
    for (String name : List.of("unet", "dilated", "residual")) {
      Path saved = dir.resolve(name);
      OnnxToSavedModel.convert(TfTesting.onnx(name), saved);
      try (Network n = engine.load(saved, TfTesting.in(), outputs(name), "cpu")) {
        Differentiable g = n.gradients().orElseThrow(() -> new AssertionError(name));
        Tensor x = probe(24 * 20, 7919, 2003, 1, 1, 24, 20);
        long[] ys = n.predict(x).shape();
        Tensor w = probe((int) Tensor.elements(ys), 104729, 3001, ys);
        Tensor grad = g.gradient(x, w);
        assertEquals(boxed(x), boxed(grad));
        Path ref = Path.of(getClass().getResource("/onnx/" + name + ".grad.bin").toURI());
        float[] expected = new float[grad.data().length];
        ByteBuffer.wrap(Files.readAllBytes(ref)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
            .get(expected);
        double d = grad.maxAbsDifference(new Tensor(grad.axes(), grad.shape(), expected));
        assertTrue(d <= 1e-5, name + ": gradient differs from PyTorch's by " + d);
      }
    }
    Path nat = dir.resolve("native");
    OnnxToSavedModel.convert(OnnxModel.read(TfTesting.onnx("dilated")), nat, DilatedConv.NATIVE);
    try (Network n = engine.load(nat, TfTesting.in(), TfTesting.out(4), "cpu")) {
      assertFalse(n.gradients().isPresent(),
          "TensorFlow's Conv2D gradient ignores dilations, so none may be offered");
    }
  }

  /** The values of make_fixtures.py's probe(): ((i * mult) % mod) / (mod / 2) - 1. */
  private static Tensor probe(int n, long mult, long mod, long... shape) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((i * mult % mod) / (mod / 2.0) - 1.0);
    }
    return new Tensor(org.fovea.ops.net.Axes.of("bcyx"), shape, v);
  }

  private static List<org.fovea.ops.net.TensorSpec> outputs(String name) {
    return name.equals("residual") ? List.of(org.fovea.ops.net.TensorSpec.output("output",
        "bcyx", "input", new double[] {1, 0, 0.5, 0.5}, new long[] {0, 2, 0, 0}, new long[4]))
        : TfTesting.out(name.equals("unet") ? 3 : 4);
  }

  /** Prints load and 1024 x 1024 forward times; asserts only that they ran. */
  @Test
  void timings(@TempDir Path dir) throws Exception {
    for (String name : List.of("dilated", "unet", "residual")) {
      Path saved = dir.resolve(name);
      OnnxToSavedModel.convert(TfTesting.onnx(name), saved);
      var outs = outputs(name);
      long t0 = System.nanoTime();
      try (Network n = engine.load(saved, TfTesting.in(), outs, "cpu")) {
        long t1 = System.nanoTime();
        Tensor x = TfTesting.random(5, 1, 1, 1024, 1024);
        n.predict(x);
        long t2 = System.nanoTime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
          long s = System.nanoTime();
          n.predict(x);
          best = Math.min(best, System.nanoTime() - s);
        }
        System.out.printf("tensorflow %s: load %.0f ms, first 1024x1024 forward %.0f ms, "
            + "best of 3 %.0f ms%n", name, (t1 - t0) / 1e6, (t2 - t1) / 1e6, best / 1e6);
      }
    }
  }
}
