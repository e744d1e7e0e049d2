package org.fovea.ops.saliency;

/**
 * Spearman's rank correlation, with tied values given their mean rank.
 *
 * @since 0.1.0
 */
public final class RankCorrelation {

  private RankCorrelation() {}

  /**
   * @param a values
   * @param b values, as many
   * @return the Pearson correlation of their ranks, in [-1, 1] (NaN when one is constant)
   */
  public static double spearman(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " values vs " + b.length);
    }
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double ma = (a.length + 1) / 2.0;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      double da = ra[i] - ma;
      double db = rb[i] - ma;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /** @return 1-based ranks, ties sharing their mean rank */
  static double[] ranks(float[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Float.compare(v[x], v[y]));
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double mean = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = mean;
      }
      i = j + 1;
    }
    return r;
  }
}
