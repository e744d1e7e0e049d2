package org.fovea.ops.instances;

import java.util.Random;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;

/**
 * Background/interior/boundary probability maps of random round nuclei, some touching, for tests
 * and benchmarks of the instance step (no network involved).
 *
 * @since 0.1.0
 */
public final class SyntheticNuclei {

  private SyntheticNuclei() {}

  /**
   * @param width columns
   * @param height rows
   * @param nuclei how many discs to draw (they may overlap and merge)
   * @param minRadius smallest radius, pixels
   * @param maxRadius largest radius, pixels
   * @param seed random seed
   * @return a {@code bcyx} tensor of shape 1×3×height×width: background, interior, boundary;
   *     the foreground (interior + boundary) rises from 0 one pixel outside each disc's edge to 1
   *     half a pixel inside it, the interior from 0 half a pixel inside to 1 at 2.5 pixels inside,
   *     the boundary is the rest of the foreground, and the three sum to 1
   */
  public static Tensor probabilities(int width, int height, int nuclei, double minRadius,
      double maxRadius, long seed) {
    Tensor t = Tensor.zeros(Axes.of("bcyx"), 1, 3, height, width);
    float[] p = t.data();
    int n = width * height;
    Random r = new Random(seed);
    for (int k = 0; k < nuclei; k++) {
      double cx = r.nextDouble() * width;
      double cy = r.nextDouble() * height;
      double rad = minRadius + r.nextDouble() * (maxRadius - minRadius);
      int x0 = Math.max(0, (int) Math.floor(cx - rad - 1));
      int x1 = Math.min(width - 1, (int) Math.ceil(cx + rad + 1));
      int y0 = Math.max(0, (int) Math.floor(cy - rad - 1));
      int y1 = Math.min(height - 1, (int) Math.ceil(cy + rad + 1));
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          double d = rad - Math.hypot(x + 0.5 - cx, y + 0.5 - cy); // depth inside the edge
          float fore = (float) Math.min(1, Math.max(0, (d + 1) / 1.5));
          float in = (float) Math.min(1, Math.max(0, (d - 0.5) / 2));
          int i = y * width + x;
          float f = Math.max(fore, p[n + i] + p[2 * n + i]);
          p[n + i] = Math.max(in, p[n + i]);
          p[2 * n + i] = f - p[n + i];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      p[i] = Math.max(0, 1 - p[n + i] - p[2 * n + i]);
    }
    return t;
  }
}
