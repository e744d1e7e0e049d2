package org.fovea.models;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.LayerGradients;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Reinitializable;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * A network that runs {@link SelfCheck} before its first prediction and before its first gradient,
 * so that every entry point (CLI, Fiji, scripts, batch, Spark) is guarded without knowing it.
 */
final class VerifiedNetwork implements Network {

  private final Network raw;
  private final Model model;
  private volatile boolean forwardChecked;
  private volatile boolean gradientChecked;

  VerifiedNetwork(Network raw, Model model) {
    this.raw = raw;
    this.model = model;
  }

  /** @return the engine's network, unchecked */
  Network raw() {
    return raw;
  }

  private void checkForward() {
    if (!forwardChecked) {
      synchronized (this) {
        if (!forwardChecked) {
          SelfCheck.forward(model, raw);
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
          SelfCheck.gradients(model, raw);
          gradientChecked = true;
        }
      }
    }
  }

  @Override
  public List<TensorSpec> inputs() {
    return raw.inputs();
  }

  @Override
  public List<TensorSpec> outputs() {
    return raw.outputs();
  }

  @Override
  public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
    checkForward();
    return raw.predict(inputs);
  }

  @Override
  public boolean concurrent() {
    return raw.concurrent();
  }

  @Override
  public String engine() {
    return raw.engine();
  }

  @Override
  public String device() {
    return raw.device();
  }

  @Override
  public Optional<Differentiable> gradients() {
    return raw.gradients().map(g -> (input, weights) -> {
      checkGradients();
      return g.gradient(input, weights);
    });
  }

  @Override
  public String noGradientsReason() {
    return raw.noGradientsReason();
  }

  @Override
  public Optional<Reinitializable> reinitializable() {
    return raw.reinitializable();
  }

  @Override
  public Optional<LayerGradients> layerGradients() {
    return raw.layerGradients().map(lg -> new LayerGradients() {
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

  @Override
  public void close() {
    raw.close();
  }
}
