package org.fovea.site;

import ij.ImagePlus;
import ij.process.ImageProcessor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Small drawing helpers for the site's figures: grey images, colour maps, colour bars, scale bars. */
final class Canvas {

  static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);

  private Canvas() {}

  /** A white canvas with antialiased text. */
  static BufferedImage blank(int w, int h) {
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = b.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return b;
  }

  static Graphics2D graphics(BufferedImage b) {
    Graphics2D g = b.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setFont(TEXT);
    return g;
  }

  /**
   * @param ip a plane
   * @return its 0.3rd and 99.7th percentiles, the display range used for every grey picture
   */
  static double[] range(ImageProcessor ip) {
    float[] v = (float[]) ip.convertToFloatProcessor().getPixels();
    float[] s = v.clone();
    Arrays.sort(s);
    double lo = s[(int) (0.003 * (s.length - 1))];
    double hi = s[(int) (0.997 * (s.length - 1))];
    return new double[] {lo, hi > lo ? hi : lo + 1};
  }

  /** The plane as 8-bit grey RGB over its percentile range. */
  static BufferedImage grey(ImageProcessor ip) {
    double[] r = range(ip);
    int w = ip.getWidth();
    int h = ip.getHeight();
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int g = clamp((ip.getf(x, y) - r[0]) / (r[1] - r[0]));
        b.setRGB(x, y, g << 16 | g << 8 | g);
      }
    }
    return b;
  }

  static int clamp(double t) {
    return (int) Math.round(255 * Math.max(0, Math.min(1, t)));
  }

  /** A perceptual dark-to-bright map (black, purple, orange, pale yellow) for t in [0, 1]. */
  static int heat(double t) {
    double[][] stops = {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}};
    double u = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) u);
    double f = u - i;
    int[] c = new int[3];
    for (int k = 0; k < 3; k++) {
      c[k] = (int) Math.round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]));
    }
    return c[0] << 16 | c[1] << 8 | c[2];
  }

  /** A vertical colour bar from black to {@code rgb}, labelled with its range and name. */
  static void colourBar(Graphics2D g, int x, int y, int h, java.util.function.DoubleToIntFunction map,
      String lo, String hi, String name) {
    for (int i = 0; i < h; i++) {
      g.setColor(new Color(map.applyAsInt(1 - i / (double) (h - 1))));
      g.fillRect(x, y + i, 16, 1);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(x, y, 16, h);
    g.setFont(TEXT);
    g.drawString(hi, x + 21, y + 12);
    g.drawString(lo, x + 21, y + h);
    Graphics2D r = (Graphics2D) g.create();
    r.rotate(-Math.PI / 2, x + 58, y + h / 2.0);
    r.drawString(name, x + 58 - r.getFontMetrics().stringWidth(name) / 2, y + h / 2 + 5);
    r.dispose();
  }

  /**
   * A scale bar in the lower right corner of a picture drawn at (px, py) with the given zoom.
   *
   * @param imp the image, for its calibration (pixels when it has none)
   * @param pixels the bar's length in image pixels
   */
  static void scaleBar(Graphics2D g, ImagePlus imp, int px, int py, int w, int h, double zoom,
      int pixels) {
    double pw = imp.getCalibration().pixelWidth;
    String unit = imp.getCalibration().getUnit();
    boolean calibrated = imp.getCalibration().scaled() && unit != null && !unit.isBlank()
        && !unit.startsWith("pixel");
    String label = calibrated ? String.format(Locale.ROOT, "%.3g %s", pixels * pw, unit)
        : pixels + " px";
    int len = (int) Math.round(pixels * zoom);
    int x1 = px + w - 12;
    int y1 = py + h - 12;
    g.setStroke(new BasicStroke(4));
    g.setColor(Color.WHITE);
    g.drawLine(x1 - len, y1, x1, y1);
    g.setFont(TITLE);
    int tw = g.getFontMetrics().stringWidth(label);
    g.drawString(label, x1 - len / 2 - tw / 2, y1 - 8);
    g.setStroke(new BasicStroke(1));
  }

  static void title(Graphics2D g, String s, int x, int y) {
    g.setColor(Color.BLACK);
    g.setFont(TITLE);
    g.drawString(s, x, y);
    g.setFont(TEXT);
  }

  static void write(BufferedImage b, Path png) {
    try {
      Files.createDirectories(png.getParent());
      Path tmp = png.resolveSibling(png.getFileName() + ".part");
      ImageIO.write(b, "png", tmp.toFile());
      Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
