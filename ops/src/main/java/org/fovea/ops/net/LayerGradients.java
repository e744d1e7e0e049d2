package org.fovea.ops.net;

import java.util.List;

/**
 * The capability to read an inner layer's activation together with the gradient of a weighted
 * output with respect to it, as Grad-CAM needs.
 *
 * @since 0.1.0
 */
public interface LayerGradients {

  /** @return the names of the layers that can be read, input side first */
  List<String> layers();

  /**
   * @param layer one of {@link #layers()}
   * @param input the network's first input
   * @param weights weights shaped like the first output
   * @return the layer's activation and {@code d sum(output * weights) / d activation}, both with
   *     the activation's shape ({@code bcyx})
   */
  Tensor[] activationAndGradient(String layer, Tensor input, Tensor weights);
}
