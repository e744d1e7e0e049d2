package org.fovea.ops.saliency;

import java.util.Arrays;

/**
 * A saliency map drawn over its image: the grey image, the map through a {@link Colormaps
 * perceptual colour map} blended on top (opacity growing with the map's magnitude, so weak values
 * leave the image visible), a colour bar on the right and the target outlined. Pixels only; the
 * caller adds text (the bar's numbers) in its own toolkit.
 *
 * @param argb the pixels, {@code 0xAARRGGBB}, row by row
 * @param width the picture's width (image plus bar)
 * @param height the picture's height
 * @param imageWidth the image's width; the bar lies to its right
 * @param low the value at the bottom of the bar
 * @param high the value at the top of the bar
 * @param barX left column of the bar
 * @param barWidth the bar's width
 * @since 0.1.0
 */
public record Overlay(int[] argb, int width, int height, int imageWidth, double low, double high,
    int barX, int barWidth) {

  /** Columns right of the image kept for the bar and its numbers. */
  public static final int MARGIN = 90;

  /**
   * @param image the grey image, {@code w * h} values, row by row
   * @param map the saliency map, same size
   * @param w width
   * @param h height
   * @param signed whether to show signs (diverging map) or magnitudes (sequential map)
   * @param opacity the largest opacity of the map, in [0, 1]
   * @param target the target to outline, or null
   * @return the picture
   */
  public static Overlay render(float[] image, float[] map, int w, int h, boolean signed,
      double opacity, Target target) {
    double[] g = range(image);
    double top = percentileAbs(map, 99.5);
    if (top == 0) {
      top = 1;
    }
    int width = w + MARGIN;
    int[] px = new int[width * h];
    Arrays.fill(px, 0xFFFFFFFF);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        double gv = g[1] > g[0] ? (image[i] - g[0]) / (g[1] - g[0]) : 0;
        int grey = (int) Math.round(255 * Math.max(0, Math.min(1, gv)));
        double t = map[i] / top;
        int c = signed ? Colormaps.diverging(t) : Colormaps.sequential(Math.abs(t));
        double a = opacity * Math.min(1, Math.abs(t));
        px[y * width + x] = 0xFF000000 | blend(grey, c, a);
      }
    }
    int barX = w + 8;
    int barW = 16;
    for (int y = 0; y < h; y++) {
      double t = 1 - y / (double) Math.max(1, h - 1);
      int c = signed ? Colormaps.diverging(2 * t - 1) : Colormaps.sequential(t);
      for (int x = barX; x < barX + barW; x++) {
        px[y * width + x] = 0xFF000000 | c;
      }
    }
    if (target != null) {
      mark(px, width, w, h, target);
    }
    return new Overlay(px, width, h, w, signed ? -top : 0, top, barX, barW);
  }

  private static int blend(int grey, int rgb, double a) {
    int r = (int) Math.round((1 - a) * grey + a * ((rgb >> 16) & 255));
    int gg = (int) Math.round((1 - a) * grey + a * ((rgb >> 8) & 255));
    int b = (int) Math.round((1 - a) * grey + a * (rgb & 255));
    return (r << 16) | (gg << 8) | b;
  }

  /** Outlines a rectangle target, or draws a cross with a gap around a pixel target. */
  private static void mark(int[] px, int width, int w, int h, Target t) {
    int colour = 0xFF00E5FF;
    if (t.kind() == Target.Kind.WHOLE) {
      return;
    }
    int x0 = (int) t.x();
    int y0 = (int) t.y();
    int x1 = (int) (t.x() + t.width() - 1);
    int y1 = (int) (t.y() + t.height() - 1);
    if (t.kind() == Target.Kind.ROI) {
      for (int x = x0 - 1; x <= x1 + 1; x++) {
        set(px, width, w, h, x, y0 - 1, colour);
        set(px, width, w, h, x, y1 + 1, colour);
      }
      for (int y = y0 - 1; y <= y1 + 1; y++) {
        set(px, width, w, h, x0 - 1, y, colour);
        set(px, width, w, h, x1 + 1, y, colour);
      }
      return;
    }
    for (int d = 3; d <= 9; d++) {
      set(px, width, w, h, x0 - d, y0, colour);
      set(px, width, w, h, x0 + d, y0, colour);
      set(px, width, w, h, x0, y0 - d, colour);
      set(px, width, w, h, x0, y0 + d, colour);
    }
  }

  private static void set(int[] px, int width, int w, int h, int x, int y, int c) {
    if (x >= 0 && y >= 0 && x < w && y < h) {
      px[y * width + x] = c;
    }
  }

  private static double[] range(float[] v) {
    float[] s = v.clone();
    Arrays.sort(s);
    return new double[] {s[(int) (0.005 * (s.length - 1))], s[(int) (0.998 * (s.length - 1))]};
  }

  /**
   * @param v values
   * @param p a percentile in [0, 100]
   * @return that percentile of the absolute values
   */
  public static double percentileAbs(float[] v, double p) {
    float[] a = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      a[i] = Math.abs(v[i]);
    }
    Arrays.sort(a);
    return a.length == 0 ? 0 : a[(int) Math.round(p / 100 * (a.length - 1))];
  }
}
