package org.fovea.ops.instances.volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.view.Views;

/**
 * A 3D label image: one int per voxel, x fastest, then y, then z; 0 for background, 1..count for
 * objects. The 3D counterpart of {@link org.fovea.ops.instances.LabelImage}.
 *
 * @param width columns (x)
 * @param height rows (y)
 * @param depth planes (z)
 * @param labels the labels, index {@code (z * height + y) * width + x}
 * @param count the largest label
 * @since 0.3.0
 */
public record LabelVolume(int width, int height, int depth, int[] labels, int count) {

  /** Validates the size. */
  public LabelVolume {
    checkSize(labels.length, width, height, depth);
  }

  /**
   * Copies an ImgLib2 label volume.
   *
   * @param image dimensions x, y, z, any origin and integer type; 0 is background
   * @return its labels, x fastest; {@code count} is the largest
   * @throws IllegalArgumentException when it is not 3D or has 2^31 voxels or more
   */
  public static LabelVolume of(RandomAccessibleInterval<? extends IntegerType<?>> image) {
    if (image.numDimensions() != 3) {
      throw new IllegalArgumentException("a label volume must be 3D (x, y, z), got dimensions "
          + java.util.Arrays.toString(image.dimensionsAsLongArray()));
    }
    int[] l = new int[(int) voxels(image.dimension(0), image.dimension(1), image.dimension(2))];
    int i = 0;
    int max = 0;
    for (IntegerType<?> t : Views.flatIterable(image)) {
      l[i] = t.getInteger();
      max = Math.max(max, l[i++]);
    }
    return new LabelVolume((int) image.dimension(0), (int) image.dimension(1),
        (int) image.dimension(2), l, max);
  }

  /**
   * @param x column
   * @param y row
   * @param z plane
   * @return the label there
   */
  public int at(int x, int y, int z) {
    return labels[(z * height + y) * width + x];
  }

  /** @return the same labels as an ImgLib2 image (dimensions x, y, z), no copy */
  public ArrayImg<IntType, IntArray> asImg() {
    return ArrayImgs.ints(labels, width, height, depth);
  }

  /**
   * @param width columns
   * @param height rows
   * @param depth planes
   * @return the number of voxels
   * @throws IllegalArgumentException when a size is negative or there are 2^31 voxels or more
   */
  static long voxels(long width, long height, long depth) {
    if (width < 0 || height < 0 || depth < 0) {
      throw new IllegalArgumentException("a volume cannot have a negative size, got " + width + "x"
          + height + "x" + depth);
    }
    double n = (double) width * height * depth; // no overflow, and exact below 2^53
    if (n > Integer.MAX_VALUE - 8
        || Math.max(width, Math.max(height, depth)) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a volume of " + width + "x" + height + "x" + depth
          + " = " + (long) n + " voxels is larger than 2^31 voxels: process it in smaller blocks");
    }
    return (long) n;
  }

  /** Throws the one-sentence refusal when {@code length} values cannot be such a volume. */
  static void checkSize(int length, int width, int height, int depth) {
    if (voxels(width, height, depth) != length) {
      throw new IllegalArgumentException("a volume of " + width + "x" + height + "x" + depth
          + " voxels needs " + (long) width * height * depth + " values, got " + length);
    }
  }
}
