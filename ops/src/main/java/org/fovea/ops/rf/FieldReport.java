package org.fovea.ops.rf;

import java.util.List;

/**
 * What {@link ReceptiveFields#analyze(LayerGraph, long[])} found: every layer's receptive field,
 * the network output's, the paths that disagree and the layers that shift the grid.
 *
 * @param source what the graph was read from
 * @param inputSize the analysed input size per spatial axis
 * @param layers every layer, in the graph's topological order
 * @param output the network's (first) output
 * @param misaligned joins of paths that disagree on stride or centre; empty when aligned
 * @param warnings layers that shift the output grid off-centre
 * @param alignedSizes per spatial axis, the nearest input sizes below and above the analysed one
 *     at which the output's misalignment vanishes ({@code -1} when none is within reach); both
 *     equal the analysed size when it is aligned already
 * @param params trained parameters of all layers
 * @param flops floating-point operations of one forward pass at this input size
 * @since 0.1.0
 */
public record FieldReport(String source, long[] inputSize, List<LayerField> layers,
    LayerField output, List<Misalignment> misaligned, List<AlignmentWarning> warnings,
    long[][] alignedSizes, long params, double flops) {

  /** Copies the lists and arrays. */
  public FieldReport {
    inputSize = inputSize.clone();
    layers = List.copyOf(layers);
    misaligned = List.copyOf(misaligned);
    warnings = List.copyOf(warnings);
    long[][] c = new long[alignedSizes.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = alignedSizes[i].clone();
    }
    alignedSizes = c;
  }

  /**
   * @param name a layer name
   * @return its field, or null
   */
  public LayerField layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
  }

  /** @return per spatial axis, how far the output grid's centre lies off the image centre */
  public double[] misalignmentPx() {
    return output.axes().stream().mapToDouble(AxisField::misalignment).toArray();
  }

  /** @return whether every join of paths agrees on stride and centre */
  public boolean aligned() {
    return misaligned.isEmpty();
  }

  @Override
  public long[] inputSize() {
    return inputSize.clone();
  }

  @Override
  public long[][] alignedSizes() {
    long[][] c = new long[alignedSizes.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = alignedSizes[i].clone();
    }
    return c;
  }
}
