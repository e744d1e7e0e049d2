package org.fovea.models.graph;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.models.onnx.OnnxGraph;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.models.onnx.OnnxNode;
import org.fovea.models.onnx.OnnxValueInfo;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.Layer;
import org.fovea.ops.rf.LayerGraph;
import org.fovea.ops.rf.LayerKind;
import org.fovea.ops.rf.UnsupportedLayers;

/**
 * Builds the {@link LayerGraph} of an ONNX model (NCHW, NCDHW or NCW): convolutions, pooling,
 * resizing, padding and cropping, joins and pointwise operators, following the values that depend
 * on the image; shape arithmetic and constants are skipped. Works on files whose weights were
 * stripped to their dims.
 *
 * @since 0.1.0
 */
public final class OnnxLayers {

  private final OnnxGraph g;
  private final OnnxConstants c;
  private final String source;
  private final int rank;
  private final LayerGraph.Builder b;
  private final OnnxOps ops;
  final Map<String, String> layerOf = new HashMap<>();
  final Set<String> collapsed = new HashSet<>();
  final List<String> unsupported = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  private OnnxLayers(OnnxModel m) {
    this.g = m.graph();
    this.c = new OnnxConstants(g);
    this.source = String.valueOf(m.file());
    OnnxValueInfo in = g.inputs().isEmpty() ? null : g.inputs().get(0);
    if (in == null) {
      throw new FoveaException(source + " has no input: the receptive-field analysis needs an image"
          + " input, re-export the model with one");
    }
    this.rank = in.rank() < 0 ? 4 : in.rank();
    this.b = LayerGraph.builder(source, rank - 2);
    this.ops = new OnnxOps(this, c, rank, m.opsetVersion());
  }

  /**
   * @param file an {@code .onnx} file
   * @return its layer graph
   * @throws UnsupportedLayers when it has layers whose geometry is unknown
   * @throws FoveaException when the file is unreadable, cyclic or has no spatial axes
   */
  public static ModelGraph read(Path file) {
    return of(OnnxModel.read(file));
  }

  /**
   * @param m an ONNX model
   * @return its layer graph
   * @throws UnsupportedLayers when it has layers whose geometry is unknown
   * @throws FoveaException when the graph is cyclic or has no spatial axes
   */
  public static ModelGraph of(OnnxModel m) {
    OnnxLayers w = new OnnxLayers(m);
    return new ModelGraph(w.build(), w.axes(), w.fixedSize(), WeightFormat.ONNX, m.file(), null);
  }

  private LayerGraph build() {
    for (OnnxValueInfo in : g.inputs()) {
      if (in.rank() == rank || in.rank() < 0) {
        String name = unique(in.name());
        b.layer(Layer.input(name));
        layerOf.put(in.name(), name);
      }
    }
    for (OnnxNode n : sorted()) {
      boolean spatial = n.inputs().stream().anyMatch(layerOf::containsKey);
      if (spatial) {
        ops.add(n);
      }
    }
    if (!unsupported.isEmpty()) {
      throw new UnsupportedLayers(source, unsupported, null);
    }
    for (OnnxValueInfo o : g.outputs()) {
      if (layerOf.containsKey(o.name())) {
        b.output(layerOf.get(o.name()));
      }
    }
    return b.build();
  }

  /** Adds a layer for node n, whose first output becomes the layer's value. */
  void add(OnnxNode n, Layer l) {
    b.layer(l);
    layerOf.put(n.outputs().get(0), l.name());
    if (l.kind() == LayerKind.GLOBAL || (l.kind() == LayerKind.POINTWISE
        && collapsed.contains(n.input(0)))) {
      collapsed.add(n.outputs().get(0));
    }
  }

  /** @return a unique layer name for node n */
  String name(OnnxNode n, int index) {
    return unique(n.name().isEmpty() ? n.opType() + "_" + index : n.name());
  }

  private String unique(String s) {
    String u = s;
    for (int i = 2; !names.add(u); i++) {
      u = s + "_" + i;
    }
    return u;
  }

  String layer(String value) {
    return layerOf.get(value);
  }

  /** The nodes in an order where each comes after the producers of its inputs. */
  private List<OnnxNode> sorted() {
    List<OnnxNode> nodes = g.nodes();
    Map<OnnxNode, Integer> waiting = new IdentityHashMap<>();
    Map<String, List<OnnxNode>> readers = new HashMap<>();
    Deque<OnnxNode> ready = new ArrayDeque<>();
    for (OnnxNode n : nodes) {
      Set<String> deps = new LinkedHashSet<>();
      for (String in : n.inputs()) {
        if (!in.isEmpty() && g.producer(in) != null) {
          deps.add(in);
        }
      }
      waiting.put(n, deps.size());
      deps.forEach(d -> readers.computeIfAbsent(d, k -> new ArrayList<>()).add(n));
      if (deps.isEmpty()) {
        ready.add(n);
      }
    }
    List<OnnxNode> out = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      OnnxNode n = ready.poll();
      out.add(n);
      for (String o : n.outputs()) {
        for (OnnxNode r : readers.getOrDefault(o, List.of())) {
          if (waiting.merge(r, -1, Integer::sum) == 0) {
            ready.add(r);
          }
        }
      }
    }
    if (out.size() < nodes.size()) {
      List<String> stuck = nodes.stream().filter(n -> waiting.get(n) > 0).limit(5)
          .map(OnnxNode::describe).toList();
      throw new FoveaException(source + " has a cycle through " + stuck + ": an ONNX graph must be"
          + " acyclic, re-export the model");
    }
    return out;
  }

  private List<Axis> axes() {
    return switch (rank) {
      case 3 -> List.of(Axis.X);
      case 4 -> List.of(Axis.Y, Axis.X);
      case 5 -> List.of(Axis.Z, Axis.Y, Axis.X);
      default -> throw new FoveaException(source + " has an input of rank " + rank + ": the"
          + " receptive-field analysis reads (N, C, x), (N, C, y, x) or (N, C, z, y, x) inputs");
    };
  }

  private long[] fixedSize() {
    long[] d = g.inputs().get(0).dims();
    long[] s = new long[rank - 2];
    Arrays.fill(s, -1);
    if (d != null) {
      System.arraycopy(d, 2, s, 0, rank - 2);
    }
    return s;
  }
}
