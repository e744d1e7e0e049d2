package org.fovea.ops.rf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the geometry of every layer of a graph along one axis for one input size. */
final class AxisPass {

  /** A graph with its layers' inputs as positions, computed once per analysis. */
  static final class Indexed {
    final LayerGraph graph;
    final List<Layer> layers;
    final int[][] inputs;
    final int output;

    Indexed(LayerGraph g) {
      this.graph = g;
      this.layers = g.layers();
      Map<String, Integer> at = new HashMap<>();
      for (int i = 0; i < layers.size(); i++) {
        at.put(layers.get(i).name(), i);
      }
      inputs = new int[layers.size()][];
      for (int i = 0; i < layers.size(); i++) {
        inputs[i] = layers.get(i).inputs().stream().mapToInt(at::get).toArray();
      }
      output = at.get(g.outputs().get(0));
    }
  }

  /**
   * The maps of every layer, or the first problem.
   *
   * @param maps per layer, in graph order; null entries after a failure
   * @param failed the layer where the geometry failed, or -1
   * @param problem what went wrong there, or null
   */
  record Result(AxisMap[] maps, int failed, String problem) {
    boolean ok() {
      return failed < 0;
    }
  }

  private AxisPass() {}

  static Result run(Indexed g, int axis, long n) {
    AxisMap[] maps = new AxisMap[g.layers.size()];
    for (int i = 0; i < maps.length; i++) {
      Layer l = g.layers.get(i);
      AxisMap in = g.inputs[i].length > 0 ? maps[g.inputs[i][0]] : null;
      String problem = null;
      AxisMap m = switch (l.kind()) {
        case INPUT -> AxisMap.identity(n);
        case POINTWISE -> in;
        case CONV, MAX_POOL, AVG_POOL, PAD -> window(l.window(), axis, in);
        case CONV_TRANSPOSE -> transposed(l.window(), axis, in);
        case RESIZE -> resize(l.resize(), axis, in);
        case GLOBAL -> new AxisMap(1, 1, Math.max(1, in.lo(in.size) - in.lo(0)),
            new long[] {in.lo(0)}, new long[] {in.hi(in.size - 1)});
        case ADD, CONCAT -> {
          List<AxisMap> ins = new ArrayList<>();
          long size = 1;
          for (int j : g.inputs[i]) {
            ins.add(maps[j]);
            size = Math.max(size, maps[j].size);
          }
          for (AxisMap a : ins) {
            if (a.size != size && a.size != 1) {
              problem = "joins inputs of sizes " + ins.stream().map(x -> x.size).toList();
            }
          }
          yield problem != null ? null : AxisMap.union(ins, size);
        }
      };
      if (m == null && problem == null) {
        problem = periodProblem(l, in);
      }
      if (problem == null && m.size < 1) {
        problem = "would have " + m.size + " outputs";
      }
      if (problem != null) {
        return new Result(maps, i, problem);
      }
      maps[i] = m;
    }
    return new Result(maps, -1, null);
  }

  private static String periodProblem(Layer l, AxisMap in) {
    if (l.kind() == LayerKind.CONV_TRANSPOSE) {
      return "leaves some outputs without any input (kernel smaller than stride)";
    }
    return "makes the receptive field repeat only every more than " + AxisMap.MAX_PERIOD
        + " outputs";
  }

  private static AxisMap window(Window w, int a, AxisMap in) {
    long out = w.outSize(a, in.size);
    if (out < 1) {
      return new AxisMap(out, 1, 1, new long[1], new long[1]);
    }
    long begin = w.pads(a, in.size)[0];
    long span = w.span(a) - 1;
    return in.then(out, 1, w.stride()[a], v -> new long[] {-begin, -begin + span});
  }

  private static AxisMap transposed(Window w, int a, AxisMap in) {
    long out = w.transposedOutSize(a, in.size);
    if (out < 1) {
      return new AxisMap(out, 1, 1, new long[1], new long[1]);
    }
    long s = w.stride()[a];
    long d = w.dilation()[a];
    long k = w.kernel()[a];
    long begin = w.transposedPads(a, in.size)[0];
    long[][] reads = new long[(int) s][];
    for (int v = 0; v < s; v++) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (long j = 0; j < k; j++) {
        long num = v + begin - j * d;
        if (Math.floorMod(num, s) == 0) {
          first = Math.min(first, Math.floorDiv(num, s));
          last = Math.max(last, Math.floorDiv(num, s));
        }
      }
      if (first > last) {
        return null;
      }
      reads[v] = new long[] {first, last};
    }
    return in.then(out, s, 1, v -> reads[(int) v]);
  }

  private static AxisMap resize(Resize r, int a, AxisMap in) {
    long out = r.outSize(a, in.size);
    if (out < 1) {
      return new AxisMap(out, 1, 1, new long[1], new long[1]);
    }
    long g = AxisMap.gcd(r.num()[a], r.den()[a]);
    return in.then(out, r.num()[a] / g, r.den()[a] / g, v -> r.reads(a, v));
  }
}
