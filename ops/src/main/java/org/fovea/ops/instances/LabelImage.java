package org.fovea.ops.instances;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.type.numeric.integer.IntType;

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

  static void checkSize(int length, int width, int height) {
    if (width < 0 || height < 0 || (long) width * height != length) {
      throw new IllegalArgumentException("an image of " + width + "x" + height + " pixels needs "
          + (long) width * height + " values, got " + length);
    }
  }
}
