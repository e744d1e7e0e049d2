package org.fovea.ops.net;

import java.util.Arrays;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A dense float tensor in C order (the last axis varies fastest), the form engines exchange.
 *
 * <p>{@link #asImg()} wraps the same array as an ImgLib2 image without copying; its dimensions are
 * the tensor's shape reversed (ImgLib2's dimension 0 varies fastest), so a {@code bcyx} tensor is
 * an image with dimensions x, y, c, b.
 *
 * @param axes the axes, outermost first
 * @param shape the size of each axis
 * @param data the values, {@code product(shape)} of them
 * @since 0.1.0
 */
public record Tensor(Axes axes, long[] shape, float[] data) {

  /** Validates that shape, axes and data agree. */
  public Tensor {
    if (shape.length != axes.size()) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " has " + shape.length + " sizes but axes '" + axes
              + "' has " + axes.size());
    }
    long n = elements(shape);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
    shape = shape.clone();
  }

  /**
   * @param axes the axes, outermost first
   * @param shape the size of each axis
   * @return a tensor of zeros
   */
  public static Tensor zeros(Axes axes, long... shape) {
    long n = elements(shape);
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a tensor of shape " + Arrays.toString(shape) + " is larger than 2^31 values: use smaller tiles");
    }
    return new Tensor(axes, shape, new float[(int) n]);
  }

  /**
   * @param shape sizes
   * @return their product
   * @throws IllegalArgumentException for a negative size
   */
  public static long elements(long[] shape) {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, s);
    }
    return n;
  }

  /** @return a copy of the shape */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /**
   * @param a an axis
   * @return the size of that axis, or 1 when the tensor lacks it
   */
  public long size(Axis a) {
    int i = axes.indexOf(a);
    return i < 0 ? 1 : shape[i];
  }

  /** @return C-order strides, in elements */
  public long[] strides() {
    long[] st = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      st[i] = s;
      s *= shape[i];
    }
    return st;
  }

  /**
   * @param from the box's first index per axis
   * @param size the box's size per axis
   * @return a new tensor holding the box {@code from .. from + size} of this one
   */
  public Tensor box(long[] from, long[] size) {
    Tensor d = zeros(axes, size);
    long[] ss = strides();
    long[] ds = d.strides();
    int last = size.length - 1;
    long[] i = new long[size.length];
    long rows = elements(size) / Math.max(1, size[last]);
    for (long r = 0; r < rows; r++) {
      long so = 0;
      long dof = 0;
      for (int a = 0; a < size.length; a++) {
        so += (from[a] + i[a]) * ss[a];
        dof += i[a] * ds[a];
      }
      System.arraycopy(data, (int) so, d.data, (int) dof, (int) size[last]);
      for (int a = last - 1; a >= 0; a--) {
        if (++i[a] < size[a]) {
          break;
        }
        i[a] = 0;
      }
    }
    return d;
  }

  /** @return the same data as an ImgLib2 image, dimensions in reverse axis order, no copy */
  public ArrayImg<FloatType, FloatArray> asImg() {
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[shape.length - 1 - i];
    }
    return ArrayImgs.floats(data, dims);
  }

  /** @return the largest absolute difference to another tensor of the same shape */
  public double maxAbsDifference(Tensor other) {
    if (!Arrays.equals(shape, other.shape)) {
      throw new IllegalArgumentException(
          "shapes differ: " + Arrays.toString(shape) + " vs " + Arrays.toString(other.shape));
    }
    double m = 0;
    for (int i = 0; i < data.length; i++) {
      double d = Math.abs((double) data[i] - other.data[i]);
      if (!(d <= m)) {
        m = Double.isNaN(d) ? Double.NaN : d;
        if (Double.isNaN(m)) {
          return m;
        }
      }
    }
    return m;
  }

  @Override
  public String toString() {
    return "Tensor[" + axes + " " + Arrays.toString(shape) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && axes.equals(t.axes) && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * axes.hashCode() + Arrays.hashCode(shape);
  }
}
