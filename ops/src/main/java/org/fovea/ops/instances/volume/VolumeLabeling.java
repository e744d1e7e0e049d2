package org.fovea.ops.instances.volume;

/**
 * Connected components, hole filling, size filters and relabelling of 3D label volumes: the 3D
 * implementation behind {@link org.fovea.ops.instances.Labeling}, which passes 2D images as
 * volumes of depth 1.
 *
 * @since 0.3.0
 */
public final class VolumeLabeling {

  private VolumeLabeling() {}

  /**
   * @param mask foreground flags, x fastest, then y, then z
   * @param width columns
   * @param height rows
   * @param depth planes
   * @param conn which voxels touch
   * @return one label per connected component, numbered in raster order of their first voxel
   */
  public static LabelVolume components(boolean[] mask, int width, int height, int depth,
      Connectivity3D conn) {
    LabelVolume.checkSize(mask.length, width, height, depth);
    int[] labels = new int[mask.length];
    int[] queue = new int[mask.length];
    Neighbours nb = new Neighbours(conn, width, height, depth);
    int n = 0;
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || labels[start] != 0) {
        continue;
      }
      n++;
      labels[start] = n;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      while (head < tail) {
        nb.moveTo(queue[head++]);
        for (int k = 0; k < nb.count(); k++) {
          int j = nb.at(k);
          if (j >= 0 && mask[j] && labels[j] == 0) {
            labels[j] = n;
            queue[tail++] = j;
          }
        }
      }
    }
    return new LabelVolume(width, height, depth, labels, n);
  }

  /**
   * @param vol a label volume
   * @return the voxel count of each label, index = label (index 0: background)
   */
  public static long[] volumes(LabelVolume vol) {
    long[] a = new long[vol.count() + 1];
    for (int l : vol.labels()) {
      a[l]++;
    }
    return a;
  }

  /**
   * Fills holes: background regions (6-connected) that do not touch the volume's border and touch
   * only one label become part of that label. The border is the first and last column, row and
   * plane; a volume of depth 1 is one 2D image, whose border is its first and last column and
   * row (as in {@link org.fovea.ops.instances.Labeling#fillHoles}).
   *
   * @param vol a label volume
   * @return a new label volume with the same labels
   */
  public static LabelVolume fillHoles(LabelVolume vol) {
    int w = vol.width();
    int h = vol.height();
    int d = vol.depth();
    int[] src = vol.labels();
    boolean[] bg = new boolean[src.length];
    for (int i = 0; i < bg.length; i++) {
      bg[i] = src[i] == 0;
    }
    LabelVolume holes = components(bg, w, h, d, Connectivity3D.SIX);
    Neighbours nb = new Neighbours(Connectivity3D.SIX, w, h, d);
    int[] owner = new int[holes.count() + 1];
    for (int i = 0; i < src.length; i++) {
      int c = holes.labels()[i];
      if (c == 0) {
        continue;
      }
      nb.moveTo(i);
      if (nb.onBorder()) {
        owner[c] = -1;
      }
      for (int k = 0; k < nb.count() && owner[c] >= 0; k++) {
        int j = nb.at(k);
        int l = j >= 0 ? src[j] : 0;
        if (l != 0) {
          owner[c] = owner[c] == 0 || owner[c] == l ? l : -1;
        }
      }
    }
    int[] out = src.clone();
    for (int i = 0; i < out.length; i++) {
      int c = holes.labels()[i];
      if (c != 0 && owner[c] > 0) {
        out[i] = owner[c];
      }
    }
    return new LabelVolume(w, h, d, out, vol.count());
  }

  /**
   * Removes objects outside a size range and numbers the rest 1..n in raster order of their
   * first voxel (x fastest, then y, then z).
   *
   * @param vol a label volume
   * @param minVoxels smallest object kept, in voxels
   * @param maxVoxels largest object kept, in voxels (0: no limit)
   * @return the filtered, relabelled volume
   */
  public static LabelVolume filterSizes(LabelVolume vol, long minVoxels, long maxVoxels) {
    long[] size = volumes(vol);
    int[] map = new int[size.length];
    java.util.Arrays.fill(map, -1);
    map[0] = 0;
    int n = 0;
    int[] out = new int[vol.labels().length];
    for (int i = 0; i < out.length; i++) {
      int l = vol.labels()[i];
      if (map[l] < 0) {
        boolean keep = size[l] >= minVoxels && (maxVoxels <= 0 || size[l] <= maxVoxels);
        map[l] = keep ? ++n : 0;
      }
      out[i] = map[l];
    }
    return new LabelVolume(vol.width(), vol.height(), vol.depth(), out, n);
  }
}
