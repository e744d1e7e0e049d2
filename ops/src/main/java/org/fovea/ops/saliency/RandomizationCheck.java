package org.fovea.ops.saliency;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Reinitializable;
import org.fovea.ops.net.Tensor;

/**
 * The model-randomization sanity check (Adebayo et al. 2018, cascading): re-draw the weights
 * layer by layer from the output back, recompute the map after each layer, and report the
 * Spearman rank correlation of the absolute maps with the original. A method that explains the
 * model gives low correlations; one that only reflects the image keeps them high.
 *
 * @since 0.1.0
 */
public final class RandomizationCheck {

  /**
   * One step of the cascade.
   *
   * @param layer the last layer re-drawn (all layers above it are re-drawn too)
   * @param spearman rank correlation of |original map| and |map of the randomized model|
   * @param signedSpearman rank correlation of the signed maps
   */
  public record Step(String layer, double spearman, double signedSpearman) {}

  private RandomizationCheck() {}

  /**
   * @param net the network; its weights are restored before this returns
   * @param method computes a map on the network as it currently is
   * @param seed seed of the random weights
   * @return one step per layer, from the output back to the input
   */
  public static List<Step> cascade(Network net, Function<Network, Tensor> method, long seed) {
    Reinitializable r = net.reinitializable().orElseThrow(() -> new FoveaException("engine '"
        + net.engine() + "' cannot re-draw the model's weights for the randomization check: run"
        + " --sanity with --engine pytorch on a TorchScript model"));
    float[] original = method.apply(net).data().clone();
    List<Step> steps = new ArrayList<>();
    try {
      int i = 0;
      for (String layer : r.layers()) {
        r.reinitialize(layer, seed + i++);
        float[] m = method.apply(net).data();
        steps.add(new Step(layer, RankCorrelation.spearman(abs(original), abs(m)),
            RankCorrelation.spearman(original, m)));
      }
    } finally {
      r.restore();
    }
    return steps;
  }

  private static float[] abs(float[] v) {
    float[] a = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      a[i] = Math.abs(v[i]);
    }
    return a;
  }
}
