package org.fovea.ops.instances;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Non-maximum suppression of scored boxes.
 *
 * @since 0.1.0
 */
public final class Nms {

  /**
   * The outcome of soft-NMS.
   *
   * @param order indices of the boxes kept, in the order they were chosen
   * @param scores their decayed scores, in the same order
   */
  public record Soft(int[] order, double[] scores) {}

  private Nms() {}

  /**
   * Greedy NMS: boxes in order of decreasing score (equal scores: lower index first); a box is
   * kept unless a kept box overlaps it with IoU strictly greater than the threshold. Only kept
   * boxes suppress. A uniform grid finds the kept boxes near each candidate.
   *
   * @param boxes the candidates
   * @param scores one per box, not NaN
   * @param iouThreshold suppress when IoU is greater than this, in [0, 1]
   * @param minScore candidates scoring below this are dropped first
   * @return indices of the kept boxes, best first
   * @implNote op names='fovea.nms'
   */
  public static int[] greedy(List<Box> boxes, double[] scores, double iouThreshold,
      double minScore) {
    Integer[] order = sorted(boxes, scores, iouThreshold, minScore);
    Grid grid = new Grid(boxes, order);
    List<Integer> kept = new ArrayList<>();
    for (int i : order) {
      Box b = boxes.get(i);
      if (!grid.suppressed(b, iouThreshold)) {
        kept.add(i);
        grid.add(i);
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Gaussian soft-NMS: repeatedly keep the best remaining box (equal scores: lower index first)
   * and multiply every other remaining score by {@code exp(-iou^2 / sigma)}; boxes whose score
   * falls below {@code minScore} are dropped.
   *
   * @param boxes the candidates
   * @param scores one per box, not NaN
   * @param sigma the width of the Gaussian, positive
   * @param minScore scores below this are dropped
   * @return the kept boxes with their decayed scores
   * @implNote op names='fovea.nms.soft'
   */
  public static Soft soft(List<Box> boxes, double[] scores, double sigma, double minScore) {
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("soft-NMS sigma must be positive, got " + sigma);
    }
    Integer[] order = sorted(boxes, scores, 0, minScore);
    double[] s = scores.clone();
    boolean[] done = new boolean[s.length];
    List<Integer> live = new ArrayList<>(Arrays.asList(order));
    int[] keptIdx = new int[live.size()];
    double[] keptScore = new double[live.size()];
    int n = 0;
    while (!live.isEmpty()) {
      int best = -1;
      for (int i : live) {
        if (best < 0 || s[i] > s[best] || (s[i] == s[best] && i < best)) {
          best = i;
        }
      }
      done[best] = true;
      keptIdx[n] = best;
      keptScore[n++] = s[best];
      List<Integer> next = new ArrayList<>();
      for (int i : live) {
        if (!done[i]) {
          double iou = boxes.get(best).iou(boxes.get(i));
          s[i] *= Math.exp(-iou * iou / sigma);
          if (s[i] >= minScore) {
            next.add(i);
          }
        }
      }
      live = next;
    }
    return new Soft(Arrays.copyOf(keptIdx, n), Arrays.copyOf(keptScore, n));
  }

  private static Integer[] sorted(List<Box> boxes, double[] scores, double iou, double minScore) {
    if (boxes.size() != scores.length) {
      throw new IllegalArgumentException(boxes.size() + " boxes but " + scores.length + " scores");
    }
    if (!(iou >= 0 && iou <= 1)) {
      throw new IllegalArgumentException("the IoU threshold must lie in [0, 1], got " + iou);
    }
    for (double v : scores) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("a box score is NaN");
      }
    }
    return IntStream.range(0, scores.length).filter(i -> scores[i] >= minScore).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
        .toArray(Integer[]::new);
  }

  /**
   * Kept boxes bucketed by the grid cells they cover, in flat arrays; cells sized by the median
   * box, widened when the boxes spread so far that the grid would need more than 4 cells per box.
   */
  private static final class Grid {
    private final double[] c;
    private final double gx0;
    private final double gy0;
    private final double cell;
    private final int nx;
    private final int ny;
    private final int[][] cells;
    private final int[] fill;

