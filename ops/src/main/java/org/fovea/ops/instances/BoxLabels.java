package org.fovea.ops.instances;

import java.util.Arrays;
import java.util.List;

/**
 * Boxes (and optional per-box masks) rendered into a label image, the first box of the given
 * order on top: a pixel belongs to the first box in that order whose area (or mask) holds the
 * pixel's centre.
 *
 * <pre>{@code
 * int[] kept = Nms.greedy(boxes, scores, 0.5, 0.1);
 * BoxLabels.Rendered r = BoxLabels.render(width, height, boxes, kept, null);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class BoxLabels {

  /**
   * A binary mask over a box, stretched to the box's size (nearest neighbour).
   *
   * @param width mask columns, at least 1
   * @param height mask rows, at least 1
   * @param inside flags, row by row
   */
  public record Mask(int width, int height, boolean[] inside) {
    /** Validates the size. */
    public Mask {
      if (width < 1 || height < 1) {
        throw new IllegalArgumentException("a box mask needs at least one pixel, got " + width
            + "x" + height);
      }
      LabelImage.checkSize(inside.length, width, height);
    }
  }

  /**
   * @param labels objects 1..n, in the given order of boxes (boxes left with no pixel get none)
   * @param box for each label l, the index of its box at {@code box[l - 1]}
   */
  public record Rendered(LabelImage labels, int[] box) {}

  private BoxLabels() {}

  /**
   * @param width image columns
   * @param height image rows
   * @param boxes boxes in pixel coordinates (pixel (x, y) covers [x, x+1) × [y, y+1))
   * @param order the boxes to draw, most confident first (such as the result of NMS)
   * @param masks one mask per box, a null entry for the whole box, or null for whole boxes
   *     (nullable)
   * @return the label image, the size of the image, and which box each label is
   * @implNote op names='fovea.instances.boxes'
   */
  public static Rendered render(int width, int height, List<Box> boxes, int[] order,
      List<Mask> masks) {
    int[] out = new int[width * height];
    int[] boxOf = new int[order.length];
    int n = 0;
    for (int idx : order) {
      Box b = boxes.get(idx);
      Mask m = masks == null ? null : masks.get(idx);
      // pixels whose centre x + 0.5 lies in [x0, x1)
      int px0 = Math.max(0, (int) Math.ceil(b.x0() - 0.5));
      int px1 = Math.min(width - 1, (int) Math.ceil(b.x1() - 0.5) - 1);
      int py0 = Math.max(0, (int) Math.ceil(b.y0() - 0.5));
      int py1 = Math.min(height - 1, (int) Math.ceil(b.y1() - 0.5) - 1);
      int label = n + 1;
      boolean any = false;
      for (int y = py0; y <= py1; y++) {
        for (int x = px0; x <= px1; x++) {
          int i = y * width + x;
          if (out[i] == 0 && (m == null || inMask(m, b, x + 0.5, y + 0.5))) {
            out[i] = label;
            any = true;
          }
        }
      }
      if (any) {
        boxOf[n++] = idx;
      }
    }
    return new Rendered(new LabelImage(width, height, out, n), Arrays.copyOf(boxOf, n));
  }

  private static boolean inMask(Mask m, Box b, double cx, double cy) {
    int mx = (int) Math.floor((cx - b.x0()) / (b.x1() - b.x0()) * m.width());
    int my = (int) Math.floor((cy - b.y0()) / (b.y1() - b.y0()) * m.height());
    mx = Math.min(m.width() - 1, Math.max(0, mx));
    my = Math.min(m.height() - 1, Math.max(0, my));
    return m.inside()[my * m.width() + mx];
  }
}
