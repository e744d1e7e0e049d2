package org.fovea.io.saliency;

import org.fovea.models.AtomicFiles;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.saliency.Overlay;
import org.fovea.ops.saliency.Target;

/**
 * The overlay picture of a saliency map: {@link Overlay}'s pixels with the colour bar's numbers
 * and a caption drawn in, as an RGB ImagePlus or a PNG file.
 *
 * @since 0.1.0
 */
public final class OverlayImages {

  private OverlayImages() {}

  /**
   * @param image the grey image (its current plane's first channel is shown)
   * @param map the 32-bit saliency map of the same size
   * @param target the target to mark
   * @param signed whether to show signs
   * @param caption a line drawn under the bar, such as the method
   * @return the picture
   */
  public static BufferedImage render(ImagePlus image, ImagePlus map, Target target,
      boolean signed, String caption) {
    float[] grey = (float[]) image.getProcessor().convertToFloatProcessor().getPixels();
    float[] m = (float[]) map.getProcessor().convertToFloatProcessor().getPixels();
    int w = image.getWidth();
    int h = image.getHeight();
    Overlay o = Overlay.render(grey, m, w, h, signed, 0.85, target);
    BufferedImage bi = new BufferedImage(o.width(), o.height(), BufferedImage.TYPE_INT_RGB);
    bi.setRGB(0, 0, o.width(), o.height(), o.argb(), 0, o.width());
    Graphics2D g = bi.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    int tx = o.barX() + o.barWidth() + 4;
    g.drawString(number(o.high()), tx, 11);
    if (signed) {
      g.drawString("0", tx, h / 2 + 4);
    }
    g.drawString(number(o.low()), tx, h - 2);
    g.rotate(-Math.PI / 2);
    g.drawString(caption, -h + 4, o.barX() - 1);
    g.dispose();
    return bi;
  }

  /**
   * @param bi a picture
   * @param title its title
   * @return an RGB ImagePlus of it
   */
  public static ImagePlus toImagePlus(BufferedImage bi, String title) {
    return new ImagePlus(title, new ColorProcessor(bi));
  }

  /**
   * Writes a PNG atomically (a temporary name in the same folder, then renamed).
   *
   * @param bi the picture
   * @param dest the file
   */
  public static void savePng(BufferedImage bi, Path dest) {
    AtomicFiles.write(dest, tmp -> {
      if (!ImageIO.write(bi, "png", tmp.toFile())) {
        throw new IOException("no PNG writer");
      }
    });
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 0.01 || v == 0 ? "%.3f" : "%.2e", v);
  }
}
