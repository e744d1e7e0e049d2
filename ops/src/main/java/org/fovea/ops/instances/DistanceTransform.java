package org.fovea.ops.instances;

import org.fovea.ops.instances.volume.VolumeDistanceTransform;

/**
 * The exact Euclidean distance transform of a binary mask, separable (one lower envelope of
 * parabolas per row, then per column), after Felzenszwalb and Huttenlocher: {@link
 * VolumeDistanceTransform} on a volume of depth 1.
 *
 * <p>Each foreground pixel gets the distance to the nearest background pixel, measured between
 * pixel centres; background pixels get 0. A mask without background gets infinity everywhere it
 * is set. Images are row by row: index {@code y * width + x}.
 *
 * @since 0.1.0
 */
public final class DistanceTransform {

  private DistanceTransform() {}

  /**
   * @param mask foreground flags, row by row
   * @param width columns
   * @param height rows
   * @return squared distances to the nearest background pixel, unit pixel spacing (exact integers)
   */
  public static double[] squared(boolean[] mask, int width, int height) {
    return squared(mask, width, height, 1, 1);
  }

  /**
   * @param mask foreground flags, row by row
   * @param width columns
   * @param height rows
   * @param spacingY distance between rows
   * @param spacingX distance between columns
   * @return squared distances to the nearest background pixel
   */
  public static double[] squared(boolean[] mask, int width, int height, double spacingY,
      double spacingX) {
    check(mask, width, height, spacingY, spacingX);
    return VolumeDistanceTransform.squared(mask, width, height, 1, 1, spacingY, spacingX);
  }

  /**
   * @param mask foreground flags, row by row
   * @param width columns
   * @param height rows
   * @param spacingY distance between rows
   * @param spacingX distance between columns
   * @return distances to the nearest background pixel
   */
  public static double[] distances(boolean[] mask, int width, int height, double spacingY,
      double spacingX) {
    check(mask, width, height, spacingY, spacingX);
    return VolumeDistanceTransform.distances(mask, width, height, 1, 1, spacingY, spacingX);
  }

  /** Throws the 2D refusals, which name no depth and no z spacing. */
  private static void check(boolean[] mask, int width, int height, double spacingY,
      double spacingX) {
    LabelImage.checkSize(mask.length, width, height);
    if (!(spacingX > 0) || !(spacingY > 0)) {
      throw new IllegalArgumentException("pixel spacing must be positive, got " + spacingY + ", "
          + spacingX);
    }
  }
}
