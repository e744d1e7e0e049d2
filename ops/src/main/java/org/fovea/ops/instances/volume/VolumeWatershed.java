package org.fovea.ops.instances.volume;

/**
 * Seeded watershed by priority flooding on a 3D float landscape: the 3D counterpart of {@link
 * org.fovea.ops.instances.Watershed}, with the same rules.
 *
 * <p>Seeds are queued in raster order (x fastest, then y, then z; those with a neighbour to
 * flood). The lowest queued voxel is taken next (on equal heights, the one queued first); each
 * unlabelled neighbour inside the mask, in raster order of the neighbours, takes its label and is
 * queued at its own height. So every run is deterministic, a plateau between two seeds is split
 * half-way, and a volume of depth 1 floods exactly as the 2D watershed.
 *
 * @since 0.3.0
 */
public final class VolumeWatershed {

  private VolumeWatershed() {}

  /**
   * @param landscape heights, x fastest, then y, then z (NaN is treated as +infinity)
   * @param seeds initial labels, 0 where unlabelled; not modified
   * @param mask where flooding may go, or null for everywhere
   * @param conn which voxels touch
   * @return the flooded labels; voxels outside the mask or unreachable from a seed stay 0
   */
  public static LabelVolume flood(float[] landscape, LabelVolume seeds, boolean[] mask,
      Connectivity3D conn) {
    return flood(landscape, seeds, mask, conn, true);
  }

  /** With {@code buckets} false, always the binary heap (the reference the tests compare to). */
  static LabelVolume flood(float[] landscape, LabelVolume seeds, boolean[] mask,
      Connectivity3D conn, boolean buckets) {
    int w = seeds.width();
    int h = seeds.height();
    int d = seeds.depth();
    LabelVolume.checkSize(landscape.length, w, h, d);
    if (mask != null) {
      LabelVolume.checkSize(mask.length, w, h, d);
    }
    int[] labels = seeds.labels().clone();
    FloodQueue queue = FloodQueue.of(landscape, labels, mask, buckets);
    int nb = conn.neighbours();
    int[] dx = new int[nb];
    int[] dy = new int[nb];
    int[] dz = new int[nb];
    int[] step = new int[nb];
    int plane = w * h;
    for (int k = 0; k < nb; k++) {
      dx[k] = conn.dx(k);
      dy[k] = conn.dy(k);
      dz[k] = conn.dz(k);
      step[k] = dz[k] * plane + dy[k] * w + dx[k];
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && canGrow(labels, mask, i, w, h, d, conn)) {
        queue.push(landscape[i], i);
      }
    }
    while (!queue.isEmpty()) {
      int i = queue.pop();
      int z = i / plane;
      int y = (i - z * plane) / w;
      int x = i - z * plane - y * w;
      int li = labels[i];
      boolean inner = x > 0 && y > 0 && z > 0 && x < w - 1 && y < h - 1 && z < d - 1;
      for (int k = 0; k < nb; k++) {
        int nx = x + dx[k];
        int ny = y + dy[k];
        int nz = z + dz[k];
        if (inner || (nx >= 0 && ny >= 0 && nz >= 0 && nx < w && ny < h && nz < d)) {
          int j = i + step[k];
          if (labels[j] == 0 && (mask == null || mask[j])) {
            labels[j] = li;
            queue.push(landscape[j], j);
          }
        }
      }
    }
    return new LabelVolume(w, h, d, labels, seeds.count());
  }

  /** Whether a seed voxel has a neighbour to flood: seeds surrounded by seeds need no queueing. */
  private static boolean canGrow(int[] labels, boolean[] mask, int i, int w, int h, int d,
      Connectivity3D conn) {
    int plane = w * h;
    int z = i / plane;
    int y = (i - z * plane) / w;
    int x = i - z * plane - y * w;
    for (int k = 0; k < conn.neighbours(); k++) {
      int nx = x + conn.dx(k);
      int ny = y + conn.dy(k);
      int nz = z + conn.dz(k);
      if (nx >= 0 && ny >= 0 && nz >= 0 && nx < w && ny < h && nz < d) {
        int j = (nz * h + ny) * w + nx;
        if (labels[j] == 0 && (mask == null || mask[j])) {
          return true;
        }
      }
    }
    return false;
  }
}
