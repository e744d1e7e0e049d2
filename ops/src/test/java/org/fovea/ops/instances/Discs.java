package org.fovea.ops.instances;

/** Hand-made masks for tests. */
final class Discs {

  private Discs() {}

  /** Two discs of radius 6 at (10, 10) and (20, 10), overlapping in a neck at x = 14..16. */
  static boolean[] two(int w, int h) {
    boolean[] m = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = (x - 10) * (x - 10) + (y - 10) * (y - 10);
        int b = (x - 20) * (x - 20) + (y - 10) * (y - 10);
        m[y * w + x] = a <= 36 || b <= 36;
      }
    }
    return m;
  }
}
