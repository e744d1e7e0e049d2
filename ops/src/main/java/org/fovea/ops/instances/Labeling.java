package org.fovea.ops.instances;

import org.fovea.ops.instances.volume.Connectivity3D;
import org.fovea.ops.instances.volume.VolumeLabeling;

/**
 * Connected components, hole filling, size filters and relabelling of 2D label images: {@link
 * VolumeLabeling} on volumes of depth 1.
 *
 * @since 0.1.0
 */
public final class Labeling {

  private Labeling() {}

  /**
   * @param mask foreground flags, row by row
   * @param width columns
   * @param height rows
   * @param conn which pixels touch
   * @return one label per connected component, numbered in raster order of their first pixel
   */
  public static LabelImage components(boolean[] mask, int width, int height, Connectivity conn) {
    LabelImage.checkSize(mask.length, width, height);
    return LabelImage.of(VolumeLabeling.components(mask, width, height, 1,
        Connectivity3D.of(conn)));
  }

  /**
   * @param img a label image
   * @return the pixel count of each label, index = label (index 0: background)
   */
  public static long[] areas(LabelImage img) {
    return VolumeLabeling.volumes(img.asVolume());
  }

  /**
   * Fills holes: background regions (4-connected) that do not touch the image border and touch
   * only one label become part of that label.
   *
   * @param img a label image
   * @return a new label image with the same labels
   */
  public static LabelImage fillHoles(LabelImage img) {
    return LabelImage.of(VolumeLabeling.fillHoles(img.asVolume()));
  }

  /**
   * Removes objects outside a size range and numbers the rest 1..n in raster order of their
   * first pixel.
   *
   * @param img a label image
   * @param minArea smallest area kept, in pixels
   * @param maxArea largest area kept, in pixels (0: no limit)
   * @return the filtered, relabelled image
   */
  public static LabelImage filterSizes(LabelImage img, long minArea, long maxArea) {
    return LabelImage.of(VolumeLabeling.filterSizes(img.asVolume(), minArea, maxArea));
  }
}
