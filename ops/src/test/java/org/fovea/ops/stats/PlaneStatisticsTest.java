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
  void integerImagesGiveTheSamePercentilesInOnePass() {
    // 16-bit (unsigned and signed) images are counted in one pass; a 32-bit image with values
    // beyond the histogram falls back to the two-pass selection; every result equals sorting
    Random r = new Random(5);
    int h = 211;
    int w = 173;
    short[] u16 = new short[2 * h * w];
    short[] s16 = new short[h * w];
    int[] i32 = new int[h * w];
    float[] fu = new float[u16.length];
    float[] fs = new float[s16.length];
    float[] fi = new float[i32.length];
    for (int i = 0; i < u16.length; i++) {
      u16[i] = (short) (i % 5 == 0 ? 65535 - r.nextInt(3) : 300 + r.nextInt(4000));
      fu[i] = u16[i] & 0xffff;
    }
    for (int i = 0; i < s16.length; i++) {
      s16[i] = (short) (r.nextGaussian() * 9000);
      fs[i] = s16[i];
      i32[i] = i == 7 ? 5_000_000 : r.nextInt(1000) - 500;
      fi[i] = i32[i];
    }
    var unsigned = net.imglib2.img.array.ArrayImgs.unsignedShorts(u16, w, h, 2);
    var signed = net.imglib2.img.array.ArrayImgs.shorts(s16, w, h);
    var ints = net.imglib2.img.array.ArrayImgs.ints(i32, w, h);
    var pu = org.fovea.ops.tiling.ImgTensors.planes(unsigned);
    var ps = org.fovea.ops.tiling.ImgTensors.planes(signed);
    var pi = org.fovea.ops.tiling.ImgTensors.planes(ints);
    assertEquals(true, pu.integral() && ps.integral() && pi.integral());
    for (double p : new double[] {0, 1, 33.3, 50, 99.8, 100}) {
      assertEquals(sorted(Arrays.copyOfRange(fu, h * w, 2 * h * w), p),
          PlaneStatistics.percentiles(pu, 1, p)[0], 0, "u16 p" + p);
      assertEquals(sorted(fu, p), PlaneStatistics.percentiles(pu, -1, p)[0], 0, "u16 joint p" + p);
      assertEquals(sorted(fs, p), PlaneStatistics.percentiles(ps, 0, p)[0], 0, "s16 p" + p);
      assertEquals(sorted(fi, p), PlaneStatistics.percentiles(pi, 0, p)[0], 0, "i32 p" + p);
    }
    assertEquals(0, PlaneStatistics.nans(pu));
    var floats = org.fovea.ops.tiling.ImgTensors.planes(
        net.imglib2.img.array.ArrayImgs.floats(fs, w, h));
    assertEquals(false, floats.integral());
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
