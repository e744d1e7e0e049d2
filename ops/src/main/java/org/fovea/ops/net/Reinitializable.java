package org.fovea.ops.net;

import java.util.List;

/**
 * The capability to re-draw a network's weights layer by layer and to restore them, for the
 * model-randomization sanity check of saliency maps (Adebayo et al. 2018).
 *
 * @since 0.1.0
 */
public interface Reinitializable {

  /** @return the layers that hold weights, from the output back to the input */
  List<String> layers();

  /**
   * Replaces a layer's weights (and bias) by random values of the same shape and standard
   * deviation.
   *
   * @param layer one of {@link #layers()}
   * @param seed the random seed
   */
  void reinitialize(String layer, long seed);

  /** Puts every original weight back. */
  void restore();
}
