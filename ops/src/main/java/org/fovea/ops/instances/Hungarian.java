package org.fovea.ops.instances;

import java.util.Arrays;

/**
 * Optimal assignment (Hungarian algorithm, shortest augmenting paths with potentials): the
 * one-to-one pairing of rows with columns that has the largest total weight.
 *
 * @since 0.1.0
 */
public final class Hungarian {

  private Hungarian() {}

  /**
   * @param weight a rectangular matrix, {@code weight[row][column]}, finite
   * @return for each row its column, or -1 where rows outnumber columns; the assignment pairs
   *     min(rows, columns) rows and maximises the sum of their weights
   */
  public static int[] maximise(double[][] weight) {
    int rows = weight.length;
    int cols = rows == 0 ? 0 : weight[0].length;
    boolean transpose = rows > cols;
    int n = transpose ? cols : rows;
    int m = transpose ? rows : cols;
    // minimise cost = -weight over an n x m matrix with n <= m; 1-based arrays, index 0 = virtual
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] match = new int[m + 1]; // match[col] = row
    int[] way = new int[m + 1];
    double[] minv = new double[m + 1];
    boolean[] used = new boolean[m + 1];
    for (int i = 1; i <= n; i++) {
      match[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = match[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double c = -(transpose ? weight[j - 1][i0 - 1] : weight[i0 - 1][j - 1]);
            double cur = c - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[match[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (match[j0] != 0);
      do {
        int j1 = way[j0];
        match[j0] = match[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] out = new int[rows];
    Arrays.fill(out, -1);
    for (int j = 1; j <= m; j++) {
      if (match[j] != 0) {
        if (transpose) {
          out[j - 1] = match[j] - 1;
        } else {
          out[match[j] - 1] = j - 1;
        }
      }
    }
    return out;
  }
}
