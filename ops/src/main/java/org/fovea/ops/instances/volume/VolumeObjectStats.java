package org.fovea.ops.instances.volume;

import java.util.ArrayList;
import java.util.List;

/**
 * Measurements of one object of a label volume: the 3D counterpart of {@link
 * org.fovea.ops.instances.ObjectStats}.
 *
 * @param label the object's label
 * @param voxels the object's size in voxels
 * @param physicalVolume voxels times the product of the three spacings
 * @param centroidX mean column (voxel centres at integer coordinates)
 * @param centroidY mean row
 * @param centroidZ mean plane
 * @param minX first column of the bounding box
 * @param minY first row
 * @param minZ first plane
 * @param maxX last column of the bounding box (inclusive)
 * @param maxY last row (inclusive)
 * @param maxZ last plane (inclusive)
 * @param meanIntensity mean of the intensity volume over the object (NaN without one)
 * @param score mean of the score volume over the object (NaN without one)
 * @since 0.3.0
 */
public record VolumeObjectStats(int label, long voxels, double physicalVolume, double centroidX,
    double centroidY, double centroidZ, int minX, int minY, int minZ, int maxX, int maxY,
    int maxZ, double meanIntensity, double score) {

  /**
   * @param vol a label volume
   * @param intensity voxel values of the same size, or null
   * @param score per-voxel scores of the same size (such as the interior probability), or null
   * @param spacingZ distance between planes
   * @param spacingY distance between rows
   * @param spacingX distance between columns
   * @return one entry per label present, in label order
   * @throws IllegalArgumentException when the intensity or score volume has another size
   */
  public static List<VolumeObjectStats> measure(LabelVolume vol, float[] intensity, float[] score,
      double spacingZ, double spacingY, double spacingX) {
    int w = vol.width();
    int h = vol.height();
    int d = vol.depth();
    if (intensity != null) {
      LabelVolume.checkSize(intensity.length, w, h, d);
    }
    if (score != null) {
      LabelVolume.checkSize(score.length, w, h, d);
    }
    int n = vol.count();
    long[] size = new long[n + 1];
    double[] sx = new double[n + 1];
    double[] sy = new double[n + 1];
    double[] sz = new double[n + 1];
    double[] si = new double[n + 1];
    double[] ss = new double[n + 1];
    int[][] lo = new int[3][n + 1];
    int[][] hi = new int[3][n + 1];
    for (int[] a : lo) {
      java.util.Arrays.fill(a, Integer.MAX_VALUE);
    }
    int[] l = vol.labels();
    int plane = w * h;
    for (int i = 0; i < l.length; i++) {
      int k = l[i];
      if (k <= 0) {
        continue;
      }
      int z = i / plane;
      int y = (i - z * plane) / w;
      int x = i - z * plane - y * w;
      size[k]++;
      sx[k] += x;
      sy[k] += y;
      sz[k] += z;
      si[k] += intensity == null ? 0 : intensity[i];
      ss[k] += score == null ? 0 : score[i];
      lo[0][k] = Math.min(lo[0][k], x);
      lo[1][k] = Math.min(lo[1][k], y);
      lo[2][k] = Math.min(lo[2][k], z);
      hi[0][k] = Math.max(hi[0][k], x);
      hi[1][k] = Math.max(hi[1][k], y);
      hi[2][k] = Math.max(hi[2][k], z);
    }
    double voxel = spacingZ * spacingY * spacingX;
    List<VolumeObjectStats> out = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      if (size[k] > 0) {
        double a = size[k];
        out.add(new VolumeObjectStats(k, size[k], a * voxel, sx[k] / a, sy[k] / a, sz[k] / a,
            lo[0][k], lo[1][k], lo[2][k], hi[0][k], hi[1][k], hi[2][k],
            intensity == null ? Double.NaN : si[k] / a, score == null ? Double.NaN : ss[k] / a));
      }
    }
    return out;
  }
}
