package org.fovea.ops.instances.star;

/**
 * How much two polygons overlap, from their pixel areas {@code a}, {@code b} and the area of their
 * intersection {@code i} (areas counted on the pixel masks, see {@link PixelMask}).
 *
 * @since 0.1.0
 */
public enum StarOverlap {
  /** {@code i / min(a, b)}: StarDist's criterion; a small object inside a large one overlaps 1. */
  SMALLER,
  /** {@code i / (a + b - i)}: intersection over union. */
  IOU;

  /**
   * @param a area of the first polygon, pixels
   * @param b area of the second polygon, pixels
   * @param i area of their intersection, pixels
   * @return the overlap in [0, 1] (0 when either area is 0)
   */
  public double of(long a, long b, long i) {
    long d = this == SMALLER ? Math.min(a, b) : a + b - i;
    return d <= 0 ? 0 : (double) i / d;
  }
}
