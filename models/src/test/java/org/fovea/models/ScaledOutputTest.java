package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Models whose output has another size than their input (bioimage.io 0.5 output axes with a
 * {@code scale}): a half-resolution one (2x2 max pooling, like StarDist's grid 2) and one that
 * up-samples 2x. Each validates against PyTorch's own output, and its tiled segmentation equals one
 * pass over the whole image (mirrored up to the size grid, cropped) for tiles that do not divide
 * the image, with the output {@code ceil(size * scale)} pixels large. The nets and their test
 * tensors are made by {@code src/test/resources/dense/make_nets.py}.
 */
class ScaledOutputTest {

  @TempDir
  Path tmp;

  /** A 0.5 package around one of the nets, its output axes scaled by {@code axisScale}. */
  private ModelPackage pkg(String net, double axisScale, long step) throws IOException {
    return pkg(net, axisScale, "{min: " + step + ", step: " + step + "}", net);
  }

  private ModelPackage pkg(String net, double axisScale, String size, String folder)
      throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(folder));
    Path res = DenseTest.net(net).getParent();
    Files.copy(res.resolve(net + ".onnx"), dir.resolve("weights.onnx"));
    Files.copy(res.resolve(net + ".in.npy"), dir.resolve("in.npy"));
    Files.copy(res.resolve(net + ".out.npy"), dir.resolve("out.npy"));
    String space = "  - type: space\n    id: %s\n    size: %s\n%s";
    String in = "";
    String out = "";
    for (String a : new String[] {"y", "x"}) {
      in += String.format(space, a, size, "");
      out += String.format(space, a, "{tensor_id: input, axis_id: " + a + "}",
          "    scale: " + axisScale + "\n");
    }
    Files.writeString(dir.resolve("rdf.yaml"), "format_version: 0.5.3\ntype: model\nname: " + net
        + "\ndescription: scaled-output test net\nauthors:\n- name: Fovea tests\nlicense: MIT\n"
        + "inputs:\n- id: input\n  axes:\n  - type: batch\n  - type: channel\n"
        + "    channel_names: [raw]\n" + in + "  test_tensor: {source: in.npy}\n"
        + "outputs:\n- id: output\n  axes:\n  - type: batch\n  - type: channel\n"
        + "    channel_names: [a, b]\n" + out + "  test_tensor: {source: out.npy}\n"
        + "weights:\n  onnx: {source: weights.onnx, opset_version: 17}\n");
    return Zoo.resolve(dir.toString());
  }

  /** The reference: mirror the image up to the size grid, one pass, crop the scaled size. */
  private static Tensor whole(Model m, Tensor raw, long step, long oh, long ow) {
    int h = (int) raw.shape()[2];
    int w = (int) raw.shape()[3];
    int hp = (int) ((h + step - 1) / step * step);
    int wp = (int) ((w + step - 1) / step * step);
    Tensor padded = Tensor.zeros(raw.axes(), 1, 1, hp, wp);
    for (int y = 0; y < hp; y++) {
      for (int x = 0; x < wp; x++) {
        int sy = y < h ? y : 2 * (h - 1) - y;
        int sx = x < w ? x : 2 * (w - 1) - x;
        padded.data()[y * wp + x] = raw.data()[sy * w + sx];
      }
    }
    Tensor o = m.network().predict(padded);
    return o.box(new long[4], new long[] {1, o.shape()[1], oh, ow});
  }

  @ParameterizedTest(name = "{0}: scale {1}")
  @CsvSource({"half, 2.0, 2, 0.5", "up2, 0.5, 1, 2.0"})
  void tiledEqualsWholeAtTheOutputsOwnSize(String net, double axisScale, long step,
      double factor) throws IOException {
    ModelPackage p = pkg(net, axisScale, step);
    assertTrue(Validation.run(p, "onnxruntime").get(0).passed(), "validates against PyTorch");
    Tensor raw = Tensor.zeros(Axes.of("bcyx"), 1, 1, 75, 61); // odd: no multiple of 2
    Random r = new Random(11);
    for (int i = 0; i < raw.data().length; i++) {
      raw.data()[i] = (float) r.nextGaussian();
    }
    try (Model m = Model.load(p, "onnx", "cpu")) {
      long oh = (long) Math.ceil(75 * factor);
      long ow = (long) Math.ceil(61 * factor);
      assertArrayEquals(new long[] {oh, ow}, m.outputSize(75, 61));
      Tensor ref = whole(m, raw, step, oh, ow);
      for (long tile : new long[] {16, 24, 40, 0}) {
        Segmentation.Result s = Segmentation.run(m, raw, tile, null);
        assertEquals(oh, s.probabilities().shape()[2]);
        assertEquals(ow, s.probabilities().shape()[3]);
        assertTrue(tile == 0 || s.tiles() >= 4, s.tiles() + " tiles");
        double d = s.probabilities().maxAbsDifference(ref);
        assertTrue(d <= 1e-5, net + ", tile " + tile + ": " + d);
      }
    }
  }

  /**
   * The half-resolution net declared with one input size (48 x 48, as fixed-shape models are):
   * tiles of exactly that size, the halo on whole output pixels, give the variable-size package's
   * whole-image output wherever the receptive field lies inside the image.
   */
  @org.junit.jupiter.api.Test
  void aFixedSizeModelWithAHalfResolutionOutputIsTiledAtItsSize() throws IOException {
    ModelPackage variable = pkg("half", 2.0, 2);
    ModelPackage fixed = pkg("half", 2.0, "48", "half-fixed");
    Tensor raw = Tensor.zeros(Axes.of("bcyx"), 1, 1, 101, 87);
    Random r = new Random(12);
    for (int i = 0; i < raw.data().length; i++) {
      raw.data()[i] = (float) r.nextGaussian();
    }
    try (Model v = Model.load(variable, "onnx", "cpu"); Model f = Model.load(fixed, "onnx",
        "cpu")) {
      Tensor ref = whole(v, raw, 2, 51, 44);
      Segmentation.Result s = Segmentation.run(f, raw, 0, null);
      assertTrue(s.tiles() > 4, s.tiles() + " tiles");
      assertEquals(51, s.probabilities().shape()[2]);
      assertEquals(44, s.probabilities().shape()[3]);
      // away from the border (the whole pass pads with zeros there, the tiles mirror)
      long reach = (f.halo().max(org.fovea.ops.net.Axis.Y) + 1) / 2 + 1;
      Tensor a = s.probabilities().box(new long[] {0, 0, reach, reach},
          new long[] {1, 2, 51 - 2 * reach, 44 - 2 * reach});
      Tensor b = ref.box(new long[] {0, 0, reach, reach},
          new long[] {1, 2, 51 - 2 * reach, 44 - 2 * reach});
      assertTrue(a.maxAbsDifference(b) <= 1e-5, "fixed tiles vs whole: " + a.maxAbsDifference(b));
    }
  }
}
