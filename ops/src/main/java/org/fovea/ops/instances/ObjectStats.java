package org.fovea.ops.instances;

import java.util.ArrayList;
import java.util.List;

/**
 * Measurements of one object of a label image.
 *
 * @param label the object's label
 * @param area pixels
 * @param centroidX mean column (pixel centres at integer coordinates)
 * @param centroidY mean row
 * @param minX leftmost column
 * @param minY top row
 * @param width bounding box width in pixels
 * @param height bounding box height in pixels
 * @param meanIntensity mean of the intensity image over the object (NaN without one)
 * @param score mean of the score image over the object (NaN without one)
 * @since 0.1.0
 */
public record ObjectStats(int label, long area, double centroidX, double centroidY, int minX,
    int minY, int width, int height, double meanIntensity, double score) {

  /**
   * @param img a label image
   * @param intensity pixel values of the same size, or null
   * @param score per-pixel scores of the same size (such as the interior probability), or null
   * @return one entry per label present, in label order
   */
  public static List<ObjectStats> measure(LabelImage img, float[] intensity, float[] score) {
    int n = img.count();
    int w = img.width();
    long[] area = new long[n + 1];
    double[] sx = new double[n + 1];
    double[] sy = new double[n + 1];
    double[] si = new double[n + 1];
    double[] ss = new double[n + 1];
    int[] x0 = new int[n + 1];
    int[] y0 = new int[n + 1];
    int[] x1 = new int[n + 1];
    int[] y1 = new int[n + 1];
    java.util.Arrays.fill(x0, Integer.MAX_VALUE);
    java.util.Arrays.fill(y0, Integer.MAX_VALUE);
    int[] l = img.labels();
    for (int i = 0; i < l.length; i++) {
      int k = l[i];
      if (k <= 0) {
        continue;
      }
      int x = i % w;
      int y = i / w;
      area[k]++;
      sx[k] += x;
      sy[k] += y;
      si[k] += intensity == null ? 0 : intensity[i];
      ss[k] += score == null ? 0 : score[i];
      x0[k] = Math.min(x0[k], x);
      y0[k] = Math.min(y0[k], y);
      x1[k] = Math.max(x1[k], x);
      y1[k] = Math.max(y1[k], y);
    }
    List<ObjectStats> out = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      if (area[k] > 0) {
        double a = area[k];
        out.add(new ObjectStats(k, area[k], sx[k] / a, sy[k] / a, x0[k], y0[k], x1[k] - x0[k] + 1,
            y1[k] - y0[k] + 1, intensity == null ? Double.NaN : si[k] / a,
            score == null ? Double.NaN : ss[k] / a));
      }
    }
    return out;
  }
}
