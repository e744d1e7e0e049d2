package org.fovea.models.graph;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.Layer;
import org.fovea.ops.rf.LayerGraph;
import org.fovea.ops.rf.LayerKind;
import org.fovea.ops.rf.UnsupportedLayers;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Builds the {@link LayerGraph} of a TensorFlow SavedModel from the GraphDef in its {@code
 * saved_model.pb} (tag {@code serve}, signature {@code serving_default}): Conv2D and depthwise
 * convolutions with strides, dilations and SAME/VALID/EXPLICIT padding, SpaceToBatchND, Conv2D,
 * BatchToSpaceND read as one dilated convolution, pooling, padding, nearest and bilinear resizing
 * by a constant factor of the input's shape, joins, pointwise operators and layout transposes.
 *
 * @since 0.1.0
 */
public final class SavedModelLayers {

  /**
   * Which tensor dims hold the spatial axes and the channels.
   *
   * @param spatial per spatial axis of the model, the tensor dim that holds it
   * @param channel the tensor dim of the channels
   */
  record Layout(int[] spatial, int channel) {}

  final TfGraph g;
  final String source;
  final LayerGraph.Builder b;
  final Map<String, String> layerOf = new HashMap<>();
  final Map<String, Layout> layouts = new HashMap<>();
  final Set<String> collapsed = new HashSet<>();
  final List<String> unsupported = new ArrayList<>();
  final Set<String> handled = new HashSet<>();
  private final Set<String> names = new HashSet<>();

  private SavedModelLayers(TfGraph g, String source, int axes) {
    this.g = g;
    this.source = source;
    this.b = LayerGraph.builder(source, axes);
  }

  /**
   * @param dir a SavedModel folder (or its {@code saved_model.pb})
   * @param inputAxes the input's axes as the model package describes them (such as {@code bcyx}),
   *     or null to take channels last unless the signature fixes dim 1 and leaves the last free
   * @return the layer graph
   * @throws UnsupportedLayers when it has layers whose geometry is unknown
   * @throws FoveaException when the file is unreadable or has no image input
   */
  public static ModelGraph read(Path dir, Axes inputAxes) {
    Path pb = Files.isDirectory(dir) ? dir.resolve("saved_model.pb") : dir;
    SavedModel sm;
    try {
      sm = SavedModel.parseFrom(Files.readAllBytes(pb));
    } catch (InvalidProtocolBufferException e) {
      throw new FoveaException(pb + " is not a readable SavedModel (" + e.getMessage()
          + "): re-export the model", e);
    } catch (IOException e) {
      throw new FoveaException("cannot read " + pb + " (" + e + "): check the SavedModel folder",
          e);
    }
    MetaGraphDef mg = sm.getMetaGraphsList().stream()
        .filter(m -> m.getMetaInfoDef().getTagsList().contains("serve")).findFirst()
        .orElse(sm.getMetaGraphsCount() > 0 ? sm.getMetaGraphs(0) : null);
    if (mg == null || mg.getSignatureDefCount() == 0) {
      throw new FoveaException(pb + " has no serving signature: re-export the SavedModel with a"
          + " 'serving_default' signature");
    }
    SignatureDef sig = mg.getSignatureDefMap().getOrDefault("serving_default",
        mg.getSignatureDefMap().values().iterator().next());
    TensorInfo in = sig.getInputsMap().values().iterator().next();
    long[] shape = TfGraph.dims(in.getTensorShape());
    Layout layout = layout(shape, inputAxes, pb);
    SavedModelLayers w = new SavedModelLayers(new TfGraph(mg.getGraphDef()), pb.toString(),
        layout.spatial().length);
    LayerGraph graph = w.build(in, layout, sig.getOutputsMap().values());
    long[] fixed = Arrays.stream(layout.spatial()).mapToLong(d -> d < shape.length && shape[d] > 0
        ? shape[d] : -1).toArray();
    List<Axis> axes = inputAxes != null ? inputAxes.spatial()
        : layout.spatial().length == 2 ? List.of(Axis.Y, Axis.X) : List.of(Axis.Z, Axis.Y, Axis.X);
    return new ModelGraph(graph, axes, fixed, WeightFormat.TENSORFLOW_SAVED_MODEL, dir, null);
  }

