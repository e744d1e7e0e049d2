package org.fovea.io.field;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.AxisField;

/**
 * Draws the receptive field of one output on the input image: the rectangle of the input pixels it
 * covers, clipped to the image, as a one-pixel yellow outline on its first and last rows and
 * columns, and its centre as a red cross (two pixels wide where the centre falls between pixels).
 */
public final class FieldOverlay {

  /** The rectangle's colour. */
  public static final int RECTANGLE = 0xffff00;
  /** The centre mark's colour. */
  public static final int CENTRE = 0xff0000;

  /**
   * What was drawn, in image pixels.
   *
   * @param x0 first column of the field
   * @param y0 first row
   * @param x1 last column
   * @param y1 last row
   * @param clipped the same, clipped to the image: {x0, y0, x1, y1}
   * @param cx the centre's column (may be a half)
   * @param cy the centre's row
   */
  public record Drawn(long x0, long y0, long x1, long y1, long[] clipped, double cx, double cy) {}

  private FieldOverlay() {}

  /**
   * @param imp the input image (its current slice is drawn on)
   * @param fx the field along x of the layer
   * @param fy the field along y of the layer
   * @param x the output's column
   * @param y the output's row
   * @param png where to write the RGB picture
   * @return what was drawn
   * @throws FoveaException when the output position is outside the layer or the file is not written
   */
  public static Drawn draw(ImagePlus imp, AxisField fx, AxisField fy, long x, long y, Path png) {
    if (x < 0 || y < 0 || x >= fx.size() || y >= fy.size()) {
      throw new FoveaException("--overlay " + x + "," + y + " lies outside the layer's output of "
          + fx.size() + " x " + fy.size() + " (columns x rows): choose X below " + fx.size()
          + " and Y below " + fy.size());
    }
    ImageProcessor ip = imp.getProcessor().duplicate();
    ip.resetMinAndMax();
    ColorProcessor cp = (ColorProcessor) ip.convertToRGB();
    int w = cp.getWidth();
    int h = cp.getHeight();
    Drawn d = new Drawn(fx.first(x), fy.first(y), fx.last(x), fy.last(y), new long[] {
        clamp(fx.first(x), w), clamp(fy.first(y), h), clamp(fx.last(x), w), clamp(fy.last(y), h)},
        (fx.first(x) + fx.last(x)) / 2.0, (fy.first(y) + fy.last(y)) / 2.0);
    if (d.x1() < 0 || d.y1() < 0 || d.x0() >= w || d.y0() >= h) {
      throw new FoveaException("the receptive field of output (" + x + "," + y + ") lies entirely"
          + " outside the " + w + " x " + h + " image: choose an output inside the image");
    }
    long[] c = d.clipped();
    for (long i = c[0]; i <= c[2]; i++) {
      set(cp, i, c[1], RECTANGLE);
      set(cp, i, c[3], RECTANGLE);
    }
    for (long j = c[1]; j <= c[3]; j++) {
      set(cp, c[0], j, RECTANGLE);
      set(cp, c[2], j, RECTANGLE);
    }
    for (long i = (long) Math.floor(d.cx()); i <= (long) Math.ceil(d.cx()); i++) {
      for (long j = (long) Math.floor(d.cy()); j <= (long) Math.ceil(d.cy()); j++) {
        for (int k = -3; k <= 3; k++) {
          set(cp, i + k, j, CENTRE);
          set(cp, i, j + k, CENTRE);
        }
      }
    }
    try {
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(cp.getBufferedImage(), "png", png.toFile())) {
        throw new IOException("no PNG writer");
      }
    } catch (IOException e) {
      throw new FoveaException("cannot write " + png + " (" + e.getMessage() + "): check that the"
          + " folder is writable", e);
    }
    return d;
  }

  private static long clamp(long v, int n) {
    return Math.max(0, Math.min(n - 1, v));
  }

  /** Sets a pixel when it lies in the image. */
  private static void set(ColorProcessor cp, long x, long y, int rgb) {
    if (x >= 0 && y >= 0 && x < cp.getWidth() && y < cp.getHeight()) {
      cp.set((int) x, (int) y, rgb);
    }
  }
}
