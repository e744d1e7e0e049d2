package org.fovea.ops.rf;

import java.util.List;

/**
 * Where the outputs of one layer look on one axis of the input image: output {@code u} sees input
 * pixels {@code lo(u) .. hi(u)}, where {@code lo(u + k * period) = lo(u) + k * advance} (likewise
 * {@code hi}). A period above 1 appears after up-sampling, where the receptive field depends on the
 * output's phase. Coordinates are virtual: they run past the image border into the padding.
 */
final class AxisMap {

  /** The longest period the analysis keeps before it gives up. */
  static final int MAX_PERIOD = 1 << 16;

  final long size;
  final int period;
  final long advance;
  final long[] lo;
  final long[] hi;

  AxisMap(long size, int period, long advance, long[] lo, long[] hi) {
    this.size = size;
    this.period = period;
    this.advance = advance;
    this.lo = lo;
    this.hi = hi;
  }

  /** The image itself: output u sees input u. */
  static AxisMap identity(long n) {
    return new AxisMap(n, 1, 1, new long[] {0}, new long[] {0});
  }

  long lo(long u) {
    long q = Math.floorDiv(u, period);
    return lo[(int) (u - q * period)] + q * advance;
  }

  long hi(long u) {
    long q = Math.floorDiv(u, period);
    return hi[(int) (u - q * period)] + q * advance;
  }

  /** The same map for another number of outputs. */
  AxisMap resized(long n) {
    return new AxisMap(n, period, advance, lo, hi);
  }

  /** What a layer reads of its input: for output v in [0, q), inputs first(v) .. last(v). */
  interface Reads {
    /** @return {first, last} for output v, 0 <= v < q */
    long[] at(long v);
  }

  /**
   * Composes this map with a layer whose read range repeats: outputs v + q read t inputs further
   * than outputs v.
   *
   * @return null when the period would grow beyond {@link #MAX_PERIOD}
   */
  AxisMap then(long outSize, long q, long t, Reads reads) {
    long g = gcd(period, t);
    long k = period / g;
    long p = q * k;
    if (p > MAX_PERIOD) {
      return null;
    }
    long adv = (t / g) * advance;
    long[] nlo = new long[(int) p];
    long[] nhi = new long[(int) p];
    long[][] base = new long[(int) q][];
    for (int v = 0; v < q; v++) {
      base[v] = reads.at(v);
    }
    for (int v = 0; v < p; v++) {
      long[] r = base[(int) (v % q)];
      long shift = (v / q) * t;
      nlo[v] = lo(r[0] + shift);
      nhi[v] = hi(r[1] + shift);
    }
    return new AxisMap(outSize, (int) p, adv, nlo, nhi).reduced();
  }

  /** The union of several maps of one size (inputs of size 1 broadcast). */
  static AxisMap union(List<AxisMap> maps, long size) {
    long p = 1;
    AxisMap first = null;
    for (AxisMap m : maps) {
      if (m.size == size || size == 1) {
        p = lcm(p, m.period);
        first = first == null ? m : first;
      }
    }
    if (p > MAX_PERIOD) {
      return null;
    }
    long adv = first.advance * (p / first.period);
    long[] nlo = new long[(int) p];
    long[] nhi = new long[(int) p];
    for (int v = 0; v < p; v++) {
      long l = Long.MAX_VALUE;
      long h = Long.MIN_VALUE;
      for (AxisMap m : maps) {
        long u = m.size == 1 && size > 1 ? 0 : v;
        l = Math.min(l, m.lo(u));
        h = Math.max(h, m.hi(u));
      }
      nlo[v] = l;
      nhi[v] = h;
    }
    return new AxisMap(size, (int) p, adv, nlo, nhi).reduced();
  }

  /** The same map with the shortest period that describes it. */
  AxisMap reduced() {
    for (int d = 1; d < period; d++) {
      if (period % d != 0 || (advance * d) % period != 0) {
        continue;
      }
      long step = advance * d / period;
      boolean ok = true;
      for (int v = 0; v + d < period && ok; v++) {
        ok = lo[v + d] == lo[v] + step && hi[v + d] == hi[v] + step;
      }
      if (ok) {
        return new AxisMap(size, d, step, java.util.Arrays.copyOf(lo, d),
            java.util.Arrays.copyOf(hi, d));
      }
    }
    return this;
  }

  static long gcd(long a, long b) {
    a = Math.abs(a);
    b = Math.abs(b);
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  static long lcm(long a, long b) {
    return a / gcd(a, b) * b;
  }
}
