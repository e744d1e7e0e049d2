package org.fovea.ops.instances.volume;

import java.util.Arrays;

/**
 * Regional maxima of a 3D height map with their dynamics (26-connected): the implementation
 * behind {@link org.fovea.ops.instances.Maxima}, whose 2D images are volumes of depth 1 (within
 * one plane, 26-connected is 8-connected). Flooding downwards from the highest voxel, a maximum's
 * dynamic is how far the level falls before its region meets a region with a higher peak
 * (infinite for the highest peak of each connected part).
 *
 * @since 0.3.0
 */
public final class VolumeMaxima {

  private VolumeMaxima() {}

  /**
   * @param values heights, x fastest, then y, then z
   * @param mask where to look, or null for everywhere
   * @param width columns
   * @param height rows
   * @param depth planes
   * @param minDynamic maxima whose dynamic is not greater than this are dropped (0: every regional
   *     maximum, one voxel per plateau)
   * @return one single-voxel seed per kept maximum (its first voxel in processing order),
   *     numbered 1..n in raster order
   */
  public static LabelVolume seeds(float[] values, boolean[] mask, int width, int height,
      int depth, double minDynamic) {
    LabelVolume.checkSize(values.length, width, height, depth);
    int n = values.length;
    long[] keys = new long[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (mask == null || mask[i]) {
        int b = Float.floatToIntBits(-(values[i] + 0f)); // descending heights
        int order = b ^ ((b >> 31) & 0x7fffffff);
        keys[m++] = ((long) order << 32) | i;
      }
    }
    keys = sortByHeight(keys, m);
    int[] parent = new int[n];
    Arrays.fill(parent, -1);
    int[] peak = new int[n]; // for roots: the basin's first voxel
    boolean[] created = new boolean[n];
    double[] dynamic = new double[n];
    Arrays.fill(dynamic, Double.POSITIVE_INFINITY);
    Neighbours nb = new Neighbours(Connectivity3D.TWENTY_SIX, width, height, depth);
    int[] roots = new int[nb.count()];
    for (long key : keys) {
      int p = (int) (key & 0xffffffffL);
      float v = values[p];
      nb.moveTo(p);
      int k = 0;
      for (int q = 0; q < nb.count(); q++) {
        int j = nb.at(q);
        if (j >= 0 && parent[j] >= 0) {
          int r = find(parent, j);
          boolean seen = false;
          for (int s = 0; s < k; s++) {
            seen |= roots[s] == r;
          }
          if (!seen) {
            roots[k++] = r;
          }
        }
      }
      if (k == 0) {
        parent[p] = p;
        peak[p] = p;
        created[p] = true;
        continue;
      }
      int win = roots[0];
      for (int s = 1; s < k; s++) {
        if (higher(values, peak[roots[s]], peak[win])) {
          win = roots[s];
        }
      }
      for (int s = 0; s < k; s++) {
        if (roots[s] != win) {
          dynamic[peak[roots[s]]] = (double) values[peak[roots[s]]] - v;
          parent[roots[s]] = win;
        }
      }
      parent[p] = win;
    }
    int[] labels = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (created[i] && dynamic[i] > minDynamic) {
        labels[i] = ++count;
      }
    }
    return new LabelVolume(width, height, depth, labels, count);
  }

  /**
   * Sorts the first m keys by their upper 32 bits as a signed int, stably (an LSD radix sort, 8
   * bits a pass). Keys made in increasing voxel order as {@code (order << 32) | index} thus come
   * in the order a full sort of the keys gives: by height, equal heights in voxel order. Both the
   * maxima (descending heights) and the watershed's bucket queue sort their voxels so.
   *
   * @param keys the keys; may be longer than m, and may be reused as a buffer
   * @param m how many keys to sort
   * @return the first m keys sorted (keys itself or a new array of length m)
   */
  public static long[] sortByHeight(long[] keys, int m) {
    long[] a = keys;
    long[] b = new long[m];
    int[] count = new int[257];
    for (int shift = 32; shift < 64; shift += 8) {
      Arrays.fill(count, 0);
      int flip = shift == 56 ? 0x80 : 0; // the sign bit: negative heights first
      for (int i = 0; i < m; i++) {
        count[(int) (((a[i] >>> shift) & 0xff) ^ flip) + 1]++;
      }
      for (int r = 0; r < 256; r++) {
        count[r + 1] += count[r];
      }
      for (int i = 0; i < m; i++) {
        b[count[(int) (((a[i] >>> shift) & 0xff) ^ flip)]++] = a[i];
      }
      long[] t = a;
      a = b;
      b = t;
    }
    return a.length == m ? a : Arrays.copyOf(a, m);
  }

  /** Whether peak a is higher than peak b; on equal heights, the lower index (processed first). */
  private static boolean higher(float[] v, int a, int b) {
    return v[a] > v[b] || (v[a] == v[b] && a < b);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
