package org.fovea.io.saliency;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ImageProcessor;
import java.awt.Point;
import java.awt.Rectangle;
import org.fovea.ops.saliency.Target;

/**
 * The target an ImageJ selection stands for: a point selection is a pixel target, an area
 * selection the mean over its pixels, no selection the sum over the whole image.
 *
 * @since 0.1.0
 */
public final class Selections {

  private Selections() {}

  /**
   * @param imp an image, maybe with a selection
   * @param c the class
   * @return the target
   */
  public static Target target(ImagePlus imp, int c) {
    Roi roi = imp.getRoi();
    if (roi == null) {
      return Target.whole(c);
    }
    if (roi instanceof PointRoi p) {
      Point q = p.getContainedPoints()[0];
      return Target.pixel(c, q.x, q.y);
    }
    Rectangle r = roi.getBounds();
    ImageProcessor m = roi.getMask();
    if (m == null) {
      return Target.roi(c, r.x, r.y, r.width, r.height);
    }
    boolean[] inside = new boolean[r.width * r.height];
    for (int y = 0; y < r.height; y++) {
      for (int x = 0; x < r.width; x++) {
        inside[y * r.width + x] = m.get(x, y) != 0;
      }
    }
    return Target.mask(c, r.x, r.y, r.width, r.height, inside);
  }
}
