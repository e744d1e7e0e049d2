package org.fovea.ops.rf;

import java.util.List;

/**
 * The receptive field of one layer's output on every spatial axis, with its parameters and
 * floating-point operations.
 *
 * @param name the layer's name
 * @param opType the layer's operator, as the model names it
 * @param kind what the layer does to the geometry
 * @param axes one field per spatial axis, in the model's order of spatial axes
 * @param params trained parameters of this layer
 * @param flops floating-point operations of this layer for the analysed input size (2 per
 *     multiply-add of convolutions, transposed convolutions and dense layers; 0 for the others)
 * @since 0.1.0
 */
public record LayerField(String name, String opType, LayerKind kind, List<AxisField> axes,
    long params, double flops) {

  /** Copies the list. */
  public LayerField {
    axes = List.copyOf(axes);
  }

  /**
   * @param a a spatial axis
   * @return the field on that axis
   */
  public AxisField axis(int a) {
    return axes.get(a);
  }
}
