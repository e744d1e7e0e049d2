package org.fovea.ops.metrics;

import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;

/**
 * Pixel overlap between a predicted foreground and a reference.
 *
 * @since 0.1.0
 */
public final class Overlap {

  private Overlap() {}

  /**
   * The foreground of class probabilities: pixels whose most probable class is not the
   * background class.
   *
   * @param probabilities a {@code bcyx} tensor, batch 1
   * @param background the index of the background class
   * @return one flag per pixel, row by row
   */
  public static boolean[] foreground(Tensor probabilities, int background) {
    int c = (int) probabilities.size(Axis.CHANNEL);
    int n = (int) (probabilities.size(Axis.Y) * probabilities.size(Axis.X));
    float[] p = probabilities.data();
    boolean[] fg = new boolean[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int k = 1; k < c; k++) {
        if (p[k * n + i] > p[best * n + i]) {
          best = k;
        }
      }
      fg[i] = best != background;
    }
    return fg;
  }

  /**
   * @param a a mask
   * @param b a mask of the same length
   * @return |a ∩ b| / |a ∪ b|, or 1 when both are empty
   */
  public static double iou(boolean[] a, boolean[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("masks differ in size: " + a.length + " vs " + b.length);
    }
    long inter = 0;
    long union = 0;
    for (int i = 0; i < a.length; i++) {
      inter += a[i] && b[i] ? 1 : 0;
      union += a[i] || b[i] ? 1 : 0;
    }
    return union == 0 ? 1 : (double) inter / union;
  }
}
