package org.fovea.ops.instances;

/**
 * The exact Euclidean distance transform of a binary mask, separable (one lower envelope of
 * parabolas per row, then per column), after Felzenszwalb and Huttenlocher.
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
    LabelImage.checkSize(mask.length, width, height);
    if (!(spacingX > 0) || !(spacingY > 0)) {
      throw new IllegalArgumentException("pixel spacing must be positive, got " + spacingY + ", "
          + spacingX);
    }
    double[] d = new double[mask.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = mask[i] ? Double.POSITIVE_INFINITY : 0;
    }
    Envelope env = new Envelope(Math.max(width, height));
    for (int y = 0; y < height; y++) {
      env.transform(d, y * width, 1, width, spacingX);
    }
    for (int x = 0; x < width; x++) {
      env.transform(d, x, width, height, spacingY);
    }
    return d;
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
    double[] d = squared(mask, width, height, spacingY, spacingX);
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.sqrt(d[i]);
    }
    return d;
  }

  /** The 1D squared distance transform, reusing its buffers along every line. */
  private static final class Envelope {
    private final double[] f;
    private final int[] v;
    private final double[] z;

    Envelope(int n) {
      f = new double[n];
      v = new int[n];
      z = new double[n + 1];
    }

    /** Replaces {@code d[off + i*stride]} by min_p (s(i-p))^2 + d[p], over finite d[p]. */
    void transform(double[] d, int off, int stride, int n, double s) {
      for (int i = 0; i < n; i++) {
        f[i] = d[off + i * stride];
      }
      double s2 = s * s;
      int k = -1;
      for (int q = 0; q < n; q++) {
        if (f[q] == Double.POSITIVE_INFINITY) {
          continue;
        }
        double fq = f[q] + s2 * q * q;
        double cut = Double.NEGATIVE_INFINITY;
        while (k >= 0) {
          int p = v[k];
          cut = (fq - (f[p] + s2 * p * p)) / (2 * s2 * (q - p));
          if (cut > z[k]) {
            break;
          }
          k--;
        }
        k++;
        v[k] = q;
        z[k] = k == 0 ? Double.NEGATIVE_INFINITY : cut;
        z[k + 1] = Double.POSITIVE_INFINITY;
      }
      if (k < 0) {
        return; // no finite value on this line: it stays infinite
      }
      int j = 0;
      for (int q = 0; q < n; q++) {
        while (z[j + 1] < q) {
          j++;
        }
        double dq = s * (q - v[j]);
        d[off + q * stride] = dq * dq + f[v[j]];
      }
    }
  }
}
