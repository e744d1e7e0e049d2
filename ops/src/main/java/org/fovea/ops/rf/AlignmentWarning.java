package org.fovea.ops.rf;

/**
 * A layer that moves the output grid off the centre of its input, such as a stride-2 layer with
 * SAME-style padding whose kernel and input size differ in parity.
 *
 * @param layer the layer's name
 * @param opType its operator
 * @param axis the spatial axis
 * @param inputSize the layer's input size on that axis
 * @param shift the shift in the layer's input pixels
 * @param shiftPx the same shift in image pixels (weighted by the layer's input stride)
 * @since 0.1.0
 */
public record AlignmentWarning(String layer, String opType, int axis, long inputSize,
    double shift, double shiftPx) {

  @Override
  public String toString() {
    return "layer '" + layer + "' (" + opType + ") on an input of " + inputSize + " shifts the grid"
        + " by " + shift + " of its input pixels (" + shiftPx + " image pixels) on axis " + axis;
  }
}
