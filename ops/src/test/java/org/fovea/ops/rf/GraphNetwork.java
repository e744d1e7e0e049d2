package org.fovea.ops.rf;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * Test helper: runs a 2-D {@link LayerGraph} forward on one channel, straight from the definitions
 * of each layer kind (loops over outputs and kernel taps, zero padding, max pooling padded with
 * minus infinity), independently of the analysis' composition of fields. Kernel taps at the window's
 * ends weigh 1 and inner taps 0.01, so a change at the edge of a field survives float rounding.
 */
final class GraphNetwork implements Network {

  private final LayerGraph g;

  GraphNetwork(LayerGraph g) {
    this.g = g;
  }

  @Override
  public List<TensorSpec> inputs() {
    return List.of(TensorSpec.input("input", "bcyx", new long[] {1, 1, 1, 1},
        new long[] {0, 0, 1, 1}));
  }

  @Override
  public List<TensorSpec> outputs() {
    return List.of(TensorSpec.output("output", "bcyx", "input", new double[] {1, 1, 1, 1},
        new long[4], new long[4]));
  }

  @Override
  public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
    Tensor in = inputs.get("input");
    long[] sh = in.shape();
    double[][] x = new double[(int) sh[2]][(int) sh[3]];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        x[i][j] = in.data()[i * x[0].length + j];
      }
    }
    Map<String, double[][]> v = new HashMap<>();
    for (Layer l : g.layers()) {
      double[][] a = l.inputs().isEmpty() ? null : v.get(l.inputs().get(0));
      v.put(l.name(), switch (l.kind()) {
        case INPUT -> x;
        case POINTWISE -> map(a);
        case CONV, AVG_POOL, PAD -> window(l.window(), a, false);
        case MAX_POOL -> window(l.window(), a, true);
        case CONV_TRANSPOSE -> transposed(l.window(), a);
        case RESIZE -> resize(l.resize(), a);
        case GLOBAL -> new double[][] {{sum(a)}};
        case ADD, CONCAT -> merge(l.inputs().stream().map(v::get).toList());
      });
    }
    double[][] y = v.get(g.outputs().get(0));
    float[] d = new float[y.length * y[0].length];
    for (int i = 0; i < y.length; i++) {
      for (int j = 0; j < y[0].length; j++) {
        d[i * y[0].length + j] = (float) y[i][j];
      }
    }
    return Map.of("output", new Tensor(Axes.of("bcyx"), new long[] {1, 1, y.length, y[0].length},
        d));
  }

  private static double tap(long j, long k) {
    return j == 0 || j == k - 1 ? 1 : 0.01;
  }

  private static double[][] map(double[][] a) {
    double[][] r = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        r[i][j] = Math.max(a[i][j], 0.5 * a[i][j]);
      }
    }
    return r;
  }

  private static double[][] window(Window w, double[][] a, boolean max) {
    long[] ky = {w.kernel()[0], w.stride()[0], w.dilation()[0], w.pads(0, a.length)[0]};
    long[] kx = {w.kernel()[1], w.stride()[1], w.dilation()[1], w.pads(1, a[0].length)[0]};
    double[][] r = new double[(int) w.outSize(0, a.length)][(int) w.outSize(1, a[0].length)];
    for (int v = 0; v < r.length; v++) {
      for (int u = 0; u < r[0].length; u++) {
        double s = max ? Double.NEGATIVE_INFINITY : 0;
        for (long j = 0; j < ky[0]; j++) {
          for (long i = 0; i < kx[0]; i++) {
            long y = v * ky[1] - ky[3] + j * ky[2];
            long x = u * kx[1] - kx[3] + i * kx[2];
            boolean inside = y >= 0 && y < a.length && x >= 0 && x < a[0].length;
            double val = inside ? a[(int) y][(int) x] : max ? Double.NEGATIVE_INFINITY : 0;
            s = max ? Math.max(s, val) : s + tap(j, ky[0]) * tap(i, kx[0]) * val;
          }
        }
        r[v][u] = s;
      }
    }
    return r;
  }

  private static double[][] transposed(Window w, double[][] a) {
    double[][] r = new double[(int) w.transposedOutSize(0, a.length)]
        [(int) w.transposedOutSize(1, a[0].length)];
    long py = w.transposedPads(0, a.length)[0];
    long px = w.transposedPads(1, a[0].length)[0];
    for (int y = 0; y < a.length; y++) {
      for (int x = 0; x < a[0].length; x++) {
        for (long j = 0; j < w.kernel()[0]; j++) {
          for (long i = 0; i < w.kernel()[1]; i++) {
            long v = y * w.stride()[0] - py + j * w.dilation()[0];
            long u = x * w.stride()[1] - px + i * w.dilation()[1];
            if (v >= 0 && v < r.length && u >= 0 && u < r[0].length) {
              r[(int) v][(int) u] += tap(j, w.kernel()[0]) * tap(i, w.kernel()[1]) * a[y][x];
            }
          }
        }
      }
    }
    return r;
  }

  private static double[][] resize(Resize rs, double[][] a) {
    double[][] r = new double[(int) rs.outSize(0, a.length)][(int) rs.outSize(1, a[0].length)];
    for (int v = 0; v < r.length; v++) {
      for (int u = 0; u < r[0].length; u++) {
        long[] ry = rs.reads(0, v);
        long[] rx = rs.reads(1, u);
        double s = 0;
        for (long y = ry[0]; y <= ry[1]; y++) {
          for (long x = rx[0]; x <= rx[1]; x++) {
            s += a[(int) Math.min(Math.max(y, 0), a.length - 1)]
                [(int) Math.min(Math.max(x, 0), a[0].length - 1)];
          }
        }
        r[v][u] = s;
      }
    }
    return r;
  }

  private static double sum(double[][] a) {
    double s = 0;
    for (double[] row : a) {
      for (double d : row) {
        s += d;
      }
    }
    return s;
  }

  private static double[][] merge(List<double[][]> ins) {
    int h = ins.stream().mapToInt(a -> a.length).max().orElseThrow();
    int w = ins.stream().mapToInt(a -> a[0].length).max().orElseThrow();
    double[][] r = new double[h][w];
    for (double[][] a : ins) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          r[i][j] += a[a.length == 1 ? 0 : i][a[0].length == 1 ? 0 : j];
        }
      }
    }
    return r;
  }

  @Override
  public String engine() {
    return "reference";
  }

  @Override
  public String device() {
    return "cpu";
  }

  @Override
  public void close() {}
}