  private static Layout layout(long[] shape, Axes axes, Path pb) {
    if (axes != null) {
      int[] sp = axes.spatial().stream().mapToInt(axes::indexOf).toArray();
      return new Layout(sp, axes.indexOf(Axis.CHANNEL));
    }
    if (shape.length < 3) {
      throw new FoveaException(pb + " has an input of rank " + shape.length + " with no spatial"
          + " axes: the receptive-field analysis needs an image input");
    }
    boolean channelsFirst = shape[1] > 0 && shape[shape.length - 1] < 0;
    int[] sp = new int[shape.length - 2];
    for (int i = 0; i < sp.length; i++) {
      sp[i] = channelsFirst ? i + 2 : i + 1;
    }
    return new Layout(sp, channelsFirst ? 1 : shape.length - 1);
  }

  private LayerGraph build(TensorInfo in, Layout layout,
      java.util.Collection<TensorInfo> outputs) {
    String input = TfGraph.value(in.getName());
    String name = unique(input);
    b.layer(Layer.input(name));
    layerOf.put(input, name);
    layouts.put(input, layout);
    TfOps ops = new TfOps(this);
    for (NodeDef n : sorted()) {
      if (!n.getOp().equals("Placeholder") && !handled.contains(n.getName())
          && TfGraph.data(n).stream().anyMatch(layerOf::containsKey)) {
        ops.add(n);
      }
    }
    if (!unsupported.isEmpty()) {
      throw new UnsupportedLayers(source, unsupported, null);
    }
    for (TensorInfo o : outputs) {
      String v = TfGraph.value(o.getName());
      if (layerOf.containsKey(v)) {
        b.output(layerOf.get(v));
      }
    }
    return b.build();
  }

  /** Adds a layer for node n, whose output 0 becomes the layer's value with the given layout. */
  void add(NodeDef n, Layer l, Layout layout) {
    b.layer(l);
    layerOf.put(n.getName(), l.name());
    layouts.put(n.getName(), layout);
    String in = l.inputs().isEmpty() ? null : TfGraph.data(n).get(0);
    if (l.kind() == LayerKind.GLOBAL || (l.kind() == LayerKind.POINTWISE && in != null
        && collapsed.contains(in))) {
      collapsed.add(n.getName());
    }
  }

  String unique(String s) {
    String u = s;
    for (int i = 2; !names.add(u); i++) {
      u = s + "_" + i;
    }
    return u;
  }

  void unsupported(NodeDef n, String why) {
    unsupported.add("'" + n.getName() + "' (" + n.getOp() + (why == null ? "" : ", " + why) + ")");
  }

  private List<NodeDef> sorted() {
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, List<NodeDef>> readers = new HashMap<>();
    Deque<NodeDef> ready = new ArrayDeque<>();
    for (NodeDef n : g.nodes.values()) {
      Set<String> deps = new HashSet<>();
      for (String in : n.getInputList()) {
        NodeDef p = g.producer(TfGraph.value(in.startsWith("^") ? in.substring(1) : in));
        if (p != null) {
          deps.add(p.getName());
        }
      }
      waiting.put(n.getName(), deps.size());
      deps.forEach(d -> readers.computeIfAbsent(d, k -> new ArrayList<>()).add(n));
      if (deps.isEmpty()) {
        ready.add(n);
      }
    }
    List<NodeDef> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      NodeDef n = ready.poll();
      out.add(n);
      for (NodeDef r : readers.getOrDefault(n.getName(), List.of())) {
        if (waiting.merge(r.getName(), -1, Integer::sum) == 0) {
          ready.add(r);
        }
      }
    }
    if (out.size() < g.nodes.size()) {
      throw new FoveaException(source + " has a cycle through " + waiting.entrySet().stream()
          .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).limit(5).toList()
          + ": re-export the SavedModel");
    }
    return out;
  }
}
