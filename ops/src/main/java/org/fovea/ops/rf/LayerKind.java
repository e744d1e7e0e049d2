package org.fovea.ops.rf;

/**
 * What a layer does to the geometry of its input, the only thing the receptive-field analysis
 * needs to know about it.
 *
 * @since 0.1.0
 */
public enum LayerKind {
  /** A network input: the image itself. */
  INPUT,
  /** A convolution (plain, dilated, grouped or depthwise) with a {@link Window}. */
  CONV,
  /** A transposed convolution with a {@link Window}: each input spreads over a kernel. */
  CONV_TRANSPOSE,
  /** Max pooling with a {@link Window}. */
  MAX_POOL,
  /** Average pooling with a {@link Window}. */
  AVG_POOL,
  /** Padding (positive amounts) or cropping (negative amounts), a window of size 1. */
  PAD,
  /** Up- or down-sampling by a rational factor ({@link Resize}). */
  RESIZE,
  /** An element-wise sum, product or maximum of inputs of one size (broadcast size 1 allowed). */
  ADD,
  /** A concatenation of inputs of one size along the channels. */
  CONCAT,
  /** An operation on each position alone (activation, normalization, bias): no geometry. */
  POINTWISE,
  /** An operation over all positions at once (global pooling, flatten, a dense layer): size 1. */
  GLOBAL;

  /** @return whether the layer reads a sliding window and so has a {@link Window} */
  public boolean hasWindow() {
    return this == CONV || this == CONV_TRANSPOSE || this == MAX_POOL || this == AVG_POOL
        || this == PAD;
  }

  /** @return whether the layer joins several inputs */
  public boolean isMerge() {
    return this == ADD || this == CONCAT;
  }
}
