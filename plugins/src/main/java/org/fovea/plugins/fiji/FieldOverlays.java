package org.fovea.plugins.fiji;

import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import java.awt.Color;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.geom.Area;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.LayerField;
import org.fovea.io.field.FieldOverlay;
import org.fovea.io.field.FieldRegion;

/**
 * The receptive fields of a selection as ImageJ overlay items (image pixels are the model's input
 * pixels): for each point of a point selection, the rectangle of the input pixels its output sees
 * (its bounds are those pixels, clipped to the image) and a cross at the field's centre; for a
 * rectangle, the union of the fields of the outputs it covers; for a line or another shape, the
 * union of the fields of the outputs under its pixels, as one shape.
 *
 * <pre>{@code
 * for (Roi r : FieldOverlays.of(layer, imp.getRoi(), imp.getWidth(), imp.getHeight())) {
 *   overlay.add(r);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FieldOverlays {

  /** The rectangles' colour (as {@code fovea field --overlay} draws them). */
  public static final Color RECTANGLE = new Color(FieldOverlay.RECTANGLE);
  /** The centre marks' colour. */
  public static final Color CENTRE = new Color(FieldOverlay.CENTRE);

  private FieldOverlays() {}

  /**
   * @param layer a layer of a 2-D model (axes y, x) analysed at the image's size
   * @param selection the image's selection
   * @param width the image's width
   * @param height the image's height
   * @return the overlay items
   * @throws FoveaException when there is no selection or every field lies outside the image
   */
  public static List<Roi> of(LayerField layer, Roi selection, int width, int height) {
    if (selection == null) {
      throw new FoveaException("the image has no selection: mark an output pixel with the point"
          + " tool (or draw a line or rectangle) first");
    }
    List<Roi> items = new ArrayList<>();
    if (selection instanceof PointRoi) {
      for (Point p : selection.getContainedPoints()) {
        FieldRegion r = FieldRegion.atPixels(layer, p.x, p.y, p.x, p.y);
        Roi rect = rectangle(r, width, height);
        if (rect != null) {
          items.add(rect);
          items.add(centre(r));
        }
      }
    } else if (selection.getType() == Roi.RECTANGLE && selection.getCornerDiameter() == 0) {
      Rectangle b = selection.getBounds();
      Roi rect = rectangle(FieldRegion.atPixels(layer, b.x, b.y, b.x + b.width - 1,
          b.y + b.height - 1), width, height);
      if (rect != null) {
        items.add(rect);
      }
    } else {
      Roi union = union(layer, selection, width, height);
      if (union != null) {
        items.add(union);
      }
    }
    if (items.isEmpty()) {
      throw new FoveaException("the receptive field of the selection lies entirely outside the "
          + width + " x " + height + " image: select pixels inside the image");
    }
    return items;
  }

  /**
   * @param r a field
   * @param width the image's width
   * @param height the image's height
   * @return a rectangle whose bounds are the field's pixels clipped to the image, or null
   */
  static Roi rectangle(FieldRegion r, int width, int height) {
    long[] c = r.clip(width, height);
    if (c == null) {
      return null;
    }
    Roi rect = new Roi(c[0], c[1], c[2] - c[0] + 1, c[3] - c[1] + 1);
    rect.setStrokeColor(RECTANGLE);
    rect.setName(name(r));
    return rect;
  }

  private static Roi centre(FieldRegion r) {
    double[] c = r.centre();
    PointRoi p = new PointRoi(c[0], c[1]);
    p.setPointType(PointRoi.CROSSHAIR);
    p.setSize(3);
    p.setStrokeColor(CENTRE);
    p.setName("centre of " + name(r));
    return p;
  }

  /** The union as one shape: per output row, one rectangle per run of touching fields. */
  private static Roi union(LayerField layer, Roi selection, int width, int height) {
    Map<Long, TreeSet<Long>> rows = new TreeMap<>();
    for (Point p : selection.getContainedPoints()) {
      rows.computeIfAbsent(FieldRegion.output(layer.axis(0), p.y), k -> new TreeSet<>())
          .add(FieldRegion.output(layer.axis(1), p.x));
    }
    Area a = new Area();
    int n = 0;
    for (Map.Entry<Long, TreeSet<Long>> row : rows.entrySet()) {
      n += row.getValue().size();
      long start = row.getValue().first();
      long prev = start;
      for (long ux : row.getValue().tailSet(start, false)) {
        if (ux != prev + 1 || layer.axis(1).first(ux) > layer.axis(1).last(prev) + 1) {
          add(a, FieldRegion.atOutputs(layer, start, row.getKey(), prev, row.getKey()), width,
              height);
          start = ux;
        }
        prev = ux;
      }
      add(a, FieldRegion.atOutputs(layer, start, row.getKey(), prev, row.getKey()), width, height);
    }
    if (a.isEmpty()) {
      return null;
    }
    ShapeRoi s = new ShapeRoi(a);
    s.setStrokeColor(RECTANGLE);
    s.setName("receptive field of " + n + " outputs");
    return s;
  }

  private static void add(Area a, FieldRegion r, int width, int height) {
    long[] c = r.clip(width, height);
    if (c != null) {
      a.add(new Area(new Rectangle((int) c[0], (int) c[1], (int) (c[2] - c[0] + 1),
          (int) (c[3] - c[1] + 1))));
    }
  }

  private static String name(FieldRegion r) {
    return "receptive field of output " + (r.ux0() == r.ux1() && r.uy0() == r.uy1()
        ? "(" + r.ux0() + "," + r.uy0() + ")"
        : "(" + r.ux0() + ".." + r.ux1() + "," + r.uy0() + ".." + r.uy1() + ")");
  }
}
