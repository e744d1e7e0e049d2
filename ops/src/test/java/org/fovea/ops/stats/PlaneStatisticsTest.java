package org.fovea.ops.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.Planes;
import org.junit.jupiter.api.Test;

class PlaneStatisticsTest {

  /** numpy's linear percentile, by sorting: the independent reference. */
  static double sorted(float[] v, double p) {
    float[] s = v.clone();
    Arrays.sort(s);
    double pos = p / 100 * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (s[hi] - (double) s[lo]) * (pos - lo);
  }

  @Test
  void percentilesByHand() {
    // values 1..10 in one row: numpy.percentile(range(1, 11), [0, 1, 50, 99.8, 100])
    float[] v = {7, 3, 10, 1, 5, 2, 9, 4, 8, 6};
    Tensor t = new Tensor(Axes.of("bcyx"), new long[] {1, 1, 1, 10}, v);
    double[] p = PlaneStatistics.percentiles(Planes.of(t), 0, 0, 1, 50, 99.8, 100);
    assertEquals(1.0, p[0], 0);
    assertEquals(1.09, p[1], 1e-12);
    assertEquals(5.5, p[2], 1e-12);
    assertEquals(9.982, p[3], 1e-12);
    assertEquals(10.0, p[4], 0);
  }

  @Test
  void percentilesMatchSortingOnRandomFloatsWithNegativesTiesAndNaN() {
    Random r = new Random(11);
    int h = 300;
    int w = 257;
    float[] v = new float[2 * h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 7 == 0 ? Math.round(r.nextGaussian() * 3) : (float) (r.nextGaussian() * 1000);
    }
    v[5] = Float.NaN;
    Tensor t = new Tensor(Axes.of("bcyx"), new long[] {1, 2, h, w}, v);
    float[] ch1 = Arrays.copyOfRange(v, h * w, 2 * h * w);
    float[] ch0 = withoutNaN(Arrays.copyOfRange(v, 0, h * w));
    for (double p : new double[] {0, 1, 2.5, 50, 99.8, 100}) {
      assertEquals(sorted(ch1, p), PlaneStatistics.percentiles(Planes.of(t), 1, p)[0], 0, "p" + p);
      assertEquals(sorted(ch0, p), PlaneStatistics.percentiles(Planes.of(t), 0, p)[0], 0, "p" + p);
    }
    assertEquals(1, PlaneStatistics.nans(Planes.of(t)));
  }

  @Test
  void meanAndPopulationStd() {
    Tensor t = new Tensor(Axes.of("bcyx"), new long[] {1, 1, 2, 2}, new float[] {1, 2, 3, 4});
    double[] m = PlaneStatistics.meanStd(Planes.of(t), 0);
    assertEquals(2.5, m[0], 1e-12);
    assertEquals(Math.sqrt(1.25), m[1], 1e-12);
  }

  private static float[] withoutNaN(float[] f) {
    int n = 0;
    float[] o = new float[f.length];
    for (float x : f) {
      if (!Float.isNaN(x)) {
        o[n++] = x;
      }
    }
    return Arrays.copyOf(o, n);
  }
}
