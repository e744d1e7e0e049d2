package org.fovea.ops.instances;

import java.util.Arrays;

/**
 * Seeded watershed by priority flooding on a float landscape.
 *
 * <p>Seeds are queued in raster order (those with a neighbour to flood). The lowest queued pixel
 * is taken next (on equal heights, the one queued first); each unlabelled neighbour inside the
 * mask takes its label and is queued at its own height. So every run is deterministic, and a
 * plateau between two seeds is split half-way, the earlier seed taking the middle pixel.
 *
 * @since 0.1.0
 */
public final class Watershed {

  private Watershed() {}

  /**
   * @param landscape heights, row by row (NaN is treated as +infinity)
   * @param seeds initial labels, 0 where unlabelled; not modified
   * @param mask where flooding may go, or null for everywhere
   * @param conn which pixels touch
   * @return the flooded labels; pixels outside the mask or unreachable from a seed stay 0
   */
  public static LabelImage flood(float[] landscape, LabelImage seeds, boolean[] mask,
      Connectivity conn) {
    int w = seeds.width();
    int h = seeds.height();
    LabelImage.checkSize(landscape.length, w, h);
    if (mask != null) {
      LabelImage.checkSize(mask.length, w, h);
    }
    int[] labels = seeds.labels().clone();
    Heap heap = new Heap(labels.length);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && canGrow(labels, mask, i, w, h, conn)) {
        heap.push(landscape[i], i);
      }
    }
    while (!heap.isEmpty()) {
      int i = heap.pop();
      int x = i % w;
      int y = i / w;
      for (int k = 0; k < conn.neighbours(); k++) {
        int nx = x + conn.dx(k);
        int ny = y + conn.dy(k);
        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
          int j = ny * w + nx;
          if (labels[j] == 0 && (mask == null || mask[j])) {
            labels[j] = labels[i];
            heap.push(landscape[j], j);
          }
        }
      }
    }
    return new LabelImage(w, h, labels, seeds.count());
  }

  /** Whether a seed pixel has a neighbour to flood: seeds surrounded by seeds need no queueing. */
  private static boolean canGrow(int[] labels, boolean[] mask, int i, int w, int h,
      Connectivity conn) {
    int x = i % w;
    int y = i / w;
    for (int k = 0; k < conn.neighbours(); k++) {
      int nx = x + conn.dx(k);
      int ny = y + conn.dy(k);
      if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
        int j = ny * w + nx;
        if (labels[j] == 0 && (mask == null || mask[j])) {
          return true;
        }
      }
    }
    return false;
  }

  /** A binary min-heap of (height, queue order) keys packed in longs; every pixel enters once. */
  private static final class Heap {
    private long[] keys;
    private final int[] pixel;
    private int size;
    private int age;

    Heap(int pixels) {
      keys = new long[Math.max(16, Math.min(pixels, 1 << 16))];
      pixel = new int[pixels];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(float v, int i) {
      int b = Float.floatToIntBits(Float.isNaN(v) ? Float.POSITIVE_INFINITY : v + 0f);
      int order = b ^ ((b >> 31) & 0x7fffffff); // signed-int order equals float order
      pixel[age] = i;
      long key = ((long) order << 32) | age++;
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, Math.max(16, Math.min(pixel.length, 2 * size)));
      }
      int c = size++;
      while (c > 0) {
        int p = (c - 1) >>> 1;
        if (keys[p] <= key) {
          break;
        }
        keys[c] = keys[p];
        c = p;
      }
      keys[c] = key;
    }

    int pop() {
      long top = keys[0];
      long last = keys[--size];
      int c = 0;
      while (true) {
        int l = 2 * c + 1;
        if (l >= size) {
          break;
        }
        int m = l + 1 < size && keys[l + 1] < keys[l] ? l + 1 : l;
        if (keys[m] >= last) {
          break;
        }
        keys[c] = keys[m];
        c = m;
      }
      keys[c] = last;
      return pixel[(int) (top & 0xffffffffL)];
    }
  }
}
