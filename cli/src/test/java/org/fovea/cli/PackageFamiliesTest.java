package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fovea.models.pkg.Npy;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One small package per shape family of real bioimage.io packages (issue 14; made by
 * {@code models/src/test/resources/families/make_families.py}, test outputs from PyTorch) through
 * what a user runs: {@code models validate} on every engine the package has weights for, {@code
 * segment} (tiled == one tile, and equal to PyTorch's output wherever the receptive field lies
 * inside the image), {@code field} (against the receptive field the script computed from the layer
 * list), and {@code saliency} on the PyTorch engine; the state-dict and Keras packages are refused
 * with their export route. The two-input, two-output family is {@code MultiIoTest} and
 * {@code MultiOutputCliTest}; TensorFlow SavedModel zips are {@code SavedModelZipTest}.
 */
class PackageFamiliesTest {

  private static final Path DIR = Path.of("..", "models", "src", "test", "resources",
      "families");

  @TempDir
  Path tmp;

  private static JsonObject facts(String family) throws IOException {
    return JsonParser.parseString(Files.readString(DIR.resolve("families.json")))
        .getAsJsonObject().getAsJsonObject(family);
  }

  /** The package's test input as a 32-bit TIFF. */
  private Path testImage(String family) throws IOException {
    Tensor t = Npy.read(DIR.resolve(family).resolve("test_input.npy"), Axes.of("bcyx"));
    int h = (int) t.shape()[2];
    int w = (int) t.shape()[3];
    Path f = tmp.resolve(family + ".tif");
    assertTrue(new FileSaver(new ImagePlus(family, new FloatProcessor(w, h, t.data().clone())))
        .saveAsTiff(f.toString()));
    return f;
  }

  private static float[] pixels(Path p, int[] size) {
    return Cli.pixels(p, size);
  }

  @ParameterizedTest
  @ValueSource(strings = {"param", "fixed", "half", "up2", "batch1"})
  void validatesOnEveryEngineItHasWeightsFor(String family) {
    Cli r = Cli.run("models", "validate", "--json", DIR.resolve(family).toString());
    assertEquals(0, r.code(), r.err() + r.out());
    var rows = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("results");
    assertEquals(2, rows.size(), r.out());
    for (var row : rows) {
      JsonObject o = row.getAsJsonObject();
      assertTrue(o.get("passed").getAsBoolean(), r.out());
      assertTrue(o.get("max_abs_difference").getAsDouble() <= 1e-5, r.out());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"param", "fixed", "half", "up2", "batch1"})
  void segmentTilesEqualOneTileAndPyTorchInside(String family) throws IOException {
    JsonObject f = facts(family);
    Path img = testImage(family);
    Path one = tmp.resolve("one.tif");
    // --dense off: the half-resolution output as the model gives it (by default Fovea makes a
    // strided model dense, one output per pixel: DenseModelTest)
    Cli whole = Cli.run("segment", "--model", DIR.resolve(family).toString(), "--dense", "off",
        "--tile", "4096", "-o", one.toString(), img.toString());
    assertEquals(0, whole.code(), whole.err());
    int[] size = new int[3];
    float[] got = pixels(one, size);
    Tensor torch = Npy.read(DIR.resolve(family).resolve("test_output.npy"), Axes.of("bcyx"));
    assertArrayEquals(new int[] {2, (int) torch.shape()[2], (int) torch.shape()[3]}, size,
        "the output has the size of PyTorch's");
    // PyTorch pads with zeros inside the network, Fovea mirrors the image: equal where the
    // receptive field (rf input pixels, in output pixels rf / scale) lies inside the image
    double scale = f.get("output_scale").getAsDouble();
    int margin = (int) Math.ceil(f.get("rf").getAsDouble() / 2 / scale) + 1;
    double worst = 0;
    int compared = 0;
    for (int c = 0; c < size[0]; c++) {
      for (int y = margin; y < size[1] - margin; y++) {
        for (int x = margin; x < size[2] - margin; x++) {
          int i = (c * size[1] + y) * size[2] + x;
          worst = Math.max(worst, Math.abs(got[i] - torch.data()[i]));
          compared++;
        }
      }
    }
    assertTrue(compared > 0.3 * got.length, compared + " of " + got.length + " compared");
    assertTrue(worst <= 1e-5, family + ": max difference to PyTorch inside " + worst);
    if (family.equals("fixed")) {
      return; // tiles of exactly 48 x 48: the image is one tile (tiles: fixedSizeTilesEqual below)
    }
    Path tiled = tmp.resolve("tiled.tif");
    Cli t = Cli.run("segment", "--model", DIR.resolve(family).toString(), "--dense", "off",
        "--tile", "16", "-o", tiled.toString(), img.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("tiles=") && !t.out().contains("tiles=1 "), t.out());
    float[] g2 = pixels(tiled, new int[3]);
    double d = 0;
    for (int i = 0; i < got.length; i++) {
      d = Math.max(d, Math.abs(got[i] - g2[i]));
    }
    assertTrue(d <= 1e-5, family + ": tiled vs one tile " + d);
  }

