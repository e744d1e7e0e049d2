package org.fovea.ops.instances;

import org.fovea.ops.instances.volume.VolumeMaxima;

/**
 * Regional maxima of a height map with their dynamics: flooding downwards from the highest pixel,
 * a maximum's dynamic is how far the level falls before its region meets a region with a higher
 * peak (infinite for the highest peak of each connected part). Pixels touch their 8 neighbours:
 * {@link VolumeMaxima} (26-connected) on a volume of depth 1.
 *
 * @since 0.1.0
 */
public final class Maxima {

  private Maxima() {}

  /**
   * @param values heights, row by row
   * @param mask where to look, or null for everywhere
   * @param width columns
   * @param height rows
   * @param minDynamic maxima whose dynamic is not greater than this are dropped (0: every regional
   *     maximum, one pixel per plateau)
   * @return one single-pixel seed per kept maximum (its first pixel in processing order),
   *     numbered 1..n in raster order
   */
  public static LabelImage seeds(float[] values, boolean[] mask, int width, int height,
      double minDynamic) {
    LabelImage.checkSize(values.length, width, height);
    return LabelImage.of(VolumeMaxima.seeds(values, mask, width, height, 1, minDynamic));
  }

  /** {@link VolumeMaxima#sortByHeight}: the first m keys, stably by their upper 32 bits. */
  static long[] sortByHeight(long[] keys, int m) {
    return VolumeMaxima.sortByHeight(keys, m);
  }
}
