package org.fovea.ops.instances.star;

/**
 * A star-convex polygon: a centre and the distances from it to the boundary along {@code n} rays
 * at equal angles {@code 2*pi*k/n}, measured from the +x axis towards +y (y points down, as in
 * image rows). Vertex {@code k} lies at {@code (x + r[k] cos a_k, y + r[k] sin a_k)}; pixel centres
 * sit at integer coordinates.
 *
 * @param x centre column
 * @param y centre row
 * @param radii distances along the rays in pixels, not negative; not copied
 * @param score the object probability at the centre
 * @since 0.1.0
 */
public record StarPolygon(double x, double y, float[] radii, double score) {

  /** Checks that there are at least 3 rays. */
  public StarPolygon {
    if (radii.length < 3) {
      throw new IllegalArgumentException("a star-convex polygon needs at least 3 rays, got "
          + radii.length);
    }
  }

  /** @return the number of rays */
  public int rays() {
    return radii.length;
  }

  /**
   * @param k a ray index
   * @return the column of vertex {@code k}
   */
  public double vertexX(int k) {
    return x + radii[k] * Math.cos(2 * Math.PI * k / radii.length);
  }

  /**
   * @param k a ray index
   * @return the row of vertex {@code k}
   */
  public double vertexY(int k) {
    return y + radii[k] * Math.sin(2 * Math.PI * k / radii.length);
  }
}
