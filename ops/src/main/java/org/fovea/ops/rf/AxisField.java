package org.fovea.ops.rf;

import java.util.Arrays;

/**
 * The receptive field of one layer's outputs along one spatial axis, in input-image pixels.
 *
 * <p>Output {@code u} sees input pixels {@link #first(long) first(u)} .. {@link #last(long)
 * last(u)}. When the field does not depend on the output's phase ({@code period == 1}), that range
 * is exactly {@code u * stride - padding .. u * stride - padding + rf - 1}; after up-sampling it
 * does, and {@code rf} and {@code padding} describe the smallest range of that form that holds the
 * field of every output. Coordinates are virtual: they run past the image border into padding.
 *
 * @param size the number of outputs on this axis
 * @param rf receptive field size r
 * @param stride effective stride S, input pixels per output ({@code strideNum / strideDen})
 * @param strideNum numerator of the stride, in lowest terms
 * @param strideDen denominator of the stride
 * @param padding effective padding P
 * @param centre the centre of the first output's field (averaged over phases)
 * @param reachBefore how far the field of an output reaches before the input pixels it stands
 *     for ({@code floor(u * S)}), the maximum over phases; the halo before a tile
 * @param reachAfter how far it reaches after its last input pixel ({@code ceil((u + 1) * S) - 1}),
 *     the maximum over phases; the halo after a tile
 * @param shift how far this layer alone moves the output grid off the centre of its input, in
 *     its input's pixels (0 for a centred layer; a half for a stride-2 SAME layer whose kernel and
 *     input size differ in parity)
 * @param misalignment how far the centre of this layer's output grid lies from the centre of the
 *     image, in image pixels: the shifts of all layers so far, each weighted by its input stride
 * @param period the number of outputs after which the field repeats shifted by {@code advance}
 * @param advance input pixels per period
 * @param lo the first input pixel of outputs {@code 0 .. period - 1}
 * @param hi the last input pixel of outputs {@code 0 .. period - 1}
 * @since 0.1.0
 */
public record AxisField(long size, double rf, double stride, long strideNum, long strideDen,
    double padding, double centre, long reachBefore, long reachAfter, double shift,
    double misalignment, int period, long advance, long[] lo, long[] hi) {

  /** Copies the arrays. */
  public AxisField {
    lo = lo.clone();
    hi = hi.clone();
  }

  /**
   * Describes a map for an image of {@code imageSize} pixels.
   *
   * @param shift the layer's own shift
   */
  static AxisField of(AxisMap m, long imageSize, double shift) {
    long a = m.advance;
    int p = m.period;
    long g = AxisMap.gcd(a, p);
    double s = (double) a / p;
    long padNum = Long.MIN_VALUE;
    long endNum = Long.MIN_VALUE;
    long before = Long.MIN_VALUE;
    long after = Long.MIN_VALUE;
    double sum = 0;
    for (int v = 0; v < p; v++) {
      padNum = Math.max(padNum, v * a - m.lo[v] * p);
      endNum = Math.max(endNum, m.hi[v] * p - v * a);
      before = Math.max(before, Math.floorDiv(v * a, p) - m.lo[v]);
      after = Math.max(after, m.hi[v] - (Math.floorDiv((v + 1) * a + p - 1, p) - 1));
      sum += (m.lo[v] + m.hi[v]) / 2.0 - v * s;
    }
    double padding = (double) padNum / p;
    double rf = (double) endNum / p + padding + 1;
    double centre = sum / p;
    double grid = centre + s * (m.size - 1) / 2.0;
    return new AxisField(m.size, rf, s, a / g, p / g, padding, centre, before, after, shift,
        grid - (imageSize - 1) / 2.0, p, a, m.lo, m.hi);
  }

  /** @return the centre of the output grid in image pixels: the centre of the middle output */
  public double gridCentre() {
    return centre + stride * (size - 1) / 2.0;
  }

  /**
   * @param u an output position
   * @return the first input pixel its receptive field covers (may be negative: padding)
   */
  public long first(long u) {
    long q = Math.floorDiv(u, period);
    return lo[(int) (u - q * period)] + q * advance;
  }

  /**
   * @param u an output position
   * @return the last input pixel its receptive field covers (may be past the image: padding)
   */
  public long last(long u) {
    long q = Math.floorDiv(u, period);
    return hi[(int) (u - q * period)] + q * advance;
  }

  @Override
  public long[] lo() {
    return lo.clone();
  }

  @Override
  public long[] hi() {
    return hi.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AxisField f && size == f.size && rf == f.rf && strideNum == f.strideNum
        && strideDen == f.strideDen && padding == f.padding && centre == f.centre
        && reachBefore == f.reachBefore && reachAfter == f.reachAfter && shift == f.shift
        && misalignment == f.misalignment && period == f.period && advance == f.advance
        && Arrays.equals(lo, f.lo) && Arrays.equals(hi, f.hi);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(size) * 31 + Double.hashCode(rf) * 17 + Arrays.hashCode(lo);
  }

  @Override
  public String toString() {
    return "AxisField[size=" + size + " rf=" + rf + " stride=" + stride + " padding=" + padding
        + " centre=" + centre + " reach=" + reachBefore + "/" + reachAfter + " shift=" + shift
        + " misalignment=" + misalignment + (period > 1 ? " period=" + period : "") + "]";
  }
}
