package org.fovea.ops.instances.volume;

/**
 * Seeded watershed by priority flooding on a 3D float landscape: the implementation behind {@link
 * org.fovea.ops.instances.Watershed}, whose 2D images are volumes of depth 1.
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

  /**
   * As {@link #flood(float[], LabelVolume, boolean[], Connectivity3D)}, choosing the queue.
   *
   * @param landscape heights, x fastest, then y, then z (NaN is treated as +infinity)
   * @param seeds initial labels, 0 where unlabelled; not modified
   * @param mask where flooding may go, or null for everywhere
   * @param conn which voxels touch
   * @param buckets false: always the binary heap (slower, the reference that the bucket queue,
   *     used for landscapes with few distinct heights, must equal); true: the faster queue
   * @return the flooded labels, the same either way
   */
  public static LabelVolume flood(float[] landscape, LabelVolume seeds, boolean[] mask,
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
    Neighbours nb = new Neighbours(conn, w, h, d);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && canGrow(labels, mask, i, nb)) {
        queue.push(landscape[i], i);
      }
    }
    while (!queue.isEmpty()) {
      int i = queue.pop();
      int li = labels[i];
      nb.moveTo(i);
      for (int k = 0; k < nb.count(); k++) {
        int j = nb.at(k);
        if (j >= 0 && labels[j] == 0 && (mask == null || mask[j])) {
          labels[j] = li;
          queue.push(landscape[j], j);
        }
      }
    }
    return new LabelVolume(w, h, d, labels, seeds.count());
  }

  /** Whether a seed voxel has a neighbour to flood: seeds surrounded by seeds need no queueing. */
  private static boolean canGrow(int[] labels, boolean[] mask, int i, Neighbours nb) {
    nb.moveTo(i);
    for (int k = 0; k < nb.count(); k++) {
      int j = nb.at(k);
      if (j >= 0 && labels[j] == 0 && (mask == null || mask[j])) {
        return true;
      }
    }
    return false;
  }
}
