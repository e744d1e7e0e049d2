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
    return flood(landscape, seeds, mask, conn, true);
  }

  /** With {@code buckets} false, always the binary heap (the reference the tests compare to). */
  static LabelImage flood(float[] landscape, LabelImage seeds, boolean[] mask,
      Connectivity conn, boolean buckets) {
    int w = seeds.width();
    int h = seeds.height();
    LabelImage.checkSize(landscape.length, w, h);
    if (mask != null) {
      LabelImage.checkSize(mask.length, w, h);
    }
    int[] labels = seeds.labels().clone();
    Queue queue = buckets ? Buckets.of(landscape, labels, mask) : null;
    if (queue == null) {
      queue = new Heap(labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && canGrow(labels, mask, i, w, h, conn)) {
        queue.push(landscape[i], i);
      }
    }
    int nb = conn.neighbours();
    int[] dx = new int[nb];
    int[] dy = new int[nb];
    for (int k = 0; k < nb; k++) {
      dx[k] = conn.dx(k);
      dy[k] = conn.dy(k);
    }
    while (!queue.isEmpty()) {
      int i = queue.pop();
      int y = i / w;
      int x = i - y * w;
      int li = labels[i];
      boolean inner = x > 0 && y > 0 && x < w - 1 && y < h - 1;
      for (int k = 0; k < nb; k++) {
        int nx = x + dx[k];
        int ny = y + dy[k];
        if (inner || (nx >= 0 && ny >= 0 && nx < w && ny < h)) {
          int j = ny * w + nx;
          if (labels[j] == 0 && (mask == null || mask[j])) {
            labels[j] = li;
            queue.push(landscape[j], j);
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

  /** Pixels by (height, queue order): the lowest first, on equal heights the one queued first. */
  private interface Queue {
    boolean isEmpty();

    void push(float v, int i);

    int pop();
  }

  /** The sortable int of a height: signed-int order equals float order; NaN as +infinity. */
  static int order(float v) {
    int b = Float.floatToIntBits(Float.isNaN(v) ? Float.POSITIVE_INFINITY : v + 0f);
    return b ^ ((b >> 31) & 0x7fffffff);
  }

  /**
   * A bucket queue for landscapes with few distinct heights (distance maps): one FIFO list per
   * distinct height, so the order is the heap's exactly, in constant time per pixel.
   */
  private static final class Buckets implements Queue {
    private static final int MAX_BUCKETS = 1 << 16;
    private final int[] rankOf; // per pixel, its height's rank (only where it may be queued)
    private final int[] head;
    private final int[] tail;
    private final int[] next;
    private int lowest;
    private int size;

    private Buckets(float[] land, int[] rankOf, int buckets) {
      this.rankOf = rankOf;
      head = new int[buckets];
      tail = new int[buckets];
      java.util.Arrays.fill(head, -1);
      next = new int[land.length];
      lowest = buckets;
    }

    /** @return a bucket queue, or null when the queued pixels have too many distinct heights */
    static Buckets of(float[] land, int[] labels, boolean[] mask) {
      int n = land.length;
      int m = 0;
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        if (labels[i] != 0 || mask == null || mask[i]) {
          keys[m++] = ((long) order(land[i]) << 32) | i;
        }
      }
      keys = Maxima.sortByHeight(keys, m);
      int[] rank = new int[n];
      int r = -1;
      long prev = 0;
      for (int k = 0; k < m; k++) {
        long hi = keys[k] >> 32;
        if (k == 0 || hi != prev) {
          if (++r >= MAX_BUCKETS) {
            return null;
          }
          prev = hi;
        }
        rank[(int) keys[k]] = r;
      }
      return new Buckets(land, rank, r + 1);
    }

    @Override
    public boolean isEmpty() {
      return size == 0;
    }

    @Override
    public void push(float v, int i) {
      int b = rankOf[i];
      next[i] = -1;
      if (head[b] < 0) {
        head[b] = i;
      } else {
        next[tail[b]] = i;
      }
      tail[b] = i;
      if (b < lowest) {
        lowest = b;
      }
      size++;
    }

    @Override
    public int pop() {
      while (head[lowest] < 0) {
        lowest++;
      }
      int i = head[lowest];
      head[lowest] = next[i];
      size--;
      return i;
    }
  }

  /** A binary min-heap of (height, queue order) keys packed in longs; every pixel enters once. */
  private static final class Heap implements Queue {
    private long[] keys;
    private final int[] pixel;
    private int size;
    private int age;

    Heap(int pixels) {
      keys = new long[Math.max(16, Math.min(pixels, 1 << 16))];
      pixel = new int[pixels];
    }

    @Override
    public boolean isEmpty() {
      return size == 0;
    }

    @Override
    public void push(float v, int i) {
      int order = order(v);
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

    @Override
    public int pop() {
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
