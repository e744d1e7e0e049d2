package org.fovea.models.tf;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The vector-Jacobian product of a SavedModel's first output, added to its graph with
 * {@link Graph#addGradients}. Refused for graphs with dilated convolutions, whose gradient
 * TensorFlow computes as if they were not dilated.
 */
final class TfGradient implements Differentiable {

  private static final List<String> DILATABLE = List.of("Conv2D", "Conv3D",
      "DepthwiseConv2dNative");

  private final TensorFlowNetwork net;
  private final String input;
  private final String weights;
  private final String gradient;
  private final TensorSpec inSpec;
  private final TensorSpec outSpec;

  private TfGradient(TensorFlowNetwork net, String input, String weights, String gradient,
      TensorSpec inSpec, TensorSpec outSpec) {
    this.net = net;
    this.input = input;
    this.weights = weights;
    this.gradient = gradient;
    this.inSpec = inSpec;
    this.outSpec = outSpec;
  }

  /**
   * @return the gradient, or empty when the graph has a dilated convolution or an op without a
   *     registered gradient
   */
  static Optional<Differentiable> build(TensorFlowNetwork net, Graph g, String in, String out,
      TensorSpec inSpec, TensorSpec outSpec) {
    if (hasDilation(g)) {
      return Optional.empty();
    }
    try {
      Output<?> x = output(g, in);
      Output<?> y = output(g, out);
      Ops tf = Ops.create(g).withSubScope("fovea_gradient");
      Placeholder<TFloat32> w = tf.placeholder(TFloat32.class);
      Output<?>[] dx = g.addGradients("fovea_gradient_dx", new Output<?>[] {y},
          new Output<?>[] {x}, new Output<?>[] {w.asOutput()});
      if (dx.length != 1 || dx[0] == null) {
        return Optional.empty();
      }
      return Optional.of(new TfGradient(net, in, name(w.asOutput()), name(dx[0]), inSpec,
          outSpec));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public Tensor gradient(Tensor in, Tensor outWeights) {
    TensorFlowNetwork.check(inSpec, in);
    if (!outWeights.axes().equals(outSpec.axes())) {
      throw new FoveaException("the gradient weights have axes '" + outWeights.axes()
          + "' but the output '" + outSpec.name() + "' has '" + outSpec.axes()
          + "': give weights shaped like the output");
    }
    return net.run(Map.of(input, in, weights, outWeights), List.of(gradient),
        List.of(in.axes())).get(0);
  }

  private static boolean hasDilation(Graph g) {
    return dilatedOp(g) != null;
  }

  /**
   * @param g a graph
   * @return the name of the first convolution with a native {@code dilations} attribute above 1,
   *     or null when there is none
   */
  static String dilatedOp(Graph g) {
    for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (DILATABLE.contains(op.type())) {
        for (long d : op.attributes().getAttrIntList("dilations")) {
          if (d != 1) {
            return op.name();
          }
        }
      }
    }
    return null;
  }

  /**
   * @param folder the SavedModel, for the sentence
   * @param op the natively dilated op
   * @return why gradients are refused, and what to do
   */
  static String dilationRefusal(java.nio.file.Path folder, String op) {
    return "the TensorFlow SavedModel " + folder + " has a natively dilated convolution ('" + op
        + "'), whose gradient TensorFlow computes as if it were not dilated, so Fovea gives no"
        + " gradients on it (convert the ONNX weights with Fovea's OnnxToSavedModel, which writes"
        + " dilated convolutions as SpaceToBatchND, Conv2D, BatchToSpaceND)";
  }

  private static Output<?> output(Graph g, String name) {
    int colon = name.lastIndexOf(':');
    String op = colon < 0 ? name : name.substring(0, colon);
    int index = colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1));
    return g.operationOrThrow(op).output(index);
  }

  private static String name(Output<?> o) {
    return o.op().name() + ":" + o.index();
  }
}
