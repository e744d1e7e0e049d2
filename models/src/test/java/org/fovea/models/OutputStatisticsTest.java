package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.imglib2.img.array.ArrayImgs;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output post-processing that takes statistics (issue 14, item 6): per-sample statistics of the
 * output would differ tile by tile, so they run only in one tile; a reference to an input takes
 * the whole image's statistics (the input as given), so it runs tiled; both are checked against
 * the spec's formulas computed here in double precision.
 */
class OutputStatisticsTest {

  private static final double EPS = 1e-6;

  @TempDir
  Path tmp;

  /** The shipped nuclei-dilated with an extra output step, in a temporary folder. */
  private Path withOutputStep(String kwargs) throws IOException {
    return withOutputSteps("      - id: scale_range\n        kwargs: " + kwargs + "\n");
  }

  /** The shipped nuclei-dilated with an output postprocessing list, in a temporary folder. */
  private Path withOutputSteps(String steps) throws IOException {
    Path src = Zoo.resolve("nuclei-dilated").root();
    Path copy = Files.createDirectories(tmp.resolve("pkg" + count++));
    try (var s = Files.walk(src)) {
      for (Path f : s.toList()) {
        Path to = copy.resolve(src.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path rdf = copy.resolve("rdf.yaml");
    String y = Files.readString(rdf);
    String marker = "  - id: probabilities\n";
    assertTrue(y.contains(marker));
    Files.writeString(rdf, y.replace(marker, marker + "    postprocessing:\n" + steps));
    return copy;
  }

  private int count;

  /** A 56 x 40 image of bright discs on a dim, uneven background, {@code bcyx}. */
  private static Tensor image() {
    int h = 40;
    int w = 56;
    float[] v = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double r = Math.hypot((x % 20) - 10, (y % 20) - 10);
        v[y * w + x] = (float) (r < 6 ? 900 + (x * 7 + y * 13) % 97 : 100 + (x * 3 + y * 5) % 31);
      }
    }
    return new Tensor(Axes.of("bcyx"), new long[] {1, 1, h, w}, v);
  }

  /** {mean, population deviation} of values [from, to), by the definition. */
  private static double[] meanStd(float[] v, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += v[i];
    }
    double mean = sum / (to - from);
    double ss = 0;
    for (int i = from; i < to; i++) {
      ss += (v[i] - mean) * (v[i] - mean);
    }
    return new double[] {mean, Math.sqrt(ss / (to - from))};
  }

  /** numpy.percentile's default (linear) of values [from, to). */
  private static double percentile(float[] v, int from, int to, double p) {
    double[] s = new double[to - from];
    for (int i = from; i < to; i++) {
      s[i - from] = v[i];
    }
    java.util.Arrays.sort(s);
    double pos = p / 100 * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }

  /** The network's own output for the whole image, before any postprocessing. */
  private static Tensor rawOutput(Model m, Tensor raw) {
    return m.network().predict(m.preprocess(raw));
  }

