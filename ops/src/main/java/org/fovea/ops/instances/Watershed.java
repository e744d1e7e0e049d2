package org.fovea.ops.instances;

import org.fovea.ops.instances.volume.Connectivity3D;
import org.fovea.ops.instances.volume.VolumeWatershed;

/**
 * Seeded watershed by priority flooding on a float landscape: {@link VolumeWatershed} on a volume
 * of depth 1.
 *
 * <p>Seeds are queued in raster order (those with a neighbour to flood). The lowest queued pixel
 * is taken next (on equal heights, the one queued first); each unlabelled neighbour inside the
 * mask takes its label and is queued at its own height. So every run is deterministic, and a
 * plateau between two seeds is split half-way, the earlier seed taking the middle pixel.
 *
 * @since 0.1.0
 */
public final class Watershed {

  private Watershed() {}

  /**
   * @param landscape heights, row by row (NaN is treated as +infinity)
   * @param seeds initial labels, 0 where unlabelled; not modified
   * @param mask where flooding may go, or null for everywhere
   * @param conn which pixels touch
   * @return the flooded labels; pixels outside the mask or unreachable from a seed stay 0
   */
  public static LabelImage flood(float[] landscape, LabelImage seeds, boolean[] mask,
      Connectivity conn) {
    return flood(landscape, seeds, mask, conn, true);
  }

  /** With {@code buckets} false, always the binary heap (the reference the tests compare to). */
  static LabelImage flood(float[] landscape, LabelImage seeds, boolean[] mask,
      Connectivity conn, boolean buckets) {
    LabelImage.checkSize(landscape.length, seeds.width(), seeds.height());
    if (mask != null) {
      LabelImage.checkSize(mask.length, seeds.width(), seeds.height());
    }
    return LabelImage.of(VolumeWatershed.flood(landscape, seeds.asVolume(), mask,
        Connectivity3D.of(conn), buckets));
  }
}
