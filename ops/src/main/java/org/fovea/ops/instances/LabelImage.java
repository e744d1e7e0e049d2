package org.fovea.ops.instances;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.view.Views;
import org.fovea.ops.instances.volume.LabelVolume;

/**
 * A 2D label image: one int per pixel, row by row, 0 for background, 1..count for objects.
 *
 * @param width columns
 * @param height rows
 * @param labels the labels, index {@code y * width + x}
 * @param count the largest label
 * @since 0.1.0
 */
public record LabelImage(int width, int height, int[] labels, int count) {

  /** Validates the size. */
  public LabelImage {
    checkSize(labels.length, width, height);
  }

  /**
   * Copies an ImgLib2 label image.
   *
   * @param image dimensions x, y, any origin and integer type; 0 is background
   * @return its labels row by row; {@code count} is the largest
   * @throws IllegalArgumentException when it is not 2D or has 2^31 pixels or more
   */
  public static LabelImage of(RandomAccessibleInterval<? extends IntegerType<?>> image) {
    if (image.numDimensions() != 2 || image.dimension(0) * image.dimension(1) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a label image must be 2D (x, y) with fewer than 2^31"
          + " pixels, got " + java.util.Arrays.toString(image.dimensionsAsLongArray()));
    }
    int w = (int) image.dimension(0);
    int h = (int) image.dimension(1);
    int[] l = new int[w * h];
    int i = 0;
    int max = 0;
    for (IntegerType<?> t : Views.flatIterable(image)) {
      l[i] = t.getInteger();
      max = Math.max(max, l[i++]);
    }
    return new LabelImage(w, h, l, max);
  }

  /**
   * @param x column
   * @param y row
   * @return the label there
   */
  public int at(int x, int y) {
    return labels[y * width + x];
  }

  /** @return the same labels as an ImgLib2 image (dimensions x, y), no copy */
  public ArrayImg<IntType, IntArray> asImg() {
    return ArrayImgs.ints(labels, width, height);
  }

  /** @return the same labels as a volume of depth 1, sharing the array */
  LabelVolume asVolume() {
    return new LabelVolume(width, height, 1, labels, count);
  }

  /**
   * @param plane a volume of depth 1
   * @return the same labels as a 2D image, sharing the array
   */
  static LabelImage of(LabelVolume plane) {
    if (plane.depth() != 1) {
      throw new IllegalArgumentException("a label image is one plane, got a depth of "
          + plane.depth());
    }
    return new LabelImage(plane.width(), plane.height(), plane.labels(), plane.count());
  }

  static void checkSize(int length, int width, int height) {
    if (width < 0 || height < 0 || (long) width * height != length) {
      throw new IllegalArgumentException("an image of " + width + "x" + height + " pixels needs "
          + (long) width * height + " values, got " + length);
    }
  }
}