    Grid(List<Box> boxes, Integer[] order) {
      int n = boxes.size();
      c = new double[4 * n];
      for (int i = 0; i < n; i++) {
        Box b = boxes.get(i);
        c[4 * i] = b.x0();
        c[4 * i + 1] = b.y0();
        c[4 * i + 2] = b.x1();
        c[4 * i + 3] = b.y1();
      }
      double[] sizes = new double[order.length];
      double minX = Double.POSITIVE_INFINITY;
      double minY = Double.POSITIVE_INFINITY;
      double maxX = Double.NEGATIVE_INFINITY;
      double maxY = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < order.length; k++) {
        int i = order[k];
        sizes[k] = Math.max(c[4 * i + 2] - c[4 * i], c[4 * i + 3] - c[4 * i + 1]);
        minX = Math.min(minX, c[4 * i]);
        minY = Math.min(minY, c[4 * i + 1]);
        maxX = Math.max(maxX, c[4 * i + 2]);
        maxY = Math.max(maxY, c[4 * i + 3]);
      }
      Arrays.sort(sizes);
      double median = sizes.length == 0 ? 1 : sizes[sizes.length / 2];
      double size = median > 0 && Double.isFinite(median) ? median : 1;
      gx0 = order.length == 0 ? 0 : minX;
      gy0 = order.length == 0 ? 0 : minY;
      double spanX = order.length == 0 ? 0 : maxX - minX;
      double spanY = order.length == 0 ? 0 : maxY - minY;
      double limit = 4.0 * Math.max(1, order.length);
      while ((Math.floor(spanX / size) + 1) * (Math.floor(spanY / size) + 1) > limit) {
        size *= 2;
      }
      cell = size;
      nx = (int) Math.floor(spanX / size) + 1;
      ny = (int) Math.floor(spanY / size) + 1;
      cells = new int[nx * ny][];
      fill = new int[nx * ny];
    }

    boolean suppressed(Box b, double thr) {
      double bx0 = b.x0();
      double by0 = b.y0();
      double bx1 = b.x1();
      double by1 = b.y1();
      double area = (bx1 - bx0) * (by1 - by0);
      int cx1 = cellX(bx1);
      int cy1 = cellY(by1);
      for (int cy = cellY(by0); cy <= cy1; cy++) {
        for (int cx = cellX(bx0); cx <= cx1; cx++) {
          int cc = cy * nx + cx;
          int[] list = cells[cc];
          for (int m = 0; m < fill[cc]; m++) {
            int k = 4 * list[m];
            double w = Math.min(bx1, c[k + 2]) - Math.max(bx0, c[k]);
            double h = Math.min(by1, c[k + 3]) - Math.max(by0, c[k + 1]);
            if (w > 0 && h > 0) {
              double inter = w * h;
              double u = area + (c[k + 2] - c[k]) * (c[k + 3] - c[k + 1]) - inter;
              if (u > 0 && inter / u > thr) {
                return true;
              }
            }
          }
        }
      }
      return false;
    }

    void add(int i) {
      int cx1 = cellX(c[4 * i + 2]);
      int cy1 = cellY(c[4 * i + 3]);
      for (int cy = cellY(c[4 * i + 1]); cy <= cy1; cy++) {
        for (int cx = cellX(c[4 * i]); cx <= cx1; cx++) {
          int cc = cy * nx + cx;
          if (cells[cc] == null) {
            cells[cc] = new int[4];
          } else if (fill[cc] == cells[cc].length) {
            cells[cc] = Arrays.copyOf(cells[cc], 2 * fill[cc]);
          }
          cells[cc][fill[cc]++] = i;
        }
      }
    }

    private int cellX(double v) {
      return Math.max(0, Math.min(nx - 1, (int) Math.floor((v - gx0) / cell)));
    }

    private int cellY(double v) {
      return Math.max(0, Math.min(ny - 1, (int) Math.floor((v - gy0) / cell)));
    }
  }
}
