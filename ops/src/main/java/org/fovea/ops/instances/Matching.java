package org.fovea.ops.instances;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.FoveaException;

/**
 * Matches predicted objects to ground-truth objects, one to one, and scores the result.
 *
 * <p>Every distinct non-zero value is one object. A pair may match only when its IoU is strictly
 * greater than the threshold. Among such pairs the assignment is optimal: it has the most pairs,
 * and among those, the largest IoU sum (StarDist's {@code matching} criterion, except that StarDist
 * also lets a pair with IoU exactly equal to the threshold match). The assignment runs the
 * Hungarian algorithm on each connected group of candidate pairs; above 0.5 every group is a
 * single pair.
 *
 * <pre>{@code
 * List<MatchStats> s = Matching.match(pred, gt, 0.5, 0.7, 0.9);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Matching {

  private Matching() {}

  /**
   * Matches two label images (the op {@code fovea.match}).
   *
   * @param pred predicted labels, dimensions x, y, any integer type and origin
   * @param truth ground-truth labels, the same size
   * @param thresholds IoU thresholds in [0, 1]
   * @return one result per threshold, in the given order
   * @throws FoveaException when the sizes differ or a threshold is out of range
   * @implNote op names='fovea.match'
   */
  public static List<MatchStats> match(
      net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.IntegerType<?>> pred,
      net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.IntegerType<?>> truth,
      double... thresholds) {
    if (!net.imglib2.util.Intervals.equalDimensions(pred, truth)) {
      throw new FoveaException("the label images differ in size ("
          + net.imglib2.util.Util.printInterval(pred) + " vs "
          + net.imglib2.util.Util.printInterval(truth) + "): give two of the same size");
    }
    return match(LabelImage.of(pred).labels(), LabelImage.of(truth).labels(), thresholds);
  }

  /**
   * @param pred predicted labels, row by row
   * @param truth ground-truth labels, the same size
   * @param thresholds IoU thresholds in [0, 1]
   * @return one result per threshold, in the given order
   * @throws FoveaException when the sizes differ or a threshold is out of range
   */
  public static List<MatchStats> match(int[] pred, int[] truth, double... thresholds) {
    if (pred.length != truth.length) {
      throw new FoveaException("the label images differ in size (" + pred.length + " vs "
          + truth.length + " pixels): compare images of the same size");
    }
    for (double t : thresholds) {
      if (!(t >= 0 && t <= 1)) {
        throw new FoveaException("IoU threshold " + t + " is outside [0, 1]");
      }
    }
    int[] ti = index(truth);
    int[] pi = index(pred);
    long[] ta = new long[count(ti)];
    long[] pa = new long[count(pi)];
    Map<Long, long[]> overlap = new HashMap<>();
    long lastKey = -1;
    long[] last = null;
    for (int k = 0; k < pred.length; k++) {
      int t = ti[k];
      int p = pi[k];
      if (t >= 0) {
        ta[t]++;
      }
      if (p >= 0) {
        pa[p]++;
      }
      if (t >= 0 && p >= 0) {
        long key = ((long) t << 32) | p;
        if (key != lastKey) { // neighbouring pixels mostly repeat the pair: skip the map lookup
          last = overlap.computeIfAbsent(key, x -> new long[1]);
          lastKey = key;
        }
        last[0]++;
      }
    }
    List<int[]> pairs = new ArrayList<>();
    List<Double> ious = new ArrayList<>();
    overlap.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      int t = (int) (e.getKey() >>> 32);
      int p = (int) (e.getKey() & 0xffffffffL);
      long inter = e.getValue()[0];
      pairs.add(new int[] {t, p});
      ious.add((double) inter / (ta[t] + pa[p] - inter));
    });
    List<MatchStats> out = new ArrayList<>();
    for (double thr : thresholds) {
      out.add(atThreshold(thr, ta.length, pa.length, pairs, ious));
    }
    return out;
  }

  private static MatchStats atThreshold(double thr, int nTrue, int nPred, List<int[]> pairs,
      List<Double> ious) {
    // union-find over truth objects [0, nTrue) and predicted objects [nTrue, nTrue + nPred)
    int[] parent = new int[nTrue + nPred];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    List<Integer> cand = new ArrayList<>();
    for (int k = 0; k < pairs.size(); k++) {
      if (ious.get(k) > thr) {
        cand.add(k);
        parent[find(parent, pairs.get(k)[0])] = find(parent, nTrue + pairs.get(k)[1]);
      }
    }
    Map<Integer, List<Integer>> groups = new HashMap<>();
    for (int k : cand) {
      groups.computeIfAbsent(find(parent, pairs.get(k)[0]), x -> new ArrayList<>()).add(k);
    }
    int tp = 0;
    double sum = 0;
    for (List<Integer> g : groups.values()) {
      if (g.size() == 1) {
        tp++;
        sum += ious.get(g.get(0));
        continue;
      }
      Map<Integer, Integer> rows = new HashMap<>();
      Map<Integer, Integer> cols = new HashMap<>();
      for (int k : g) {
        rows.putIfAbsent(pairs.get(k)[0], rows.size());
        cols.putIfAbsent(pairs.get(k)[1], cols.size());
      }
      double[][] w = new double[rows.size()][cols.size()];
      double[][] iou = new double[rows.size()][cols.size()];
      double scale = 2.0 * (Math.min(rows.size(), cols.size()) + 1);
      for (int k : g) {
        int r = rows.get(pairs.get(k)[0]);
        int c = cols.get(pairs.get(k)[1]);
        iou[r][c] = ious.get(k);
        w[r][c] = 1 + ious.get(k) / scale; // count first, IoU sum second
      }
      int[] a = Hungarian.maximise(w);
      for (int r = 0; r < a.length; r++) {
        if (a[r] >= 0 && w[r][a[r]] > 0) {
          tp++;
          sum += iou[r][a[r]];
        }
      }
    }
    return new MatchStats(thr, nTrue, nPred, tp, nPred - tp, nTrue - tp, sum);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Object numbers 0..n-1 per pixel (-1 for background), in order of first appearance. */
  private static int[] index(int[] labels) {
    int[] out = new int[labels.length];
    Map<Integer, Integer> m = new HashMap<>();
    int prev = 0;
    int prevIndex = -1;
    for (int i = 0; i < labels.length; i++) {
      int l = labels[i];
      if (l == 0) {
        out[i] = -1;
      } else if (l == prev) {
        out[i] = prevIndex;
      } else {
        Integer k = m.get(l);
        if (k == null) {
          k = m.size();
          m.put(l, k);
        }
        prev = l;
        prevIndex = k;
        out[i] = k;
      }
    }
    return out;
  }

  private static int count(int[] index) {
    int n = 0;
    for (int k : index) {
      n = Math.max(n, k + 1);
    }
    return n;
  }
}
