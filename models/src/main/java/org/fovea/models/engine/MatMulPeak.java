package org.fovea.models.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.fovea.ops.net.FoveaException;

/**
 * The machine's single-precision matrix-multiply throughput, measured through ONNX Runtime's
 * MatMul on two N x N matrices (a one-node ONNX graph written here, 2 N^3 floating-point
 * operations per product), best of several runs: the peak every engine's GFLOP/s is compared
 * with ({@code fovea bench engines --peak}).
 *
 * @since 0.3.0
 */
public final class MatMulPeak {

  /**
   * @param n the matrices' side
   * @param gflops the best throughput, GFLOP/s
   * @param bestMs the best run, milliseconds
   */
  public record Result(int n, double gflops, double bestMs) {}

  private MatMulPeak() {}

  /**
   * @param n the matrices' side (4096 is the reference size)
   * @param runs timed runs after one warm-up
   * @return the best of the runs
   * @throws FoveaException when ONNX Runtime cannot run it
   */
  public static Result measure(int n, int runs) {
    OrtEnvironment env = OnnxRuntimeEngine.environment();
    float[] a = new float[n * n];
    Random rnd = new Random(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextFloat() - 0.5f;
    }
    long[] shape = {n, n};
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession s = env.createSession(model(n), o);
          OnnxTensor ta = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), shape);
          OnnxTensor tb = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), shape)) {
        Map<String, OnnxTensor> in = Map.of("A", ta, "B", tb);
        s.run(in).close();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < Math.max(1, runs); r++) {
          long t0 = System.nanoTime();
          s.run(in).close();
          best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return new Result(n, 2.0 * n * n * (double) n / (best / 1e3) / 1e9, best);
      }
    } catch (OrtException e) {
      throw new FoveaException("ONNX Runtime could not run the " + n + "x" + n + " MatMul peak"
          + " measurement (" + e.getMessage() + ")", e);
    }
  }

  /** {@code C = A B}, float32, N x N: an ONNX model (IR 8, opset 17) as protobuf bytes. */
  static byte[] model(int n) {
    byte[] node = concat(str(1, "A"), str(1, "B"), str(2, "C"), str(3, "matmul"),
        str(4, "MatMul"));
    byte[] graph = concat(msg(1, node), str(2, "peak"), msg(11, value("A", n)),
        msg(11, value("B", n)), msg(12, value("C", n)));
    byte[] opset = concat(str(1, ""), varint(2, 17));
    return concat(varint(1, 8), msg(7, graph), msg(8, opset));
  }

  /** A float32 N x N ValueInfoProto. */
  private static byte[] value(String name, int n) {
    byte[] dim = varint(1, n);
    byte[] shape = concat(msg(1, dim), msg(1, dim));
    byte[] tensor = concat(varint(1, 1), msg(2, shape)); // elem_type FLOAT
    return concat(str(1, name), msg(2, msg(1, tensor)));
  }

  private static byte[] varint(int field, long v) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    raw(o, (long) field << 3);
    raw(o, v);
    return o.toByteArray();
  }

  private static byte[] msg(int field, byte[] body) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    raw(o, ((long) field << 3) | 2);
    raw(o, body.length);
    o.writeBytes(body);
    return o.toByteArray();
  }

  private static byte[] str(int field, String s) {
    return msg(field, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void raw(ByteArrayOutputStream o, long v) {
    while ((v & ~0x7fL) != 0) {
      o.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }
}
