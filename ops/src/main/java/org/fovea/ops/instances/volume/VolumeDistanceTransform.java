package org.fovea.ops.instances.volume;

/**
 * The exact Euclidean distance transform of a 3D binary mask with a spacing per axis, separable
 * (one lower envelope of parabolas per line along x, then y, then z), after Felzenszwalb and
 * Huttenlocher: the implementation behind {@link org.fovea.ops.instances.DistanceTransform}, whose
 * 2D images are volumes of depth 1 (no pass along z).
 *
 * <p>Each foreground voxel gets the distance to the nearest background voxel, measured between
 * voxel centres with the given spacings; background voxels get 0. A mask without background gets
 * infinity everywhere it is set. Volumes are x fastest, then y, then z: index
 * {@code (z * height + y) * width + x}.
 *
 * @since 0.3.0
 */
public final class VolumeDistanceTransform {

  private VolumeDistanceTransform() {}

  /**
   * @param mask foreground flags, x fastest, then y, then z
   * @param width columns
   * @param height rows
   * @param depth planes
   * @param spacingZ distance between planes
   * @param spacingY distance between rows
   * @param spacingX distance between columns
   * @return squared distances to the nearest background voxel
   * @throws IllegalArgumentException when a spacing is not positive or the sizes disagree
   */
  public static double[] squared(boolean[] mask, int width, int height, int depth,
      double spacingZ, double spacingY, double spacingX) {
    LabelVolume.checkSize(mask.length, width, height, depth);
    if (!(spacingX > 0) || !(spacingY > 0) || !(spacingZ > 0)) {
      throw new IllegalArgumentException("voxel spacing must be positive, got " + spacingZ + ", "
          + spacingY + ", " + spacingX);
    }
    double[] d = new double[mask.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = mask[i] ? Double.POSITIVE_INFINITY : 0;
    }
    int plane = width * height;
    Envelope env = new Envelope(Math.max(width, height));
    for (int z = 0; z < depth; z++) {
      for (int y = 0; y < height; y++) {
        env.transform(d, z * plane + y * width, 1, width, spacingX);
      }
    }
    for (int z = 0; z < depth; z++) {
      for (int x = 0; x < width; x++) {
        env.transform(d, z * plane + x, width, height, spacingY);
      }
    }
    if (depth > 1) {
      alongZ(d, plane, depth, spacingZ);
    }
    return d;
  }

  /**
   * The pass along z, with its own envelope: the x and y passes' envelope then never leaves
   * {@link #squared}, so the JIT can keep its fields in registers (shared with the z pass, it
   * made the transform of a 2D image, depth 1, about 1.6 times slower than a 2D-only one).
   */
  private static void alongZ(double[] d, int plane, int depth, double spacingZ) {
    Envelope env = new Envelope(depth);
    for (int i = 0; i < plane; i++) {
      env.transform(d, i, plane, depth, spacingZ);
    }
  }

  /**
   * @param mask foreground flags, x fastest, then y, then z
   * @param width columns
   * @param height rows
   * @param depth planes
   * @param spacingZ distance between planes
   * @param spacingY distance between rows
   * @param spacingX distance between columns
   * @return distances to the nearest background voxel
   * @throws IllegalArgumentException when a spacing is not positive or the sizes disagree
   */
  public static double[] distances(boolean[] mask, int width, int height, int depth,
      double spacingZ, double spacingY, double spacingX) {
    double[] d = squared(mask, width, height, depth, spacingZ, spacingY, spacingX);
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
