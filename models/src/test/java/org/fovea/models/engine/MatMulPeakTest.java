package org.fovea.models.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peak measurement's one-node graph is a true float32 matrix product. */
class MatMulPeakTest {

  @Test
  void theGraphMultipliesMatricesAndTheMeasurementIsAThroughput() throws Exception {
    int n = 33;
    float[] a = new float[n * n];
    float[] b = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i % 7) - 3;
      b[i] = (i % 5) - 2;
    }
    var env = OnnxRuntimeEngine.environment();
    try (OrtSession s = env.createSession(MatMulPeak.model(n), new OrtSession.SessionOptions());
        OnnxTensor ta = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {n, n});
        OnnxTensor tb = OnnxTensor.createTensor(env, FloatBuffer.wrap(b), new long[] {n, n});
        OrtSession.Result r = s.run(Map.of("A", ta, "B", tb))) {
      float[][] c = (float[][]) r.get(0).getValue();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          float expected = 0;
          for (int k = 0; k < n; k++) {
            expected += a[i * n + k] * b[k * n + j];
          }
          assertEquals(expected, c[i][j], 1e-3, i + "," + j);
        }
      }
    }
    MatMulPeak.Result p = MatMulPeak.measure(128, 2);
    assertTrue(p.gflops() > 0 && Double.isFinite(p.gflops()), p.toString());
    assertEquals(2.0 * 128 * 128 * 128 / (p.bestMs() / 1e3) / 1e9, p.gflops(), 1e-6 * p.gflops());
  }
}
