package org.fovea.models.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.models.tf.OnnxToSavedModel.DilatedConv;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxToSavedModelTest {

  @BeforeAll
  static void natives() {
    TfTesting.assumeNatives();
  }

  /** The SavedModel, run by TensorFlowEngine, computes what ONNX Runtime computes. */
  @ParameterizedTest
  @CsvSource({"dilated,4,SPACE_TO_BATCH", "dilated,4,NATIVE", "unet,3,SPACE_TO_BATCH",
      "residual,2,SPACE_TO_BATCH", "residual,2,NATIVE"})
  void agreesWithOnnxRuntime(String name, int channels, DilatedConv mode, @TempDir Path dir)
      throws Exception {
    Path onnx = TfTesting.onnx(name);
    Path saved = dir.resolve(name);
    OnnxToSavedModel.convert(OnnxModel.read(onnx), saved, mode);
    assertTrue(Files.isRegularFile(saved.resolve("saved_model.pb")));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(saved), s.toList(), "no temporary folder is left behind");
    }
    List<org.fovea.ops.net.TensorSpec> outs = name.equals("residual")
        ? List.of(org.fovea.ops.net.TensorSpec.output("output", "bcyx", "input",
            new double[] {1, 0, 0.5, 0.5}, new long[] {0, channels, 0, 0}, new long[4]))
        : TfTesting.out(channels);
    try (Network net = new TensorFlowEngine().load(saved, TfTesting.in(), outs, "cpu")) {
      assertEquals("tensorflow", net.engine());
      assertEquals("cpu", net.device());
      for (long[] shape : new long[][] {{1, 1, 64, 64}, {1, 1, 60, 52}}) {
        Tensor x = TfTesting.random(shape[2] * 1000 + shape[3], shape);
        Tensor ref = TfTesting.onnxRuntime(onnx, x);
        Tensor got = net.predict(x);
        assertEquals(net.outputs().get(0).axes(), got.axes());
        double d = ref.maxAbsDifference(got);
        assertTrue(d <= 1e-5, name + " " + mode + " " + got + ": max difference " + d);
      }
    }
  }

  /** Nearest upsampling by 3 (not a power of two) with both ONNX coordinate conventions. */
  @ParameterizedTest
  @CsvSource({"asymmetric,floor", "half_pixel,round_prefer_floor",
      "pytorch_half_pixel,round_prefer_ceil"})
  void upsamplesByThreeExactly(String coord, String rounding, @TempDir Path dir)
      throws Exception {
    byte[] bytes = OnnxFixtures.resize(3, coord, rounding);
    Path onnx = dir.resolve("up3.onnx");
    Files.write(onnx, bytes);
    OnnxToSavedModel.convert(onnx, dir.resolve("up3"));
    try (Network net = new TensorFlowEngine().load(dir.resolve("up3"), TfTesting.in(),
        TfTesting.out(1), "cpu")) {
      Tensor x = TfTesting.random(3, 1, 1, 37, 29);
      Tensor got = net.predict(x);
      assertEquals(0.0, TfTesting.onnxRuntime(onnx, x).maxAbsDifference(got));
      for (int y = 0; y < 111; y++) {
        for (int xx = 0; xx < 87; xx++) {
          assertEquals(x.data()[(y / 3) * 29 + xx / 3], got.data()[y * 87 + xx]);
        }
      }
    }
  }

  @Test
  void unsupportedOperatorIsNamed(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    FoveaException e = assertThrows(FoveaException.class,
        () -> OnnxToSavedModel.convert(TfTesting.onnx("unsupported"), out));
    assertTrue(e.getMessage().contains("uses the ONNX operator 'ConvTranspose'"), e.getMessage());
    assertTrue(e.getMessage().contains("unsupported.onnx"), e.getMessage());
    assertFalse(Files.exists(out));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "nothing is written for a model that cannot be converted");
    }
  }

  @Test
  void refusesToOverwrite(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("taken");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    FoveaException e = assertThrows(FoveaException.class,
        () -> OnnxToSavedModel.convert(TfTesting.onnx("dilated"), out));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
  }

  @Test
  void commandLine(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("cli");
    OnnxToSavedModel.main(new String[] {TfTesting.onnx("unet").toString(), out.toString()});
    assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
  }
}
