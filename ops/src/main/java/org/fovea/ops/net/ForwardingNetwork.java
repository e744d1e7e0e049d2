package org.fovea.ops.net;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network that hands every call to another one; subclasses override what they change (a check
 * before the first prediction, a record of the inputs, a close that leaves the other open).
 *
 * @since 0.3.0
 */
public abstract class ForwardingNetwork implements Network {

  /** The network every call goes to. */
  protected final Network delegate;

  /** @param delegate the network every call goes to */
  protected ForwardingNetwork(Network delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<TensorSpec> inputs() {
    return delegate.inputs();
  }

  @Override
  public List<TensorSpec> outputs() {
    return delegate.outputs();
  }

  @Override
  public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
    return delegate.predict(inputs);
  }

  @Override
  public String engine() {
    return delegate.engine();
  }

  @Override
  public String device() {
    return delegate.device();
  }

  @Override
  public boolean concurrent() {
    return delegate.concurrent();
  }

  @Override
  public Optional<Differentiable> gradients() {
    return delegate.gradients();
  }

  @Override
  public String noGradientsReason() {
    return delegate.noGradientsReason();
  }

  @Override
  public Optional<Reinitializable> reinitializable() {
    return delegate.reinitializable();
  }

  @Override
  public Optional<LayerGradients> layerGradients() {
    return delegate.layerGradients();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
