package org.fovea.ops.rf;

/**
 * How a sliding window pads its input, in ONNX's terms ({@code auto_pad}); TensorFlow's
 * {@code SAME} is {@link #SAME_UPPER}.
 *
 * @since 0.1.0
 */
public enum PadMode {
  /** The pads are given per axis and side. */
  EXPLICIT,
  /**
   * Output size {@code ceil(n / stride)}; the total padding is split evenly, the odd pixel going
   * to the end (TensorFlow's SAME).
   */
  SAME_UPPER,
  /** Like {@link #SAME_UPPER}, with the odd pixel at the beginning. */
  SAME_LOWER,
  /** No padding. */
  VALID
}
