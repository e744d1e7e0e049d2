package org.fovea.ops.tiling;

import java.io.Serializable;
import java.util.Locale;
import org.fovea.ops.net.FoveaException;

/**
 * How many output pixels a network gives per input pixel along one axis, as a ratio of whole
 * numbers: {@code 1/2} for a half-resolution output (StarDist's grid 2), {@code 2/1} for one that
 * up-samples, {@code 1/1} for most.
 *
 * @param num output pixels per {@code den} input pixels
 * @param den input pixels per {@code num} output pixels
 * @since 0.3.0
 */
public record OutputScale(long num, long den) implements Serializable {

  /** One output per input pixel. */
  public static final OutputScale ONE = new OutputScale(1, 1);

  /** Reduces the ratio and checks it is positive. */
  public OutputScale {
    if (num < 1 || den < 1) {
      throw new IllegalArgumentException("an output scale needs positive whole numbers, got "
          + num + "/" + den);
    }
    long g = gcd(num, den);
    num /= g;
    den /= g;
  }

  /**
   * @param factor output size per input size, such as 0.5 or 2 (from a model description)
   * @return the ratio of whole numbers (denominators up to 64) equal to it
   * @throws FoveaException when no such ratio is within 1e-9 of it
   */
  public static OutputScale of(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new FoveaException("an output scale of " + factor + " gives no output size: the"
          + " model's description must give a positive scale");
    }
    for (long d = 1; d <= 64; d++) {
      long n = Math.round(factor * d);
      if (n >= 1 && Math.abs((double) n / d - factor) < 1e-9) {
        return new OutputScale(n, d);
      }
    }
    throw new FoveaException(String.format(Locale.ROOT, "an output scale of %s is not a ratio of"
        + " whole numbers up to 64: Fovea tiles outputs of 1/2, 2, 1/8 ... the input's size",
        factor));
  }

  /** @return whether output and input have the same size */
  public boolean identity() {
    return num == 1 && den == 1;
  }

  /**
   * @param n an input size or position that is a multiple of {@link #den}
   * @return the output size or position
   * @throws IllegalArgumentException when it is not a multiple
   */
  public long exact(long n) {
    if (n % den != 0) {
      throw new IllegalArgumentException(n + " is not a multiple of " + den);
    }
    return n / den * num;
  }

  /** @return the output size of an input of n pixels (rounded up) */
  public long size(long n) {
    return Math.floorDiv(n * num + den - 1, den);
  }

  /** @return the output position where input position n lands (rounded down) */
  public long floor(long n) {
    return Math.floorDiv(n * num, den);
  }

  /** @return the output size per input size */
  public double factor() {
    return (double) num / den;
  }

  @Override
  public String toString() {
    return num + "/" + den;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
