package org.fovea.ops.saliency;

/**
 * Perceptual colour maps, built here by linear interpolation in CIELAB between a few anchor
 * colours whose lightness changes evenly, then converted to sRGB (D65).
 *
 * <ul>
 *   <li>{@link #sequential(double)}: for magnitudes; lightness rises from 12 to 96 through
 *       violet, red and orange to pale yellow.
 *   <li>{@link #diverging(double)}: for signed values; blue at -1, near-white at 0, red at +1,
 *       with equal lightness at equal distance from 0.
 * </ul>
 *
 * @since 0.1.0
 */
public final class Colormaps {

  /** L*, a*, b* anchors of the sequential map, evenly spaced in L*. */
  private static final double[][] SEQUENTIAL = {
      {12, 30, -45}, {33, 55, -40}, {54, 62, 30}, {75, 25, 72}, {96, -8, 40}};

  /** L*, a*, b* anchors of the diverging map: blue, white, red. */
  private static final double[][] DIVERGING = {
      {38, 20, -62}, {68, -2, -30}, {97, 0, 0}, {68, 38, 22}, {38, 60, 45}};

  private Colormaps() {}

  /**
   * @param t a position in [0, 1] (clamped)
   * @return the sequential map's colour as {@code 0xRRGGBB}
   */
  public static int sequential(double t) {
    return lab(interpolate(SEQUENTIAL, t));
  }

  /**
   * @param t a position in [-1, 1] (clamped)
   * @return the diverging map's colour as {@code 0xRRGGBB}
   */
  public static int diverging(double t) {
    return lab(interpolate(DIVERGING, (t + 1) / 2));
  }

  /**
   * @param t in [0, 1]
   * @return the Lab colour at {@code t} along the anchors
   */
  static double[] interpolate(double[][] anchors, double t) {
    double u = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (anchors.length - 1);
    int i = Math.min(anchors.length - 2, (int) Math.floor(u));
    double f = u - i;
    double[] c = new double[3];
    for (int k = 0; k < 3; k++) {
      c[k] = anchors[i][k] + f * (anchors[i + 1][k] - anchors[i][k]);
    }
    return c;
  }

  /** @return CIELAB (D65) as sRGB {@code 0xRRGGBB}, clipped to the gamut */
  static int lab(double[] lab) {
    double fy = (lab[0] + 16) / 116;
    double fx = fy + lab[1] / 500;
    double fz = fy - lab[2] / 200;
    double x = 0.95047 * inv(fx);
    double y = inv(fy);
    double z = 1.08883 * inv(fz);
    double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
    double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
    double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
    return (gamma(r) << 16) | (gamma(g) << 8) | gamma(b);
  }

  private static double inv(double f) {
    return f > 6.0 / 29 ? f * f * f : 3 * (6.0 / 29) * (6.0 / 29) * (f - 4.0 / 29);
  }

  private static int gamma(double c) {
    double v = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
    return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
  }
}
