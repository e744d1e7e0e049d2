package org.fovea.ops.instances.volume;

import java.util.Arrays;

/**
 * Voxels by (height, queue order): the lowest first, on equal heights the one queued first: the
 * watershed's queues (a bucket queue for few distinct heights, else a binary heap), which pop in
 * the same order.
 */
interface FloodQueue {

  boolean isEmpty();

  void push(float v, int i);

  int pop();

  /**
   * @param land heights
   * @param labels seeds (nonzero voxels may be queued)
   * @param mask where flooding may go, or null for everywhere
   * @param buckets whether to try the bucket queue (false: always the heap)
   * @return a queue for these voxels
   */
  static FloodQueue of(float[] land, int[] labels, boolean[] mask, boolean buckets) {
    FloodQueue q = buckets ? Buckets.of(land, labels, mask) : null;
    return q != null ? q : new Heap(land.length);
  }

  /** The sortable int of a height: signed-int order equals float order; NaN as +infinity. */
  static int order(float v) {
    int b = Float.floatToIntBits(Float.isNaN(v) ? Float.POSITIVE_INFINITY : v + 0f);
    return b ^ ((b >> 31) & 0x7fffffff);
  }

  /**
   * A bucket queue for landscapes with few distinct heights (distance maps): one FIFO list per
   * distinct height, so the order is the heap's exactly, in constant time per voxel.
   */
  final class Buckets implements FloodQueue {
    private static final int MAX_BUCKETS = 1 << 16;
    private final int[] rankOf; // per voxel, its height's rank (only where it may be queued)
    private final int[] head;
    private final int[] tail;
    private final int[] next;
    private int lowest;
    private int size;

    private Buckets(int voxels, int[] rankOf, int buckets) {
      this.rankOf = rankOf;
      head = new int[buckets];
      tail = new int[buckets];
      Arrays.fill(head, -1);
      next = new int[voxels];
      lowest = buckets;
    }

    /** @return a bucket queue, or null when the queued voxels have too many distinct heights */
    static Buckets of(float[] land, int[] labels, boolean[] mask) {
      int n = land.length;
      int m = 0;
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        if (labels[i] != 0 || mask == null || mask[i]) {
          keys[m++] = ((long) order(land[i]) << 32) | i;
        }
      }
      keys = VolumeMaxima.sortByHeight(keys, m);
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
      return new Buckets(n, rank, r + 1);
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

  /** A binary min-heap of (height, queue order) keys packed in longs; every voxel enters once. */
  final class Heap implements FloodQueue {
    private long[] keys;
    private final int[] voxel;
    private int size;
    private int age;

    Heap(int voxels) {
      keys = new long[Math.max(16, Math.min(voxels, 1 << 16))];
      voxel = new int[voxels];
    }

    @Override
    public boolean isEmpty() {
      return size == 0;
    }

    @Override
    public void push(float v, int i) {
      int order = order(v);
      voxel[age] = i;
      long key = ((long) order << 32) | age++;
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, Math.max(16, Math.min(voxel.length, 2 * size)));
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
      return voxel[(int) (top & 0xffffffffL)];
    }
  }
}
