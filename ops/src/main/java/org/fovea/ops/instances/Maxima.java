package org.fovea.ops.instances;

import java.util.Arrays;

/**
 * Regional maxima of a height map with their dynamics: flooding downwards from the highest pixel,
 * a maximum's dynamic is how far the level falls before its region meets a region with a higher
 * peak (infinite for the highest peak of each connected part).
 *
 * @since 0.1.0
 */
public final class Maxima {

  private Maxima() {}

  /**
   * @param values heights, row by row
   * @param mask where to look, or null for everywhere
   * @param width columns
   * @param height rows
   * @param minDynamic maxima whose dynamic is not greater than this are dropped (0: every regional
   *     maximum, one pixel per plateau)
   * @return one single-pixel seed per kept maximum (its first pixel in processing order),
   *     numbered 1..n in raster order
   */
  public static LabelImage seeds(float[] values, boolean[] mask, int width, int height,
      double minDynamic) {
    LabelImage.checkSize(values.length, width, height);
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
    int[] peak = new int[n]; // for roots: the basin's first pixel
    boolean[] created = new boolean[n];
    double[] dynamic = new double[n];
    Arrays.fill(dynamic, Double.POSITIVE_INFINITY);
    int[] roots = new int[8];
    for (long key : keys) {
      int p = (int) (key & 0xffffffffL);
      float v = values[p];
      int x = p % width;
      int y = p / width;
      int k = 0;
      for (int q = 0; q < 8; q++) {
        int nx = x + Connectivity.EIGHT.dx(q);
        int ny = y + Connectivity.EIGHT.dy(q);
        if (nx >= 0 && ny >= 0 && nx < width && ny < height && parent[ny * width + nx] >= 0) {
          int r = find(parent, ny * width + nx);
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
    return new LabelImage(width, height, labels, count);
  }

  /**
   * Sorts the first m keys by their upper 32 bits, stably (an LSD radix sort, 8 bits a pass): the
   * keys were made in increasing pixel order, so equal heights stay in pixel order, which is the
   * order a full sort of the keys gives.
   */
  static long[] sortByHeight(long[] keys, int m) {
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