  private static void assertClose(double[] expected, Tensor actual, double tolerance,
      String what) {
    assertEquals(expected.length, actual.data().length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual.data()[i], tolerance * Math.max(1, Math.abs(expected[i])),
          what + ", element " + i);
    }
  }

  @Test
  void scaleMeanVarianceOnAnOutputMatchesTheFormulaInOneTileAndIsRefusedTiled()
      throws IOException {
    var p = Zoo.resolve(withOutputSteps("      - id: scale_mean_variance\n        kwargs:"
        + " {reference_tensor: raw, axes: [channel, y, x]}\n").toString());
    Tensor raw = image();
    try (Model m = Model.load(p, "onnx", "cpu", false)) {
      Tensor y = rawOutput(m, raw);
      double[] own = meanStd(y.data(), 0, y.data().length);
      double[] ref = meanStd(raw.data(), 0, raw.data().length); // the input as given
      double[] e = new double[y.data().length];
      for (int i = 0; i < e.length; i++) {
        e[i] = (y.data()[i] - own[0]) / (own[1] + EPS) * (ref[1] + EPS) + ref[0];
      }
      Segmentation.Result one = Segmentation.run(m, raw, 0, null);
      assertEquals(1, one.tiles());
      assertClose(e, one.probabilities(), 1e-4, "one tile");
      assertClose(e, m.run(raw), 1e-4, "Model.run");
      assertClose(e, m.runAll(java.util.List.of(raw)).get("probabilities"), 1e-4,
          "Model.runAll");
      FoveaException t = assertThrows(FoveaException.class,
          () -> Segmentation.run(m, raw, 16, null));
      assertTrue(t.getMessage().startsWith("model 'nuclei-dilated' normalizes its output with"
          + " the output's own statistics (postprocessing 'scale_mean_variance'), which would"
          + " differ tile by tile, and this image needs"), t.getMessage());
      assertTrue(t.getMessage().contains("or allow larger tiles"), t.getMessage());
    }
  }

  @Test
  void oneTileThatReadsPaddingIsRefusedForOutputStatistics() throws IOException {
    // nuclei-dilated takes at least 16 x 16 px: a 10 x 12 image is read mirrored to 16 x 16
    var p = Zoo.resolve(withOutputSteps("      - id: scale_mean_variance\n        kwargs:"
        + " {reference_tensor: raw, axes: [channel, y, x]}\n").toString());
    try (Model m = Model.load(p, "onnx", "cpu", false)) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> SegmentationPlan.of(m, ArrayImgs.floats(10, 12), 0));
      assertEquals("model 'nuclei-dilated' takes statistics of its output (postprocessing"
          + " 'scale_mean_variance'), but it reads this 10x12 px image as 16x16 px, mirrored past"
          + " the border, so they would include that padding: segment an image of a size the"
          + " model takes as it is, or remove the step from the package", e.getMessage());
    }
    // without the step the small image runs as before
    try (Model m = Model.load(Zoo.resolve("nuclei-dilated"), "onnx", "cpu", false)) {
      assertEquals(1, SegmentationPlan.of(m, ArrayImgs.floats(10, 12), 0).tiles());
    }
  }

  @Test
  void referenceStatisticsPerChannelMustMatchTheOutputsChannels() throws IOException {
    var p = Zoo.resolve(withOutputSteps("      - id: scale_mean_variance\n        kwargs:"
        + " {reference_tensor: raw, axes: [y, x]}\n").toString());
    try (Model m = Model.load(p, "onnx", "cpu", false)) {
      String step = "processing step 'scale_mean_variance' takes the statistics of tensor 'raw'"
          + " per (c=1) but scales a tensor whose statistics are per (c=3), so they do not line"
          + " up";
      FoveaException e = assertThrows(FoveaException.class,
          () -> SegmentationPlan.of(m, ArrayImgs.floats(56, 40), 0));
      assertTrue(e.getMessage().startsWith("model 'nuclei-dilated', output 'probabilities': "
          + step), e.getMessage());
      FoveaException r = assertThrows(FoveaException.class, () -> m.run(image()));
      assertTrue(r.getMessage().startsWith(step), r.getMessage());
    }
  }

  @Test
  void anOutputNormalizedWithItsOwnStatisticsRunsOnlyInOneTile() throws IOException {
    var p = Zoo.resolve(withOutputStep("{axes: [y, x], min_percentile: 0.0, max_percentile: 100.0}")
        .toString());
    try (Model m = Model.load(p, "onnx", "cpu", false)) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> SegmentationPlan.of(m, ArrayImgs.floats(300, 200), 64));
      assertTrue(e.getMessage().startsWith("model 'nuclei-dilated' normalizes its output with the"
          + " output's own statistics (postprocessing 'scale_range'), which would differ tile by"
          + " tile, and this image needs"), e.getMessage());
      assertEquals(1, SegmentationPlan.of(m, ArrayImgs.floats(300, 200), 0).tiles(),
          "one tile: the statistics are the whole image's");
    }
  }

  @Test
  void anOutputScaledByTheInputsPercentilesRunsTiledWithTheWholeImages() throws IOException {
    var p = Zoo.resolve(withOutputStep("{axes: [channel, y, x], reference_tensor: raw,"
        + " min_percentile: 1.0, max_percentile: 99.0}").toString());
    Tensor raw = image();
    try (Model m = Model.load(p, "onnx", "cpu", false)) {
      int n = raw.data().length;
      double lo = percentile(raw.data(), 0, n, 1);
      double hi = percentile(raw.data(), 0, n, 99);
      Tensor y = rawOutput(m, raw);
      double[] e = new double[y.data().length];
      for (int i = 0; i < e.length; i++) {
        e[i] = (y.data()[i] - lo) / (hi - lo + EPS);
      }
      Segmentation.Result tiled = Segmentation.run(m, raw, 16, null);
      assertTrue(tiled.tiles() > 1, tiled.tiles() + " tiles");
      assertClose(e, tiled.probabilities(), 1e-5, "tiled");
      assertClose(e, m.run(raw), 1e-5, "Model.run");
    }
  }

  @Test
  void anOutputScaledByAnOutputRunsOnlyInOneTile() throws IOException {
    // format 0.5 lets an output name an output; here itself, as the network gives it
    var p = Zoo.resolve(withOutputStep("{axes: [y, x], reference_tensor: probabilities,"
        + " min_percentile: 5.0, max_percentile: 95.0}").toString());
    Tensor raw = image();
    try (Model m = Model.load(p, "onnx", "cpu", false)) {
      Tensor y = rawOutput(m, raw);
      int plane = (int) (raw.size(Axis.Y) * raw.size(Axis.X));
      double[] e = new double[y.data().length];
      for (int c = 0; c < 3; c++) {
        double lo = percentile(y.data(), c * plane, (c + 1) * plane, 5);
        double hi = percentile(y.data(), c * plane, (c + 1) * plane, 95);
        for (int i = c * plane; i < (c + 1) * plane; i++) {
          e[i] = (y.data()[i] - lo) / (hi - lo + EPS);
        }
      }
      Segmentation.Result one = Segmentation.run(m, raw, 0, null);
      assertEquals(1, one.tiles());
      assertClose(e, one.probabilities(), 1e-4, "one tile");
      assertClose(e, m.run(raw), 1e-4, "Model.run");
      FoveaException t = assertThrows(FoveaException.class,
          () -> Segmentation.run(m, raw, 16, null));
      assertTrue(t.getMessage().startsWith("model 'nuclei-dilated' scales its output"
          + " 'probabilities' by the statistics of the output 'probabilities' (postprocessing"
          + " 'scale_range'), which would differ tile by tile, and this image needs"),
          t.getMessage());
    }
  }
}
