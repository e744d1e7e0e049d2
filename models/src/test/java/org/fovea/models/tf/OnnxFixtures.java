package org.fovea.models.tf;

import java.util.List;
import org.fovea.models.onnx.OnnxBytes;
import org.fovea.models.onnx.OnnxBytes.Msg;
import org.fovea.models.onnx.OnnxTensor;

/** ONNX models written in the tests themselves, for cases the Python fixtures do not cover. */
final class OnnxFixtures {

  private OnnxFixtures() {}

  /** @return an opset-17 model: input [batch, 1, h, w], nearest Resize by {@code s}, output */
  static byte[] resize(int s, String coord, String rounding) {
    Msg node = OnnxBytes.node("Resize", "up", List.of("input", "", "scales"), List.of("output"),
        OnnxBytes.string("mode", "nearest"),
        OnnxBytes.string("coordinate_transformation_mode", coord),
        OnnxBytes.string("nearest_mode", rounding));
    Msg graph = new Msg().msg(1, node).string(2, "up")
        .msg(5, OnnxBytes.floatTensor("scales", new long[] {4}, new float[] {1, 1, s, s}, true))
        .msg(11, OnnxBytes.value("input", OnnxTensor.FLOAT, "batch", 1L, "h", "w"))
        .msg(12, OnnxBytes.value("output", OnnxTensor.FLOAT, "batch", 1L, "H", "W"));
    return OnnxBytes.model(17, graph).toBytes();
  }
}
