package org.fovea.io.field;

import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.LayerField;

/**
 * The input pixels that a block of a 2-D layer's outputs sees: the union of the receptive fields
 * of outputs {@code ux0..ux1} (columns) and {@code uy0..uy1} (rows), as the rectangle of pixels
 * {@code x0..x1} by {@code y0..y1} (inclusive; virtual, so it may run past the image into
 * padding).
 *
 * <pre>{@code
 * FieldRegion r = FieldRegion.atPixels(layer, 100, 80, 100, 80); // output under pixel (100,80)
 * long[] c = r.clip(width, height);                               // {x0, y0, x1, y1}, clipped
 * }</pre>
 *
 * @param ux0 first output column
 * @param uy0 first output row
 * @param ux1 last output column
 * @param uy1 last output row
 * @param x0 first input column seen
 * @param y0 first input row seen
 * @param x1 last input column seen
 * @param y1 last input row seen
 * @since 0.1.0
 */
public record FieldRegion(long ux0, long uy0, long ux1, long uy1, long x0, long y0, long x1,
    long y1) {

  /**
   * The fields of the outputs that stand for input pixels {@code px0..px1} by {@code py0..py1}
   * (see {@link #output(AxisField, long)}), for a layer whose spatial axes are y then x.
   *
   * @param layer a layer of a 2-D model
   * @param px0 first input column
   * @param py0 first input row
   * @param px1 last input column
   * @param py1 last input row
   * @return their union
   */
  public static FieldRegion atPixels(LayerField layer, long px0, long py0, long px1, long py1) {
    return atOutputs(layer, output(layer.axis(1), px0), output(layer.axis(0), py0),
        output(layer.axis(1), px1), output(layer.axis(0), py1));
  }

  /**
   * The union of the fields of a block of outputs.
   *
   * @param layer a layer of a 2-D model (axes y, x)
   * @param ux0 first output column
   * @param uy0 first output row
   * @param ux1 last output column
   * @param uy1 last output row
   * @return their union
   */
  public static FieldRegion atOutputs(LayerField layer, long ux0, long uy0, long ux1, long uy1) {
    AxisField fx = layer.axis(1);
    AxisField fy = layer.axis(0);
    return new FieldRegion(ux0, uy0, ux1, uy1, first(fx, ux0, ux1), first(fy, uy0, uy1),
        last(fx, ux0, ux1), last(fy, uy0, uy1));
  }

  /**
   * The output that stands for an input pixel: the one whose pixels {@code floor(u * S) ..
   * ceil((u + 1) * S) - 1} hold it (for stride 1 the pixel itself; the first of several after
   * up-sampling), clamped to the layer's outputs.
   *
   * @param f the field along one axis
   * @param pixel an input pixel on that axis
   * @return the output's index
   */
  public static long output(AxisField f, long pixel) {
    long u = Math.floorDiv(pixel * f.strideDen(), f.strideNum());
    return Math.max(0, Math.min(f.size() - 1, u));
  }

  /**
   * @return the centre of the field, in image pixels: {x, y} (a half between two pixels)
   */
  public double[] centre() {
    return new double[] {(x0 + x1) / 2.0, (y0 + y1) / 2.0};
  }

  /**
   * @param width the image's width
   * @param height the image's height
   * @return {x0, y0, x1, y1} clipped to the image, or null when the field lies outside it
   */
  public long[] clip(long width, long height) {
    if (x1 < 0 || y1 < 0 || x0 >= width || y0 >= height) {
      return null;
    }
    return new long[] {Math.max(0, x0), Math.max(0, y0), Math.min(width - 1, x1),
        Math.min(height - 1, y1)};
  }

  private static long first(AxisField f, long u0, long u1) {
    long m = Long.MAX_VALUE;
    for (long u = u0; u <= Math.min(u1, u0 + f.period() - 1); u++) {
      m = Math.min(m, f.first(u));
    }
    return m;
  }

  private static long last(AxisField f, long u0, long u1) {
    long m = Long.MIN_VALUE;
    for (long u = Math.max(u0, u1 - f.period() + 1); u <= u1; u++) {
      m = Math.max(m, f.last(u));
    }
    return m;
  }
}
