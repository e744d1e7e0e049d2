package org.fovea.ops.net;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A callable model: what it takes, what it gives, and {@link #predict(Map)}.
 *
 * <p>Engines implement it (see the {@code fovea-models} module); the algorithms in this module never
 * know which engine they talk to. A network owns native resources: close it when done. Tensors are
 * exchanged raw, before any pre-processing and after none: normalization belongs to the caller.
 *
 * @since 0.1.0
 */
public interface Network extends AutoCloseable {

  /** @return the input tensors, in the model's order */
  List<TensorSpec> inputs();

  /** @return the output tensors, in the model's order */
  List<TensorSpec> outputs();

  /**
   * Runs the network once.
   *
   * @param inputs one tensor per input, by name, with the axes of {@link #inputs()}
   * @return one tensor per output, by name
   * @throws FoveaException when the engine fails or a shape is not allowed
   */
  Map<String, Tensor> predict(Map<String, Tensor> inputs);

  /**
   * Runs a network with a single input and output.
   *
   * @param input the input tensor
   * @return the first output
   */
  default Tensor predict(Tensor input) {
    Map<String, Tensor> out = predict(Map.of(inputs().get(0).name(), input));
    return out.get(outputs().get(0).name());
  }

  /** @return the engine's name, such as {@code onnxruntime}, {@code pytorch} or {@code tensorflow} */
  String engine();

  /** @return the device that actually runs this network, such as {@code cpu} or {@code gpu:0} */
  String device();

  /**
   * @return whether {@link #predict(Map)} may be called from several threads at once; callers
   *     that run tiles or files in parallel call one at a time when it is false
   */
  default boolean concurrent() {
    return false;
  }

  /** @return the gradient capability when the engine can differentiate this network */
  default Optional<Differentiable> gradients() {
    return Optional.empty();
  }

  /**
   * @return when {@link #gradients()} is empty, a clause saying why (such as {@code engine
   *     'onnxruntime' cannot differentiate}); engines with a more specific reason override it
   */
  default String noGradientsReason() {
    return "engine '" + engine() + "' cannot differentiate this model";
  }

  /** @return the capability to re-draw weights layer by layer, when the engine has it */
  default Optional<Reinitializable> reinitializable() {
    return Optional.empty();
  }

  /** @return inner layers' activations and gradients (for Grad-CAM), when the engine has them */
  default Optional<LayerGradients> layerGradients() {
    return Optional.empty();
  }

  /** Frees the engine's resources for this network. */
  @Override
  void close();
}
