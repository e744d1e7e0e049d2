package org.fovea.ops.instances;

/**
 * An axis-aligned box from (x0, y0) to (x1, y1), corners as continuous coordinates.
 *
 * @param x0 left
 * @param y0 top
 * @param x1 right, at least {@code x0}
 * @param y1 bottom, at least {@code y0}
 * @since 0.1.0
 */
public record Box(double x0, double y0, double x1, double y1) {

  /** Validates the corners. */
  public Box {
    if (!(x1 >= x0 && y1 >= y0)) {
      throw new IllegalArgumentException("box corners out of order or NaN: (" + x0 + ", " + y0
          + ") to (" + x1 + ", " + y1 + ")");
    }
  }

  /** @return width times height */
  public double area() {
    return (x1 - x0) * (y1 - y0);
  }

  /**
   * @param o another box
   * @return the area both cover
   */
  public double intersection(Box o) {
    double w = Math.min(x1, o.x1) - Math.max(x0, o.x0);
    double h = Math.min(y1, o.y1) - Math.max(y0, o.y0);
    return w > 0 && h > 0 ? w * h : 0;
  }

  /**
   * @param o another box
   * @return intersection over union, 0 when the union is empty
   */
  public double iou(Box o) {
    double i = intersection(o);
    double u = area() + o.area() - i;
    return u > 0 ? i / u : 0;
  }
}
