package org.fovea.ops.rf;

import java.util.List;

/**
 * A layer that joins paths whose outputs do not look at the same place: their strides or the
 * centres of their receptive fields differ.
 *
 * @param layer the joining layer (an add or a concat)
 * @param axis the spatial axis where they differ
 * @param inputs the layers it joins
 * @param strides the stride of each input
 * @param centres the centre of the first output of each input, in image pixels
 * @since 0.1.0
 */
public record Misalignment(String layer, int axis, List<String> inputs, List<Double> strides,
    List<Double> centres) {

  /** Copies the lists. */
  public Misalignment {
    inputs = List.copyOf(inputs);
    strides = List.copyOf(strides);
    centres = List.copyOf(centres);
  }

  @Override
  public String toString() {
    return "layer '" + layer + "' joins " + inputs + " with strides " + strides + " and centres "
        + centres + " on axis " + axis;
  }
}
