package org.fovea.plugins.fiji;

import ij.process.LUT;
import java.awt.Color;

/**
 * A glasbey-style lookup table for label images: index 0 black, then 255 colours each chosen as far
 * as possible (in CIELAB) from all colours before it, so that neighbouring labels look different.
 * The colours are computed here, by greedy farthest-point selection from a 16-level RGB grid.
 *
 * @since 0.1.0
 */
public final class LabelColors {

  private static final int LEVELS = 16;
  private static final byte[][] RGB = compute();

  private LabelColors() {}

  /** @return the table: index 0 black, 1..255 distinct colours */
  public static LUT lut() {
    return new LUT(RGB[0].clone(), RGB[1].clone(), RGB[2].clone());
  }

  /**
   * @param label a label, at least 1
   * @return its colour (labels above 255 repeat the colours of 1..255)
   */
  public static Color color(int label) {
    int i = 1 + Math.floorMod(label - 1, 255);
    return new Color(RGB[0][i] & 0xff, RGB[1][i] & 0xff, RGB[2][i] & 0xff);
  }

  private static byte[][] compute() {
    int n = LEVELS * LEVELS * LEVELS;
    double[][] lab = new double[n][];
    int[] rgb = new int[n];
    for (int i = 0; i < n; i++) {
      int r = (i / (LEVELS * LEVELS)) * 255 / (LEVELS - 1);
      int g = (i / LEVELS % LEVELS) * 255 / (LEVELS - 1);
      int b = (i % LEVELS) * 255 / (LEVELS - 1);
      rgb[i] = r << 16 | g << 8 | b;
      lab[i] = lab(r, g, b);
    }
    double[] nearest = new double[n];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    byte[][] out = new byte[3][256];
    int chosen = 0; // black first: the background
    for (int k = 0; k < 256; k++) {
      out[0][k] = (byte) (rgb[chosen] >> 16);
      out[1][k] = (byte) (rgb[chosen] >> 8);
      out[2][k] = (byte) rgb[chosen];
      int next = 0;
      for (int i = 0; i < n; i++) {
        double dl = lab[i][0] - lab[chosen][0];
        double da = lab[i][1] - lab[chosen][1];
        double db = lab[i][2] - lab[chosen][2];
        nearest[i] = Math.min(nearest[i], dl * dl + da * da + db * db);
        if (nearest[i] > nearest[next]) {
          next = i;
        }
      }
      chosen = next;
    }
    return out;
  }

  /** sRGB (0..255) to CIELAB under D65. */
  static double[] lab(int r, int g, int b) {
    double rl = linear(r);
    double gl = linear(g);
    double bl = linear(b);
    double x = (0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / 0.95047;
    double y = 0.2126 * rl + 0.7152 * gl + 0.0722 * bl;
    double z = (0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / 1.08883;
    double fx = f(x);
    double fy = f(y);
    double fz = f(z);
    return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
  }

  private static double linear(int c) {
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }

  private static double f(double t) {
    return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
  }
}
