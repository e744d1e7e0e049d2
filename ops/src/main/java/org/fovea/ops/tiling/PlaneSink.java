package org.fovea.ops.tiling;

/**
 * Where a tiled computation writes its output, region by region.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PlaneSink {

  /**
   * @param y0 first row
   * @param x0 first column
   * @param h rows
   * @param w columns
   * @param channels channels in {@code src}
   * @param src {@code channels * h * w} values, channel-major then row-major
   */
  void write(long y0, long x0, int h, int w, int channels, float[] src);
}
