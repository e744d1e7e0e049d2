package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.fovea.models.engine.Engines;
import org.fovea.models.graph.OnnxLayers;
import org.fovea.models.onnx.AtrousRewrite;
import org.fovea.ops.dense.DenseGeometry;
import org.fovea.ops.dense.DenseNetwork;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.rf.ReceptiveFields;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The à trous rewrite of strided ONNX graphs gives exactly the shift-and-stitch dense map (both on
 * ONNX Runtime, max abs difference at most 1e-5), on nets with stride-2 convolutions with odd and
 * even kernels, max and average pooling, depthwise convolutions, residual blocks with strided 1x1
 * shortcuts, and total strides 2, 4, 8 and 32 (a ResNet-18-shaped net), on image sizes that are
 * no multiple of the stride, and with SAME padding at stride 2 (odd and even kernels, upper and
 * lower, max pooling); and the dense map of a strided box filter is the box mean around every
 * pixel, position for position. The nets are made by {@code src/test/resources/dense/make_nets.py}.
 */
class DenseTest {

  @TempDir
  Path tmp;

  static Path net(String name) {
    try {
      return Path.of(DenseTest.class.getResource("/dense/" + name + ".onnx").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final TensorSpec IN = new TensorSpec("input", Axes.of("bcyx"), new long[] {1, 1, 1, 1},
      new long[] {1, 0, 1, 1}, new long[4], null, null, null);
  static final TensorSpec OUT = TensorSpec.output("output", "bcyx", "input",
      new double[] {1, 1, 1, 1}, new long[4], new long[4]);

  static Network load(Path onnx) {
    return Engines.byName("onnxruntime").load(onnx, List.of(IN), List.of(OUT), "cpu");
  }

  static DenseGeometry geometry(Path onnx) {
    return DenseGeometry.of(ReceptiveFields.analyze(OnnxLayers.read(onnx).graph(),
        new long[] {256, 256}));
  }

  /** Both dense networks of one file. */
  DenseNetwork[] both(String name) throws IOException {
    Path onnx = net(name);
    DenseGeometry g = geometry(onnx);
    AtrousRewrite.Result r = AtrousRewrite.rewrite(Files.readAllBytes(onnx), onnx.toString());
    assertArrayEquals(g.stride(), r.stride(), "the rewrite's stride is the receptive field's");
    assertTrue(r.strided() && !r.changes().isEmpty(), "rewrote " + r.changes());
    Path rewritten = tmp.resolve(name + "-atrous.onnx");
    Files.write(rewritten, r.model());
    return new DenseNetwork[] {DenseNetwork.atrous(load(rewritten), g, IN, OUT),
        DenseNetwork.shiftStitch(load(onnx), g)};
  }

  static Tensor random(long h, long w, long seed) {
    Tensor x = Tensor.zeros(Axes.of("bcyx"), 1, 1, h, w);
    Random r = new Random(seed);
    float[] d = x.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @ParameterizedTest(name = "{0}: stride {1}, {2}x{3}")
  @CsvSource({
      "s2_odd, 2, 37, 53",
      "s4_even, 4, 37, 53",
      "s4_pool, 4, 41, 30",
      "s4_depthwise, 4, 29, 43",
      "s8_residual, 8, 45, 61",
      "s32_resnet18, 32, 35, 47",
      "box5_s4, 4, 21, 19",
      "box4_s2, 2, 21, 19",
      "s8_same, 8, 43, 38",
      "box4_s2_same, 2, 21, 19"})
  void atrousEqualsShiftAndStitch(String name, long stride, long h, long w) throws IOException {
    DenseNetwork[] n = both(name);
    try (DenseNetwork atrous = n[0]; DenseNetwork ss = n[1]) {
      assertArrayEquals(new long[] {stride, stride}, atrous.geometry().stride());
      Tensor x = random(h, w, name.hashCode());
      Tensor a = atrous.dense(x);
      Tensor b = ss.dense(x);
      assertArrayEquals(new long[] {h, w}, new long[] {a.shape()[2], a.shape()[3]},
          "one output per input pixel");
      double scale = 0;
      for (float v : b.data()) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 1e-3, "the outputs are not all zero (" + scale + ")");
      double diff = a.maxAbsDifference(b);
      assertTrue(diff <= 1e-5, name + ": a trous differs from shift-and-stitch by " + diff);
    }
  }

  @Test
  void theDenseMapOfAStridedBoxFilterIsTheBoxMeanAroundEveryPixel() throws IOException {
    // 5x5 mean at stride 4: odd field, centred on its pixel
    check("box5_s4", 5, 2, false);
    // 4x4 mean at stride 2: even field, which covers i-1 .. i+2 (centred half a pixel after i)
    check("box4_s2", 4, 1, true);
    // the same with SAME padding (TensorFlow's): 2 px in all on inputs that are multiples of 2,
    // 1 before and 1 after; the field of output i still covers i-1 .. i+2
    check("box4_s2_same", 4, 1, true);
  }

  private void check(String name, int k, int before, boolean half) throws IOException {
    DenseNetwork[] n = both(name);
    try (DenseNetwork atrous = n[0]; DenseNetwork ss = n[1]) {
      DenseGeometry g = atrous.geometry();
      assertEquals(before, g.before(0));
      assertEquals(k - 1 - before, g.after(1));
      assertEquals(half, g.halfPixel(0));
      int h = 23;
      int w = 18;
      Tensor x = random(h, w, 7);
      for (DenseNetwork d : n) {
        Tensor out = d.dense(x);
        int checked = 0;
        for (int i = before; i + k - 1 - before < h; i++) {
          for (int j = before; j + k - 1 - before < w; j++) {
            double mean = 0;
            for (int u = 0; u < k; u++) {
              for (int v = 0; v < k; v++) {
                mean += x.data()[(i - before + u) * w + j - before + v];
              }
            }
            mean /= k * k;
            assertEquals(mean, out.data()[i * w + j], 1e-5, d.method() + " at " + i + "," + j);
            checked++;
          }
        }
        assertTrue(checked > 200, checked + " pixels checked");
      }
    }
  }

  @Test
  void tilesOfADenseNetworkEqualTheWholeImageOnTheirCores() throws IOException {
    DenseNetwork[] n = both("s8_residual");
    try (DenseNetwork atrous = n[0]; DenseNetwork ss = n[1]) {
      DenseGeometry g = atrous.geometry();
      long b = g.before(0);
      long a = g.after(0);
      long c0 = b + 5; // the tile's core: rows and columns c0 .. c0 + 19
      Tensor x = random(c0 + 20 + a + 7, c0 + 20 + a + 3, 3);
      for (DenseNetwork d : n) {
        Tensor whole = d.dense(x);
        // the tile: the core with the dense reach around it, nothing more
        long th = 20 + b + a;
        Tensor tile = d.dense(x.box(new long[] {0, 0, c0 - b, c0 - b}, new long[] {1, 1, th, th}));
        Tensor core = tile.box(new long[] {0, 0, b, b}, new long[] {1, whole.shape()[1], 20, 20});
        Tensor ref = whole.box(new long[] {0, 0, c0, c0},
            new long[] {1, whole.shape()[1], 20, 20});
        assertTrue(core.maxAbsDifference(ref) <= 1e-5, d.method() + ": tile core differs by "
            + core.maxAbsDifference(ref));
      }
    }
  }

  @Test
  void graphsWithoutADenseFormAreRefusedWithTheLayerNamed() throws IOException {
    Path unet = Path.of(net("s2_odd").getParent().getParent().toString(), "onnx", "unet.onnx");
    AtrousRewrite.Unsupported e = assertThrows(AtrousRewrite.Unsupported.class,
        () -> AtrousRewrite.rewrite(Files.readAllBytes(unet), unet.toString()));
    assertTrue(e.getMessage().contains("Resize") || e.getMessage().contains("Upsample"),
        e.getMessage());
    assertTrue(e.getMessage().contains("unet.onnx"), e.getMessage());
  }

  @Test
  void aStrideOneGraphIsLeftAsItIs() throws IOException {
    Path dilated = Path.of(net("s2_odd").getParent().getParent().toString(), "onnx",
        "dilated.onnx");
    AtrousRewrite.Result r = AtrousRewrite.rewrite(Files.readAllBytes(dilated),
        dilated.toString());
    assertFalse(r.strided());
    assertTrue(r.changes().isEmpty(), r.changes().toString());
  }
}
