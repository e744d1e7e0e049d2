package org.fovea.ops.instances.volume;

import org.fovea.ops.instances.Connectivity;

/**
 * Which voxels touch: the 6 face neighbours, also the 12 edge neighbours (18), or also the 8
 * corner neighbours (26). Neighbours are numbered in raster order (x fastest, then y, then z), so
 * within a plane they come in the order of the 2D {@link Connectivity}.
 *
 * @since 0.3.0
 */
public enum Connectivity3D {
  /** Face neighbours only. */
  SIX(1),
  /** Face and edge neighbours. */
  EIGHTEEN(2),
  /** Face, edge and corner neighbours. */
  TWENTY_SIX(3);

  private final int[] offsets;

  Connectivity3D(int maxSteps) {
    int[] o = new int[3 * 26];
    int k = 0;
    for (int dz = -1; dz <= 1; dz++) {
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          int steps = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
          if (steps > 0 && steps <= maxSteps) {
            o[k++] = dx;
            o[k++] = dy;
            o[k++] = dz;
          }
        }
      }
    }
    offsets = java.util.Arrays.copyOf(o, k);
  }

  /**
   * The 3D connectivity that a 2D one stands for: edge neighbours ({@link Connectivity#FOUR})
   * become face neighbours ({@link #SIX}), edge and diagonal neighbours ({@link
   * Connectivity#EIGHT}) become all neighbours ({@link #TWENTY_SIX}). Within one plane each gives
   * the 2D neighbours.
   *
   * @param c a 2D connectivity
   * @return its 3D counterpart
   */
  public static Connectivity3D of(Connectivity c) {
    return c == Connectivity.FOUR ? SIX : TWENTY_SIX;
  }

  /** @return the number of neighbours */
  public int neighbours() {
    return offsets.length / 3;
  }

  /**
   * @param k neighbour number, in raster order
   * @return its column offset
   */
  public int dx(int k) {
    return offsets[3 * k];
  }

  /**
   * @param k neighbour number, in raster order
   * @return its row offset
   */
  public int dy(int k) {
    return offsets[3 * k + 1];
  }

  /**
   * @param k neighbour number, in raster order
   * @return its plane offset
   */
  public int dz(int k) {
    return offsets[3 * k + 2];
  }
}
