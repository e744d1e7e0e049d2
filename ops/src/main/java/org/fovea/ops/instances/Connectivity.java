package org.fovea.ops.instances;

/**
 * Which pixels touch: the 4 edge neighbours, or also the 4 diagonal ones.
 *
 * @since 0.1.0
 */
public enum Connectivity {
  /** Edge neighbours only. */
  FOUR(new int[] {0, -1, -1, 0, 1, 0, 0, 1}),
  /** Edge and diagonal neighbours. */
  EIGHT(new int[] {-1, -1, 0, -1, 1, -1, -1, 0, 1, 0, -1, 1, 0, 1, 1, 1});

  private final int[] offsets;

  Connectivity(int[] offsets) {
    this.offsets = offsets;
  }

  /** @return the number of neighbours */
  public int neighbours() {
    return offsets.length / 2;
  }

  /**
   * @param k neighbour number, in raster order
   * @return its column offset
   */
  public int dx(int k) {
    return offsets[2 * k];
  }

  /**
   * @param k neighbour number, in raster order
   * @return its row offset
   */
  public int dy(int k) {
    return offsets[2 * k + 1];
  }
}
