package org.fovea.ops.instances;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Non-maximum suppression of scored boxes.
 *
 * @implNote op names='fovea.nms'
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
   * @param sigma the Gaussian's width, positive
   * @param minScore scores below this are dropped
   * @return the kept boxes with their decayed scores
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

  /** Kept boxes bucketed by the grid cells they cover; cells sized by the median box. */
  private static final class Grid {
    private final List<Box> boxes;
    private final double x0;
    private final double y0;
    private final double cell;
    private final java.util.Map<Long, List<Integer>> cells = new java.util.HashMap<>();

    Grid(List<Box> boxes, Integer[] order) {
      this.boxes = boxes;
      double[] sizes = Arrays.stream(order).mapToDouble(i -> Math.max(boxes.get(i).x1()
          - boxes.get(i).x0(), boxes.get(i).y1() - boxes.get(i).y0())).sorted().toArray();
      double median = sizes.length == 0 ? 1 : sizes[sizes.length / 2];
      cell = median > 0 && Double.isFinite(median) ? median : 1;
      x0 = Arrays.stream(order).mapToDouble(i -> boxes.get(i).x0()).min().orElse(0);
      y0 = Arrays.stream(order).mapToDouble(i -> boxes.get(i).y0()).min().orElse(0);
    }

    boolean suppressed(Box b, double thr) {
      long cx0 = cellOf(b.x0(), x0);
      long cx1 = cellOf(b.x1(), x0);
      long cy0 = cellOf(b.y0(), y0);
      long cy1 = cellOf(b.y1(), y0);
      for (long cy = cy0; cy <= cy1; cy++) {
        for (long cx = cx0; cx <= cx1; cx++) {
          for (int k : cells.getOrDefault(cy << 32 ^ cx, List.of())) {
            if (boxes.get(k).iou(b) > thr) {
              return true;
            }
          }
        }
      }
      return false;
    }

    void add(int i) {
      Box b = boxes.get(i);
      for (long cy = cellOf(b.y0(), y0); cy <= cellOf(b.y1(), y0); cy++) {
        for (long cx = cellOf(b.x0(), x0); cx <= cellOf(b.x1(), x0); cx++) {
          cells.computeIfAbsent(cy << 32 ^ cx, k -> new ArrayList<>()).add(i);
        }
      }
    }

    private long cellOf(double v, double origin) {
      return (long) Math.floor((v - origin) / cell);
    }
  }
}
