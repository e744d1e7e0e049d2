package org.fovea.ops.net;

/**
 * The capability to differentiate a network's first output with respect to its first input.
 *
 * @since 0.1.0
 */
public interface Differentiable {

  /**
   * A vector-Jacobian product: the gradient of {@code sum(output * weights)} with respect to the
   * input, where {@code output} is the network's first output for {@code input}.
   *
   * @param input the input tensor
   * @param weights a tensor of the output's shape that weighs each output value
   * @return the gradient, with the input's shape
   */
  Tensor gradient(Tensor input, Tensor weights);
}
