package org.fovea.ops.rf;

import java.util.Arrays;

/**
 * Resizing by a rational factor per axis: an input of size {@code n} becomes {@code floor(n * num /
 * den)} outputs, and output {@code v} reads the inputs that its interpolation needs around the
 * source coordinate that {@link Coordinates} gives.
 *
 * @param num factor numerator per axis, at least 1
 * @param den factor denominator per axis, at least 1
 * @param coordinates how an output position maps to a source coordinate
 * @param interpolation which inputs around the source coordinate are read
 * @since 0.1.0
 */
public record Resize(long[] num, long[] den, Coordinates coordinates,
    Interpolation interpolation) {

  /** Source coordinate of output {@code v} for the factor {@code f = num / den}. */
  public enum Coordinates {
    /** {@code v / f} (PyTorch's nearest, TensorFlow's default). */
    ASYMMETRIC,
    /** {@code (v + 0.5) / f - 0.5} (ONNX's default, PyTorch's linear with align_corners=False). */
    HALF_PIXEL,
    /** {@code (v + 0.5) / f} (TensorFlow's nearest with half-pixel centres). */
    TF_HALF_PIXEL_FOR_NN
  }

  /** The inputs read around a source coordinate {@code x}. */
  public enum Interpolation {
    /** {@code floor(x)}. */
    NEAREST_FLOOR,
    /** {@code ceil(x)}. */
    NEAREST_CEIL,
    /** The nearest, halves rounded down (ONNX's default nearest mode). */
    NEAREST_ROUND_PREFER_FLOOR,
    /** The nearest, halves rounded up. */
    NEAREST_ROUND_PREFER_CEIL,
    /** {@code floor(x)} and {@code ceil(x)}. */
    LINEAR,
    /** {@code floor(x) - 1} to {@code floor(x) + 2}. */
    CUBIC
  }

  /** Validates the factors. */
  public Resize {
    if (num.length != den.length) {
      throw new IllegalArgumentException("resize factors differ in length");
    }
    for (int a = 0; a < num.length; a++) {
      if (num[a] < 1 || den[a] < 1) {
        throw new IllegalArgumentException("resize factor " + num[a] + "/" + den[a]
            + " is not positive");
      }
    }
    num = num.clone();
    den = den.clone();
  }

  /**
   * @param factors integer up-sampling factor per axis
   * @return nearest-neighbour up-sampling, {@code out[v] = in[floor(v / f)]}
   */
  public static Resize nearest(long... factors) {
    long[] one = new long[factors.length];
    Arrays.fill(one, 1);
    return new Resize(factors, one, Coordinates.ASYMMETRIC, Interpolation.NEAREST_FLOOR);
  }

  /** @return the number of spatial axes */
  public int axes() {
    return num.length;
  }

  /**
   * @param a axis
   * @param n input size
   * @return the output size
   */
  public long outSize(int a, long n) {
    return Math.floorDiv(n * num[a], den[a]);
  }

  /**
   * The inputs that output {@code v} reads (before any clamping at the image border).
   *
   * @param a axis
   * @param v output position
   * @return {@code {first, last}}
   */
  public long[] reads(int a, long v) {
    // source coordinate x = p / q, exactly
    long p;
    long q;
    switch (coordinates) {
      case ASYMMETRIC -> {
        p = v * den[a];
        q = num[a];
      }
      case HALF_PIXEL -> {
        p = (2 * v + 1) * den[a] - num[a];
        q = 2 * num[a];
      }
      default -> {
        p = (2 * v + 1) * den[a];
        q = 2 * num[a];
      }
    }
    long fl = Math.floorDiv(p, q);
    long ce = -Math.floorDiv(-p, q);
    return switch (interpolation) {
      case NEAREST_FLOOR -> new long[] {fl, fl};
      case NEAREST_CEIL -> new long[] {ce, ce};
      case NEAREST_ROUND_PREFER_FLOOR -> {
        long r = -Math.floorDiv(-(2 * p - q), 2 * q);
        yield new long[] {r, r};
      }
      case NEAREST_ROUND_PREFER_CEIL -> {
        long r = Math.floorDiv(2 * p + q, 2 * q);
        yield new long[] {r, r};
      }
      case LINEAR -> new long[] {fl, ce};
      case CUBIC -> new long[] {fl - 1, fl + 2};
    };
  }

  @Override
  public long[] num() {
    return num.clone();
  }

  @Override
  public long[] den() {
    return den.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resize r && Arrays.equals(num, r.num) && Arrays.equals(den, r.den)
        && coordinates == r.coordinates && interpolation == r.interpolation;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(num) * 31 + Arrays.hashCode(den);
  }

  @Override
  public String toString() {
    return "Resize[" + Arrays.toString(num) + "/" + Arrays.toString(den) + " " + coordinates + " "
        + interpolation + "]";
  }
}
