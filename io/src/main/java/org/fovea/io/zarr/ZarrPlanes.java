package org.fovea.io.zarr;

import java.util.List;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.tiling.PlaneSink;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.SizedPlaneSource;

/**
 * Zarr arrays as the plane sources and sinks that tiled operations stream through: a region read
 * or written decodes or encodes only the chunks it touches.
 *
 * @since 0.1.0
 */
public final class ZarrPlanes {

  private ZarrPlanes() {}

  /**
   * A 2D (multichannel) source over an image with {@code y} and {@code x} axes, an optional
   * {@code c} axis, and any other axes of size 1.
   *
   * @param img the image
   * @return its planes
   * @throws FoveaException when it is not such an image
   */
  public static PlaneSource source(OmeZarr.Image img) {
    ZarrArray a = img.array();
    List<String> axes = img.axes();
    long[] shape = a.shape();
    int iy = img.axis("y");
    int ix = img.axis("x");
    int ic = img.axis("c");
    if (iy < 0 || ix < 0) {
      throw new FoveaException("the Zarr image " + img.root() + " has axes " + axes + ", without"
          + " y and x: give a 2D image");
    }
    for (int k = 0; k < axes.size(); k++) {
      if (k != iy && k != ix && k != ic && shape[k] != 1) {
        throw new FoveaException("the Zarr image " + img.root() + " has " + shape[k] + " planes"
            + " along " + axes.get(k) + ": Fovea segments one 2D (multichannel) plane per Zarr"
            + " image; split it first");
      }
    }
    int channels = ic < 0 ? 1 : (int) shape[ic];
    boolean direct = iy < ix && (ic < 0 || ic < iy);
    return new SizedPlaneSource(shape[iy], shape[ix], channels) {
      @Override
      public void read(long y0, long x0, int h, int w, float[] dst) {
        long[] from = new long[shape.length];
        int[] size = new int[shape.length];
        java.util.Arrays.fill(size, 1);
        from[iy] = y0;
        from[ix] = x0;
        size[iy] = h;
        size[ix] = w;
        if (ic >= 0) {
          size[ic] = channels;
        }
        if (direct) {
          a.read(from, size, dst);
          return;
        }
        float[] tmp = new float[channels * h * w];
        a.read(from, size, tmp);
        // strides of the region buffer, C order over the array's axes
        long[] stride = new long[shape.length];
        long s = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
          stride[k] = s;
          s *= size[k];
        }
        long sc = ic < 0 ? 0 : stride[ic];
        for (int c = 0; c < channels; c++) {
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              dst[(c * h + y) * w + x] = tmp[(int) (c * sc + y * stride[iy] + x * stride[ix])];
            }
          }
        }
      }
    };
  }

  /**
   * A sink writing {@code (c, y, x)} regions into a 3-axis array.
   *
   * @param a an array with axes {@code c}, {@code y}, {@code x}
   * @return the sink
   */
  public static PlaneSink sink(ZarrArray a) {
    if (a.shape().length != 3) {
      throw new IllegalArgumentException("a (c, y, x) sink needs a 3-axis array, not "
          + a.shape().length);
    }
    return (y0, x0, h, w, channels, src) ->
        a.write(new long[] {0, y0, x0}, new int[] {channels, h, w}, src);
  }
}
