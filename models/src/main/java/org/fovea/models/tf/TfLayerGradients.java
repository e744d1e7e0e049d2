package org.fovea.models.tf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.LayerGradients;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Inner activations of a SavedModel and the gradient of its weighted first output with respect
 * to them, for Grad-CAM. The layers are the graph's activation and pooling ops with a rank-4
 * output (NHWC inside graphs that Fovea converted; read back as {@code bcyx}). Each layer's
 * gradient is added to the graph the first time it is asked for.
 */
final class TfLayerGradients implements LayerGradients {

  private static final Set<String> KINDS = Set.of("Relu", "Relu6", "Elu", "Selu", "Sigmoid",
      "Tanh", "LeakyRelu", "MaxPool", "AvgPool", "ConcatV2", "BatchToSpaceND");

  private final TensorFlowNetwork net;
  private final Graph graph;
  private final String input;
  private final String output;
  private final TensorSpec inSpec;
  private final List<String> layers = new ArrayList<>();
  private final Map<String, String[]> built = new HashMap<>();

  TfLayerGradients(TensorFlowNetwork net, Graph graph, String input, String output,
      TensorSpec inSpec) {
    this.net = net;
    this.graph = graph;
    this.input = input;
    this.output = output;
    this.inSpec = inSpec;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (KINDS.contains(op.type()) && !op.name().startsWith("fovea_")
          && op.numOutputs() > 0 && op.output(0).shape().numDimensions() == 4) {
        layers.add(op.name());
      }
    }
  }

  @Override
  public List<String> layers() {
    return List.copyOf(layers);
  }

  @Override
  public synchronized Tensor[] activationAndGradient(String layer, Tensor in, Tensor weights) {
    if (!layers.contains(layer)) {
      throw new FoveaException("the SavedModel " + net.folder() + " has no layer '" + layer
          + "': choose one of " + layers);
    }
    TensorFlowNetwork.check(inSpec, in);
    String[] names = built.computeIfAbsent(layer, this::build);
    List<Tensor> r = net.run(Map.of(input, in, names[0], weights), List.of(layer + ":0",
        names[1]), List.of(Axes.of("byxc"), Axes.of("byxc")));
    return new Tensor[] {nchw(r.get(0)), nchw(r.get(1))};
  }

  private String[] build(String layer) {
    try {
      Output<?> y = out(output);
      Output<?> a = graph.operationOrThrow(layer).output(0);
      Ops tf = Ops.create(graph).withSubScope("fovea_cam");
      Placeholder<TFloat32> w = tf.placeholder(TFloat32.class);
      Output<?>[] d = graph.addGradients("fovea_cam_" + layers.indexOf(layer),
          new Output<?>[] {y}, new Output<?>[] {a}, new Output<?>[] {w.asOutput()});
      return new String[] {w.asOutput().op().name() + ":0",
          d[0].op().name() + ":" + d[0].index()};
    } catch (RuntimeException e) {
      throw new FoveaException("TensorFlow cannot differentiate the SavedModel " + net.folder()
          + " with respect to layer '" + layer + "' (" + e.getMessage() + "): choose another"
          + " layer", e);
    }
  }

  private Output<?> out(String name) {
    int colon = name.lastIndexOf(':');
    return graph.operationOrThrow(colon < 0 ? name : name.substring(0, colon))
        .output(colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1)));
  }

  /** NHWC to NCHW. */
  private static Tensor nchw(Tensor t) {
    long[] s = t.shape();
    int b = (int) s[0];
    int h = (int) s[1];
    int w = (int) s[2];
    int c = (int) s[3];
    float[] d = new float[t.data().length];
    for (int n = 0; n < b; n++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int k = 0; k < c; k++) {
            d[((n * c + k) * h + y) * w + x] = t.data()[((n * h + y) * w + x) * c + k];
          }
        }
      }
    }
    return new Tensor(Axes.of("bcyx"), new long[] {b, c, h, w}, d);
  }
}
