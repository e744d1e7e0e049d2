package org.fovea.ops.tiling;

/**
 * A 2D multichannel image that can be read region by region, so that an image need not be held
 * as one float array: tiles read what they need, when they need it.
 *
 * @since 0.1.0
 */
public interface PlaneSource {

  /** @return rows */
  long height();

  /** @return columns */
  long width();

  /** @return channels */
  int channels();

  /**
   * Reads a region of every channel, as floats.
   *
   * @param y0 first row, inside the image
   * @param x0 first column, inside the image
   * @param h rows to read
   * @param w columns to read
   * @param dst receives {@code channels * h * w} values, channel-major then row-major
   */
  void read(long y0, long x0, int h, int w, float[] dst);

  /**
   * @return whether every value is an integer of a pixel type without NaN or infinity (8-, 16-
   *     or 32-bit integer images), so that statistics need not look for missing values and can
   *     count values directly
   * @since 0.4.0
   */
  default boolean integral() {
    return false;
  }
}
