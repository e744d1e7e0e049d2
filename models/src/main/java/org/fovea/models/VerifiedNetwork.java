package org.fovea.models;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.ForwardingNetwork;
import org.fovea.ops.net.LayerGradients;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;

/**
 * A network that runs {@link SelfCheck} before its first prediction and before its first gradient,
 * so that every entry point (CLI, Fiji, scripts, batch, Spark) is guarded without knowing it.
 */
final class VerifiedNetwork extends ForwardingNetwork {

  private final Model model;
  private volatile boolean forwardChecked;
  private volatile boolean gradientChecked;

  VerifiedNetwork(Network raw, Model model) {
    super(raw);
    this.model = model;
  }

  /** @return the engine's network, unchecked */
  Network raw() {
    return delegate;
  }

  private void checkForward() {
    if (!forwardChecked) {
      synchronized (this) {
        if (!forwardChecked) {
          SelfCheck.forward(model, delegate);
          forwardChecked = true;
        }
      }
    }
  }

  private void checkGradients() {
    checkForward();
    if (!gradientChecked) {
      synchronized (this) {
        if (!gradientChecked) {
          SelfCheck.gradients(model, delegate);
          gradientChecked = true;
        }
      }
    }
  }

  @Override
  public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
    checkForward();
    return delegate.predict(inputs);
  }

  @Override
  public Optional<Differentiable> gradients() {
    return delegate.gradients().map(g -> (input, weights) -> {
      checkGradients();
      return g.gradient(input, weights);
    });
  }

  @Override
  public Optional<LayerGradients> layerGradients() {
    return delegate.layerGradients().map(lg -> new LayerGradients() {
      @Override
      public List<String> layers() {
        return lg.layers();
      }

      @Override
      public Tensor[] activationAndGradient(String layer, Tensor input, Tensor weights) {
        checkGradients();
        return lg.activationAndGradient(layer, input, weights);
      }
    });
  }
}