  @Test
  void fixedSizeTilesEqualTheSameWeightsOfAnySize() throws IOException {
    // 'fixed' is 'param' (same weights) declared with one input size, 48 x 48: on a larger
    // image its tiles of exactly that size give what the variable-size package gives in one tile,
    // wherever the receptive field lies inside the image (at the border the fixed tiles read the
    // mirrored image, the one pass the network's own zero padding)
    java.util.Random rnd = new java.util.Random(4);
    int w = 101;
    int h = 77;
    float[] v = new float[w * h];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    Path img = tmp.resolve("big.tif");
    assertTrue(new FileSaver(new ImagePlus("big", new FloatProcessor(w, h, v)))
        .saveAsTiff(img.toString()));
    Path a = tmp.resolve("fixed.tif");
    Path b = tmp.resolve("param.tif");
    Cli fixed = Cli.run("segment", "--model", DIR.resolve("fixed").toString(), "-o",
        a.toString(), img.toString());
    assertEquals(0, fixed.code(), fixed.err());
    assertTrue(!fixed.out().contains("tiles=1 "), fixed.out());
    assertEquals(0, Cli.run("segment", "--model", DIR.resolve("param").toString(), "--tile",
        "4096", "-o", b.toString(), img.toString()).code());
    int[] size = new int[3];
    float[] pa = pixels(a, size);
    float[] pb = pixels(b, new int[3]);
    int reach = 3; // rf 7
    double d = 0;
    for (int c = 0; c < size[0]; c++) {
      for (int y = reach; y < h - reach; y++) {
        for (int x = reach; x < w - reach; x++) {
          int i = (c * h + y) * w + x;
          d = Math.max(d, Math.abs(pa[i] - pb[i]));
        }
      }
    }
    assertTrue(d <= 1e-5, "fixed tiles vs one pass: " + d);
  }

  @ParameterizedTest
  @ValueSource(strings = {"param", "fixed", "half", "batch1"})
  void fieldIsTheTextbookReceptiveField(String family) throws IOException {
    Cli r = Cli.run("field", "--json", DIR.resolve(family).toString());
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    double rf = facts(family).get("rf").getAsDouble();
    assertEquals(rf, o.getAsJsonArray("rf").get(0).getAsDouble(), 1e-9, r.out());
    assertEquals(rf, o.getAsJsonArray("rf").get(1).getAsDouble(), 1e-9, r.out());
    assertEquals(facts(family).get("output_scale").getAsDouble(),
        o.getAsJsonArray("stride").get(0).getAsDouble(), 1e-9, r.out());
  }

  @Test
  void fieldOfA2xOutputCoversEveryInputPixelItReads() throws IOException {
    // nearest 2x upsampling: an output pixel reads 4 input pixels (1 + 2 + 2 * 1/2), placed by its
    // parity; Fovea's field is the symmetric span around the pixel's centre that holds both
    // placements (1.75 before, 1.25 after for even pixels, the mirror for odd ones): 4.5, halo 2
    Cli r = Cli.run("field", "--json", DIR.resolve("up2").toString());
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    double rf = facts("up2").get("rf").getAsDouble();
    double got = o.getAsJsonArray("rf").get(0).getAsDouble();
    assertTrue(got >= rf && got <= rf + 1, r.out());
    assertEquals(0.5, o.getAsJsonArray("stride").get(0).getAsDouble(), 1e-9, r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"param", "fixed", "half", "up2", "batch1"})
  void saliencyRunsOnThePyTorchEngine(String family) throws IOException {
    Path img = testImage(family);
    for (String method : new String[] {"gradient", "ig"}) {
      Path map = tmp.resolve(family + "-" + method + ".tif");
      Cli r = Cli.run("saliency", "--model", DIR.resolve(family).toString(), "--engine",
          "pytorch", "--method", method, "--steps", "4", "-o", map.toString(), img.toString());
      assertEquals(0, r.code(), family + " " + method + ": " + r.err());
      int[] size = new int[3];
      float[] m = pixels(map, size);
      assertEquals(Files.exists(map), true);
      double sum = 0;
      for (float x : m) {
        sum += Math.abs(x);
      }
      assertTrue(sum > 0, family + " " + method + ": an all-zero map");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"state_dict", "keras"})
  void weightsNoEngineRunsAreRefusedWithTheExportRoute(String family) {
    Cli r = Cli.run("models", "validate", DIR.resolve(family).toString());
    assertEquals(FoveaCli.USER_ERROR, r.code(), r.out());
    String e = r.err().strip();
    assertTrue(e.startsWith("fovea: ") && !e.contains("\n"), e);
    assertTrue(e.contains(family.equals("keras") ? "keras_hdf5" : "pytorch_state_dict"), e);
    assertTrue(e.contains(family.equals("keras") ? "SavedModel" : "torch.onnx.export"), e);
  }
}
