package org.fovea.models.pkg;

import java.util.Arrays;
import java.util.Set;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * Per-group statistics of a tensor, in double precision. A group is the set of elements that share
 * their indices on every axis that is not reduced: reducing {@code bcyx} over {@code y, x} gives
 * one group per batch item and channel.
 */
final class Statistics {

  private Statistics() {}

  /**
   * The grouping of a tensor's elements.
   *
   * @param count number of groups
   * @param size number of elements in each group
   * @param groupOf for each element (C order), its group
   */
  record Groups(int count, int size, int[] groupOf) {}

  /**
   * @param t a tensor
   * @param reduce the axes to reduce over, or null for all axes
   * @return the groups of the other axes
   */
  static Groups groups(Tensor t, Set<Axis> reduce) {
    long[] shape = t.shape();
    long[] strides = t.strides();
    int d = shape.length;
    long[] groupStride = new long[d];
    long g = 1;
    for (int j = d - 1; j >= 0; j--) {
      if (reduce != null && !reduce.contains(t.axes().get(j))) {
        groupStride[j] = g;
        g *= shape[j];
      }
    }
    int n = t.data().length;
    int count = (int) g;
    int size = count == 0 ? 0 : n / count;
    int[] groupOf = new int[n];
    if (count > 1) {
      for (int i = 0; i < n; i++) {
        long id = 0;
        for (int j = 0; j < d; j++) {
          if (groupStride[j] != 0) {
            id += (i / strides[j]) % shape[j] * groupStride[j];
          }
        }
        groupOf[i] = (int) id;
      }
    }
    return new Groups(count, size, groupOf);
  }

  /**
   * @param data values
   * @param g their groups
   * @return per group the mean
   */
  static double[] mean(float[] data, Groups g) {
    double[] sum = new double[g.count()];
    for (int i = 0; i < data.length; i++) {
      sum[g.groupOf()[i]] += data[i];
    }
    for (int k = 0; k < sum.length; k++) {
      sum[k] /= g.size();
    }
    return sum;
  }

  /**
   * @param data values
   * @param g their groups
   * @param mean per group the mean
   * @return per group the population standard deviation (dividing by n)
   */
  static double[] std(float[] data, Groups g, double[] mean) {
    double[] ss = new double[g.count()];
    for (int i = 0; i < data.length; i++) {
      int k = g.groupOf()[i];
      double dv = data[i] - mean[k];
      ss[k] += dv * dv;
    }
    for (int k = 0; k < ss.length; k++) {
      ss[k] = Math.sqrt(ss[k] / g.size());
    }
    return ss;
  }

  /**
   * @param data values
   * @param g their groups
   * @param percentiles wanted percentiles, each in 0..100
   * @return {@code result[q][group]}: the percentiles of each group, as {@link #percentile}
   */
  static double[][] percentiles(float[] data, Groups g, double... percentiles) {
    int size = g.size();
    double[] buf = new double[data.length];
    int[] fill = new int[g.count()];
    for (int i = 0; i < data.length; i++) {
      int k = g.groupOf()[i];
      buf[k * size + fill[k]++] = data[i];
    }
    double[][] r = new double[percentiles.length][g.count()];
    for (int k = 0; k < g.count(); k++) {
      Arrays.sort(buf, k * size, (k + 1) * size);
      for (int q = 0; q < percentiles.length; q++) {
        r[q][k] = percentile(buf, k * size, size, percentiles[q]);
      }
    }
    return r;
  }

  /**
   * A percentile as {@code numpy.percentile} computes it by default (method {@code linear}): at
   * position {@code p / 100 * (n - 1)} in the sorted values, interpolating linearly between the
   * two neighbouring values.
   *
   * @param sorted values sorted ascending in {@code [from, from + n)}
   * @param from first index
   * @param n number of values, at least 1
   * @param p the percentile, 0..100
   * @return the percentile
   */
  static double percentile(double[] sorted, int from, int n, double p) {
    if (n == 0) {
      throw new FoveaException("cannot compute a percentile of an empty tensor; give a tensor "
          + "with at least one value");
    }
    double pos = p / 100.0 * (n - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, n - 1);
    double t = pos - lo;
    double a = sorted[from + lo];
    double b = sorted[from + hi];
    double diff = b - a;
    // numpy's _lerp: a + diff*t, but b - diff*(1-t) from the middle on, for symmetry
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }

  /**
   * Where along an axis each element of a tensor lies.
   *
   * @param t a tensor
   * @param a an axis of it
   * @return {stride, size} of the axis, or null when the tensor lacks the axis
   */
  static long[] strideAndSize(Tensor t, Axis a) {
    int i = t.axes().indexOf(a);
    if (i < 0) {
      return null;
    }
    return new long[] {t.strides()[i], t.shape()[i]};
  }
}
