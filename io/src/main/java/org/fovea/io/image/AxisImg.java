package org.fovea.io.image;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import net.imglib2.RandomAccessibleInterval;
import org.fovea.ops.net.Axis;

/**
 * An ImgLib2 image together with what each of its dimensions means and how large a pixel is.
 *
 * @param img the pixels
 * @param axes one axis per dimension of {@code img}, in ImgLib2 dimension order (fastest first:
 *     {@code X, Y, ...}); no axis twice
 * @param calibration per axis, in the same order, the size of one pixel step: the spatial unit for
 *     X, Y and Z, the time unit of the source for TIME, and 1 for axes without a size (CHANNEL) or
 *     when uncalibrated
 * @param unit the spatial unit of {@code calibration}, such as {@code "µm"} or {@code "pixel"}
 * @param <T> the pixel type
 * @since 0.1.0
 */
public record AxisImg<T>(
    RandomAccessibleInterval<T> img, List<Axis> axes, double[] calibration, String unit) {

  /**
   * Checks that there is one axis and one calibration per dimension, no axis twice, and copies the
   * list and array.
   *
   * @throws IllegalArgumentException when the counts disagree or an axis repeats
   * @throws NullPointerException when a component is null
   */
  public AxisImg {
    Objects.requireNonNull(img, "img");
    axes = List.copyOf(axes);
    calibration = calibration.clone();
    Objects.requireNonNull(unit, "unit");
    if (axes.size() != img.numDimensions()) {
      throw new IllegalArgumentException("the image has " + img.numDimensions()
          + " dimensions but " + axes.size() + " axes were given: " + axes);
    }
    if (calibration.length != axes.size()) {
      throw new IllegalArgumentException("there are " + axes.size() + " axes but "
          + calibration.length + " calibration values");
    }
    if (new HashSet<>(axes).size() != axes.size()) {
      throw new IllegalArgumentException("an axis appears twice in " + axes);
    }
  }

  /** @return a copy of the per-axis pixel sizes, in {@link #axes()} order */
  @Override
  public double[] calibration() {
    return calibration.clone();
  }

  /**
   * @param axis an axis
   * @return its dimension index in {@link #img()}, or -1 when the image has no such axis
   */
  public int dimensionOf(Axis axis) {
    return axes.indexOf(axis);
  }

  /**
   * @param axis an axis
   * @return the image's size along it, 1 when the image has no such axis
   */
  public long size(Axis axis) {
    int d = dimensionOf(axis);
    return d < 0 ? 1 : img.dimension(d);
  }

  /**
   * @param axis an axis
   * @return the pixel size along it, 1 when the image has no such axis
   */
  public double calibration(Axis axis) {
    int d = dimensionOf(axis);
    return d < 0 ? 1 : calibration[d];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AxisImg<?> other
        && img.equals(other.img)
        && axes.equals(other.axes)
        && Arrays.equals(calibration, other.calibration)
        && unit.equals(other.unit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(img, axes, Arrays.hashCode(calibration), unit);
  }

  @Override
  public String toString() {
    return "AxisImg[axes=" + axes + ", dims=" + Arrays.toString(img.dimensionsAsLongArray())
        + ", calibration=" + Arrays.toString(calibration) + ", unit=" + unit + "]";
  }
}
