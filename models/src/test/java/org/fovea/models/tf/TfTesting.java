package org.fovea.models.tf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/** Shared helpers of the TensorFlow tests: fixtures, specs, random inputs, ONNX Runtime. */
final class TfTesting {

  private TfTesting() {}

  static Path onnx(String name) throws Exception {
    return Path.of(TfTesting.class.getResource("/onnx/" + name + ".onnx").toURI());
  }

  static void assumeNatives() {
    String why = new TensorFlowEngine().unavailableReason();
    assumeTrue(why == null, why);
  }

  static List<TensorSpec> in() {
    return List.of(TensorSpec.input("input", "bcyx", new long[] {1, 1, 1, 1},
        new long[] {0, 0, 1, 1}));
  }

  static List<TensorSpec> out(int channels) {
    return List.of(TensorSpec.output("output", "bcyx", "input", new double[] {1, 0, 1, 1},
        new long[] {0, channels, 0, 0}, new long[4]));
  }

  static Tensor random(long seed, long... shape) {
    Tensor t = Tensor.zeros(Axes.of("bcyx"), shape);
    Random r = new Random(seed);
    for (int i = 0; i < t.data().length; i++) {
      t.data()[i] = r.nextFloat() * 2 - 1;
    }
    return t;
  }

  /** Runs the ONNX file with ONNX Runtime's Java API. */
  static Tensor onnxRuntime(Path model, Tensor x) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), x.shape());
        OrtSession.Result r = s.run(Map.of("input", in))) {
      OnnxTensor o = (OnnxTensor) r.get(0);
      FloatBuffer b = o.getFloatBuffer();
      float[] data = new float[b.remaining()];
      b.get(data);
      return new Tensor(Axes.of("bcyx"), o.getInfo().getShape(), data);
    }
  }
}
