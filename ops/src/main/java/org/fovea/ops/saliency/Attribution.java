package org.fovea.ops.saliency;

import org.fovea.ops.net.Tensor;

/**
 * A saliency map with what is known about how far it can be trusted.
 *
 * @param map the attribution per input value, with the input's shape
 * @param score the target's value at the input, F(x)
 * @param baselineScore the target's value at the baseline, F(b) (NaN when the method has none)
 * @param completenessError for Integrated Gradients, {@code |sum(map) - (F(x) - F(b))| / |F(x) -
 *     F(b)|}; NaN for other methods
 * @param passes forward (and backward) passes over single inputs that were run
 * @since 0.1.0
 */
public record Attribution(Tensor map, double score, double baselineScore,
    double completenessError, long passes) {

  /** @return the sum of the map */
  public double sum() {
    double s = 0;
    for (float v : map.data()) {
      s += v;
    }
    return s;
  }
}
