package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HungarianTest {

  @Test
  void squareMatrixWithKnownOptimum() {
    // greedy on the largest entry (9 at row 0, col 0) gives 9 + 0 + 1 = 10; the optimum 8 + 8 + 1
    double[][] w = {
        {9, 8, 0},
        {8, 0, 0},
        {0, 0, 1}};
    assertArrayEquals(new int[] {1, 0, 2}, Hungarian.maximise(w));
  }

  @Test
  void rectangularMatricesLeaveExtraRowsUnassigned() {
    double[][] wide = {{1, 5, 2}, {4, 6, 1}};
    assertArrayEquals(new int[] {1, 0}, Hungarian.maximise(wide));
    double[][] tall = {{1, 4}, {5, 6}, {2, 1}};
    assertArrayEquals(new int[] {1, 0, -1}, Hungarian.maximise(tall));
    assertEquals(0, Hungarian.maximise(new double[0][0]).length);
  }

  @Test
  void equalsBruteForceOnRandomMatrices() {
    Random r = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int rows = 1 + r.nextInt(5);
      int cols = 1 + r.nextInt(5);
      double[][] w = new double[rows][cols];
      for (double[] row : w) {
        for (int j = 0; j < cols; j++) {
          row[j] = r.nextInt(4) == 0 ? 0 : r.nextInt(100);
        }
      }
      int[] a = Hungarian.maximise(w);
      double got = 0;
      boolean[] usedCol = new boolean[cols];
      int assigned = 0;
      for (int i = 0; i < rows; i++) {
        if (a[i] >= 0) {
          assertEquals(false, usedCol[a[i]]);
          usedCol[a[i]] = true;
          got += w[i][a[i]];
          assigned++;
        }
      }
      assertEquals(Math.min(rows, cols), assigned);
      assertEquals(best(w, 0, new boolean[cols]), got, 1e-9, "trial " + trial);
    }
  }

  private static double best(double[][] w, int row, boolean[] used) {
    if (row == w.length) {
      return 0;
    }
    int free = 0;
    for (boolean u : used) {
      free += u ? 0 : 1;
    }
    // a row may stay unassigned only when rows outnumber the free columns
    double b = w.length - row > free ? best(w, row + 1, used) : Double.NEGATIVE_INFINITY;
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        used[j] = true;
        b = Math.max(b, w[row][j] + best(w, row + 1, used));
        used[j] = false;
      }
    }
    return b;
  }
}
