package org.fovea.ops.stats;

import java.util.Arrays;
import org.fovea.ops.tiling.PlaneSource;

/**
 * Exact statistics of a {@link PlaneSource}, read in strips so that the image is never copied
 * whole: per-channel (or joint) percentiles by two-pass radix selection, mean and deviation.
 * NaN values are left out and counted.
 *
 * <p>Percentiles follow numpy's default ("linear"): the value at rank {@code p/100 * (n-1)} of the
 * sorted values, interpolated between the two neighbouring ranks.
 *
 * @since 0.1.0
 */
public final class PlaneStatistics {

  private static final int STRIP = 1 << 20; // values per read

  private PlaneStatistics() {}

  /** Visits every value of one channel (or of all channels when {@code channel < 0}). */
  @FunctionalInterface
  private interface Visitor {
    void accept(float v);
  }

  private static void scan(PlaneSource src, int channel, Visitor v) {
    long h = src.height();
    int w = (int) src.width();
    int c = src.channels();
    int rows = (int) Math.max(1, Math.min(h, STRIP / Math.max(1, (long) w * c)));
    float[] buf = new float[rows * w * c];
    for (long y = 0; y < h; y += rows) {
      int n = (int) Math.min(rows, h - y);
      src.read(y, 0, n, w, buf);
      int from = channel < 0 ? 0 : channel * n * w;
      int to = channel < 0 ? c * n * w : from + n * w;
      for (int i = from; i < to; i++) {
        float x = buf[i];
        v.accept(Float.isFinite(x) ? x : Float.NaN); // +-Inf is missing, like NaN
      }
    }
  }

  /** Maps a float to an int whose unsigned order is the float's order. */
  private static int key(float f) {
    int b = Float.floatToRawIntBits(f == 0f ? 0f : f); // -0 sorts with +0
    return (b ^ ((b >> 31) | 0x80000000));
  }

  private static float value(int key) {
    int b = (key & 0x80000000) != 0 ? key ^ 0x80000000 : ~key;
    return Float.intBitsToFloat(b);
  }

  /**
   * @param src the image
   * @param channel a channel, or -1 for all channels together
   * @param percentiles wanted percentiles in 0..100
   * @return the percentiles, exactly as numpy computes them (NaN when every value is NaN)
   */
  public static double[] percentiles(PlaneSource src, int channel, double... percentiles) {
    if (src.integral()) {
      double[] r = integralPercentiles(src, channel, percentiles);
      if (r != null) {
        return r;
      }
    }
    long[] high = new long[1 << 16];
    long[] count = {0};
    scan(src, channel, v -> {
      if (!Float.isNaN(v)) {
        high[key(v) >>> 16]++;
        count[0]++;
      }
    });
    long n = count[0];
    if (n == 0) {
      return missing(percentiles.length);
    }
    long[] ranks = ranks(n, percentiles);
    // first pass: which high bucket holds each rank, and the rank within it
    int[] bucket = new int[ranks.length];
    long[] within = new long[ranks.length];
    long[][] low = new long[1 << 16][]; // by high bucket; only the needed ones are made
    for (int r = 0; r < ranks.length; r++) {
      long cum = 0;
      int b = 0;
      while (cum + high[b] <= ranks[r]) {
        cum += high[b++];
      }
      bucket[r] = b;
      within[r] = ranks[r] - cum;
      if (low[b] == null) {
        low[b] = new long[1 << 16];
      }
    }
    // second pass: the low 16 bits inside the needed buckets
    scan(src, channel, v -> {
      if (!Float.isNaN(v)) {
        int k = key(v);
        long[] hist = low[k >>> 16];
        if (hist != null) {
          hist[k & 0xffff]++;
        }
      }
    });
    double[] vals = new double[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      long[] hist = low[bucket[r]];
      long cum = 0;
      int lo = 0;
      while (cum + hist[lo] <= within[r]) {
        cum += hist[lo++];
      }
      vals[r] = value((bucket[r] << 16) | lo);
    }
    return interpolated(n, percentiles, vals);
  }

  private static final int INTEGRAL_OFFSET = 1 << 16;

  /**
   * One pass for integer images: every value counted in a histogram of the integers -65536 to
   * 65535 (8- and 16-bit images, signed or not), the same percentiles as the two-pass selection.
   *
   * @return null when a value lies outside that range (the caller then selects in two passes)
   */
  private static double[] integralPercentiles(PlaneSource src, int channel,
      double[] percentiles) {
    long[] hist = new long[2 * INTEGRAL_OFFSET];
    boolean[] outside = {false};
    scan(src, channel, v -> {
      int k = (int) v + INTEGRAL_OFFSET;
      if (k >= 0 && k < hist.length && k - INTEGRAL_OFFSET == v) {
        hist[k]++;
      } else {
        outside[0] = true;
      }
    });
    if (outside[0]) {
      return null;
    }
    long n = 0;
    for (long h : hist) {
      n += h;
    }
    if (n == 0) {
      return missing(percentiles.length);
    }
    long[] ranks = ranks(n, percentiles);
    double[] vals = new double[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      long cum = 0;
      int k = 0;
      while (cum + hist[k] <= ranks[r]) {
        cum += hist[k++];
      }
      vals[r] = k - INTEGRAL_OFFSET;
    }
    return interpolated(n, percentiles, vals);
  }

  /** The percentiles of an image without values: all NaN. */
  private static double[] missing(int count) {
    double[] out = new double[count];
    Arrays.fill(out, Double.NaN);
    return out;
  }

  /** The ranks numpy interpolates between: floor and floor + 1 of each percentile's position. */
  private static long[] ranks(long n, double[] percentiles) {
    long[] ranks = new long[2 * percentiles.length];
    for (int i = 0; i < percentiles.length; i++) {
      double pos = percentiles[i] / 100.0 * (n - 1);
      ranks[2 * i] = (long) Math.floor(pos);
      ranks[2 * i + 1] = Math.min(n - 1, ranks[2 * i] + 1);
    }
    return ranks;
  }

  private static double[] interpolated(long n, double[] percentiles, double[] vals) {
    double[] out = new double[percentiles.length];
    for (int i = 0; i < percentiles.length; i++) {
      double pos = percentiles[i] / 100.0 * (n - 1);
      double frac = pos - Math.floor(pos);
      out[i] = vals[2 * i] + (vals[2 * i + 1] - vals[2 * i]) * frac;
    }
    return out;
  }

  /**
   * @param src the image
   * @param channel a channel, or -1 for all channels together
   * @return {mean, population standard deviation, count of non-NaN values, count of NaN values}
   */
  public static double[] meanStd(PlaneSource src, int channel) {
    double[] acc = new double[4]; // n, mean, m2 (Welford), nan
    scan(src, channel, v -> {
      if (Float.isNaN(v)) {
        acc[3]++;
        return;
      }
      acc[0]++;
      double d = v - acc[1];
      acc[1] += d / acc[0];
      acc[2] += d * (v - acc[1]);
    });
    return new double[] {acc[1], acc[0] > 0 ? Math.sqrt(acc[2] / acc[0]) : Double.NaN, acc[0], acc[3]};
  }

  /**
   * @param src the image
   * @return the number of non-finite values (NaN, +Inf, -Inf) over all channels
   */
  public static long nans(PlaneSource src) {
    if (src.integral()) {
      return 0;
    }
    long[] n = {0};
    scan(src, -1, v -> {
      if (Float.isNaN(v)) {
        n[0]++;
      }
    });
    return n[0];
  }
}
