package org.fovea.io.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fovea.models.Flops;
import org.fovea.models.Zoo;
import org.fovea.cli.FoveaCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea field} as a user runs it. */
class FieldCommandTest {

  @TempDir
  Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FoveaCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String graph(String name) {
    return Path.of(System.getProperty("fovea.root"), "models", "src", "test", "resources",
        "graphs", name + ".onnx").toString();
  }

  private static long[] longs(JsonArray a) {
    long[] r = new long[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i).getAsLong();
    }
    return r;
  }

  @Test
  void jsonOfTheDilatedDemoModel() {
    Run r = run("field", "nuclei-dilated", "--input-size", "256,256", "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    // models/training/nets.py: receptive field 69; export.py measured reach 34 / 34
    assertEquals("[69, 69]", java.util.Arrays.toString(longs(o.getAsJsonArray("rf"))));
    assertEquals("[1, 1]", java.util.Arrays.toString(longs(o.getAsJsonArray("stride"))));
    assertEquals("[34, 34]", java.util.Arrays.toString(longs(o.getAsJsonArray("padding"))));
    JsonObject halo = o.getAsJsonObject("halo");
    assertEquals("[34, 34]", java.util.Arrays.toString(longs(halo.getAsJsonArray("before"))));
    assertEquals("[34, 34]", java.util.Arrays.toString(longs(halo.getAsJsonArray("after"))));
    assertEquals(36771, o.get("params").getAsLong()); // rdf.yaml: parameters 36771 (PyTorch)
    assertEquals(Flops.of(Zoo.resolve("nuclei-dilated"), 256, 256), o.get("flops").getAsDouble());
    assertEquals("[0, 0]", java.util.Arrays.toString(longs(o.getAsJsonArray("misalignment_px"))));
    JsonArray layers = o.getAsJsonArray("layers");
    assertEquals(19, layers.size()); // input, 8 x (conv, relu), 1x1 conv, softmax
    JsonObject conv = layers.get(3).getAsJsonObject();
    assertEquals("/body/body.2/Conv", conv.get("name").getAsString());
    assertEquals("Conv", conv.get("op").getAsString());
    assertEquals(5, conv.getAsJsonArray("rf").get(1).getAsLong()); // two 3x3 convs of dilation 1: 1 + 2 + 2
  }

  @Test
  void tableListsEveryLayerAndTheOutput() {
    Run r = run("field", "nuclei-dilated");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("LAYER") && r.out().contains("/body/body.8/Conv"), r.out());
    assertTrue(r.out().contains("output '/Softmax': rf 69,69, stride 1,1, padding 34,34, halo"
        + " before 34,34 after 34,34"), r.out());
  }

  @Test
  void torchscriptIsReadThroughTheOnnxExportOfTheSameWeights() {
    Run r = run("field", "nuclei-dilated", "--format", "torchscript", "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertTrue(o.get("note").getAsString().contains("ONNX export of the same weights"));
    assertEquals(69, o.getAsJsonArray("rf").get(0).getAsLong());
  }

  @Test
  void aBareTorchscriptFileIsMeasuredOnPyTorch() {
    Path pt = Path.of(System.getProperty("fovea.root"), "models", "zoo", "nuclei-dilated",
        "weights.pt");
    Run r = run("field", pt.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("pytorch", o.getAsJsonObject("empirical").get("engine").getAsString());
    assertTrue(o.getAsJsonArray("unsupported").get(0).getAsString().contains("TorchScript"));
    JsonObject halo = o.getAsJsonObject("halo");
    assertEquals("[34, 34]", java.util.Arrays.toString(longs(halo.getAsJsonArray("before"))));
    assertEquals("[34, 34]", java.util.Arrays.toString(longs(halo.getAsJsonArray("after"))));
  }

  @Test
  void misalignedBranchesAreReported() {
    Run r = run("field", graph("two_branch_misaligned"), "--input-size", "64,64");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("MISALIGNED: layer '/Add' joins [/main/main.2/Conv,"
        + " /short/short.1/Conv] on axis y"), r.out());
  }

  @Test
  void overlayDrawsExactlyTheFieldOfAVgg16Feature() throws Exception {
    Path img = tmp.resolve("ramp.tif");
    ImagePlus imp = IJ.createImage("ramp", "8-bit ramp", 300, 260, 1);
    new FileSaver(imp).saveAsTiff(img.toString());
    // VGG-16 (Araujo et al. 2019): r 212, S 32, P 90: output u sees 32 u - 90 .. 32 u + 121
    long[][] cases = {{4, 3}, {0, 7}};
    for (long[] c : cases) {
      Path png = tmp.resolve("rf-" + c[0] + "-" + c[1] + ".png");
      Run r = run("field", graph("vgg16"), "--layer", "/features/features.30/MaxPool",
          "--overlay", c[0] + "," + c[1], "--image", img.toString(), "--output", png.toString());
      assertEquals(0, r.code(), r.err());
      int x0 = (int) Math.max(0, 32 * c[0] - 90);
      int x1 = (int) Math.min(299, 32 * c[0] + 121);
      int y0 = (int) Math.max(0, 32 * c[1] - 90);
      int y1 = (int) Math.min(259, 32 * c[1] + 121);
      BufferedImage b = ImageIO.read(png.toFile());
      int ym = (y0 + y1) / 2 + 5;
      int xm = (x0 + x1) / 2 + 5;
      for (int[] p : new int[][] {{x0, ym}, {x1, ym}, {xm, y0}, {xm, y1}, {x0, y0}, {x1, y1}}) {
        assertEquals(FieldOverlay.RECTANGLE, b.getRGB(p[0], p[1]) & 0xffffff, "at " + p[0] + ","
            + p[1] + " for output " + c[0] + "," + c[1]);
      }
      for (int[] p : new int[][] {{x0 - 1, ym}, {x1 + 1, ym}, {xm, y0 - 1}, {xm, y1 + 1},
          {x0 + 1, ym}, {xm, y0 + 1}}) {
        if (p[0] >= 0 && p[1] >= 0 && p[0] < 300 && p[1] < 260) {
          assertTrue((b.getRGB(p[0], p[1]) & 0xffffff) != FieldOverlay.RECTANGLE, "at " + p[0]
              + "," + p[1]);
        }
      }
      long cx = Math.floorDiv(2 * (32 * c[0] - 90) + 211, 2);
      long cy = Math.floorDiv(2 * (32 * c[1] - 90) + 211, 2);
      assertEquals(FieldOverlay.CENTRE, b.getRGB((int) cx, (int) cy) & 0xffffff);
    }
  }

  @Test
  void badGraphsAreOneSentenceAndExitTwo() {
    for (String bad : new String[] {"unknown_op", "cycle", "no_spatial"}) {
      Run r = run("field", graph(bad));
      assertEquals(2, r.code(), bad + ": " + r.out() + r.err());
      assertTrue(r.err().startsWith("fovea: ") && r.err().contains(bad + ".onnx"), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    assertTrue(run("field", graph("unknown_op")).err().contains("'mystery'"));
  }

  @Test
  void anUnsupportedLayerIsNamedAndTheReachMeasuredInstead() {
    Run r = run("field", graph("instance_norm"), "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("'inorm' (InstanceNormalization)", o.getAsJsonArray("unsupported").get(0)
        .getAsString());
    assertTrue(o.get("rf").isJsonNull());
    JsonObject e = o.getAsJsonObject("empirical");
    assertEquals("onnxruntime", e.get("engine").getAsString());
    // instance normalization makes every output depend on the whole input: the measured reach
    // covers the input, from the perturbed middle lines to both borders
    long n = e.getAsJsonArray("input_size").get(0).getAsLong();
    long before = o.getAsJsonObject("halo").getAsJsonArray("before").get(0).getAsLong();
    long after = o.getAsJsonObject("halo").getAsJsonArray("after").get(0).getAsLong();
    assertTrue(before + after >= n - 1, r.out());
    assertTrue(e.get("clipped").getAsBoolean());
  }

  @Test
  void benchPrintsMilliseconds() {
    Run r = run("field", graph("resnet50"), "--bench", "--runs", "5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s)analysis of resnet50(\\.onnx)? \\(\\d+ layers\\) at 224x224: median"
        + " [0-9.]+ ms.*"), r.out());
  }
}
