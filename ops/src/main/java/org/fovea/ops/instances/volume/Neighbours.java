package org.fovea.ops.instances.volume;

/**
 * The neighbours of one voxel at a time in a volume of a given size, in the raster order of a
 * {@link Connectivity3D}. In a volume of depth 1 only the neighbours within its plane (dz = 0)
 * are visited, in the order of the 2D {@link org.fovea.ops.instances.Connectivity}: a 2D image
 * pays for no out-of-plane neighbour.
 */
final class Neighbours {
  private final int count;
  private final int[] dx;
  private final int[] dy;
  private final int[] dz;
  private final int[] step;
  private final int width;
  private final int height;
  private final int depth;
  private final int plane;
  private int voxel;
  private int x;
  private int y;
  private int z;
  private boolean inner;

  /**
   * @param conn which voxels touch
   * @param width columns
   * @param height rows
   * @param depth planes
   */
  Neighbours(Connectivity3D conn, int width, int height, int depth) {
    int all = conn.neighbours();
    dx = new int[all];
    dy = new int[all];
    dz = new int[all];
    step = new int[all];
    int n = 0;
    for (int k = 0; k < all; k++) {
      if (depth > 1 || conn.dz(k) == 0) {
        dx[n] = conn.dx(k);
        dy[n] = conn.dy(k);
        dz[n] = conn.dz(k);
        step[n] = (dz[n] * height + dy[n]) * width + dx[n];
        n++;
      }
    }
    count = n;
    this.width = width;
    this.height = height;
    this.depth = depth;
    plane = width * height;
  }

  /** @return how many neighbours a voxel has at most */
  int count() {
    return count;
  }

  /**
   * Makes a voxel the current one.
   *
   * @param i its index, {@code (z * height + y) * width + x}
   */
  void moveTo(int i) {
    voxel = i;
    z = depth == 1 ? 0 : i / plane;
    int r = i - z * plane;
    y = r / width;
    x = r - y * width;
    inner = x > 0 && y > 0 && x < width - 1 && y < height - 1
        && (depth == 1 || (z > 0 && z < depth - 1));
  }

  /**
   * @return whether the current voxel lies on the border: the first or last column or row, or,
   *     when the depth is more than 1, the first or last plane (a volume of depth 1 is one 2D
   *     image, bordered by its first and last column and row)
   */
  boolean onBorder() {
    return !inner;
  }

  /**
   * @param k neighbour number, below {@link #count()}
   * @return the index of that neighbour of the current voxel, or -1 where it lies outside
   */
  int at(int k) {
    if (inner) {
      return voxel + step[k];
    }
    int nx = x + dx[k];
    int ny = y + dy[k];
    int nz = z + dz[k];
    return nx >= 0 && ny >= 0 && nz >= 0 && nx < width && ny < height && nz < depth
        ? voxel + step[k] : -1;
  }
}
