package org.fovea.ops.tiling;

import java.util.function.UnaryOperator;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;

/**
 * Plane sources and sinks: over tensors, mirrored beyond the border, mapped through a function.
 *
 * @since 0.1.0
 */
public final class Planes {

  private Planes() {}

  /**
   * @param t a {@code bcyx} tensor with batch 1
   * @return a source reading it
   */
  public static PlaneSource of(Tensor t) {
    int c = (int) t.size(Axis.CHANNEL);
    long h = t.size(Axis.Y);
    long w = t.size(Axis.X);
    return new SizedPlaneSource(h, w, c) {
      @Override
      public void read(long y0, long x0, int rh, int rw, float[] dst) {
        for (int ch = 0; ch < c; ch++) {
          for (int y = 0; y < rh; y++) {
            System.arraycopy(t.data(), (int) ((ch * h + y0 + y) * w + x0), dst, (ch * rh + y) * rw, rw);
          }
        }
      }
    };
  }

  /**
   * @param t a {@code bcyx} tensor with batch 1 to fill
   * @return a sink writing into it
   */
  public static PlaneSink into(Tensor t) {
    long h = t.size(Axis.Y);
    long w = t.size(Axis.X);
    return (y0, x0, rh, rw, c, src) -> {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < rh; y++) {
          System.arraycopy(src, (ch * rh + y) * rw, t.data(), (int) ((ch * h + y0 + y) * w + x0), rw);
        }
      }
    };
  }

  /**
   * A sink that gathers everything written to it into one {@code bcyx} tensor, allocated on the
   * first write (when the number of channels is known).
   */
  public static final class Collector implements PlaneSink {
    private final long height;
    private final long width;
    private Tensor result;

    /**
     * @param height rows of the result
     * @param width columns of the result
     */
    public Collector(long height, long width) {
      this.height = height;
      this.width = width;
    }

    @Override
    public void write(long y0, long x0, int h, int w, int channels, float[] src) {
      if (result == null) {
        result = Tensor.zeros(org.fovea.ops.net.Axes.of("bcyx"), 1, channels, height, width);
      }
      into(result).write(y0, x0, h, w, channels, src);
    }

    /** @return what was written, or null when nothing was */
    public Tensor result() {
      return result;
    }
  }

  /**
   * The source grown to {@code h x w} by mirroring at the bottom and right (without repeating the
   * edge pixel, as numpy's {@code reflect}; a one-pixel axis repeats its pixel).
   *
   * @param src the source
   * @param h the new height, at least the source's
   * @param w the new width, at least the source's
   * @return the padded source
   */
  public static PlaneSource mirrored(PlaneSource src, long h, long w) {
    if (h == src.height() && w == src.width()) {
      return src;
    }
    return new SizedPlaneSource(h, w, src.channels()) {
      @Override
      public boolean integral() {
        return src.integral();
      }

      @Override
      public void read(long y0, long x0, int rh, int rw, float[] dst) {
        long sh = src.height();
        long sw = src.width();
        if (y0 + rh <= sh && x0 + rw <= sw) {
          src.read(y0, x0, rh, rw, dst);
          return;
        }
        // read the whole source rows that the region maps to, one row at a time
        int c = src.channels();
        float[] row = new float[c * (int) sw];
        for (int y = 0; y < rh; y++) {
          long sy = mirror(y0 + y, sh);
          src.read(sy, 0, 1, (int) sw, row);
          for (int ch = 0; ch < c; ch++) {
            for (int x = 0; x < rw; x++) {
              dst[(ch * rh + y) * rw + x] = row[ch * (int) sw + (int) mirror(x0 + x, sw)];
            }
          }
        }
      }
    };
  }

  /**
   * @param i an index, possibly beyond {@code [0, n)}
   * @param n the axis length
   * @return the mirrored index inside {@code [0, n)}
   */
  public static long mirror(long i, long n) {
    if (n == 1) {
      return 0;
    }
    long period = 2 * (n - 1);
    long m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }

  /**
   * @param src a source
   * @param f applied to each region read (a {@code bcyx} tensor with batch 1), in place or not
   * @return the mapped source
   */
  public static PlaneSource mapped(PlaneSource src, UnaryOperator<Tensor> f) {
    return new SizedPlaneSource(src.height(), src.width(), src.channels()) {
      @Override
      public void read(long y0, long x0, int h, int w, float[] dst) {
        src.read(y0, x0, h, w, dst);
        Tensor t = new Tensor(org.fovea.ops.net.Axes.of("bcyx"), new long[] {1, channels(), h, w}, dst);
        Tensor r = f.apply(t);
        if (r.data() != dst) {
          System.arraycopy(r.data(), 0, dst, 0, dst.length);
        }
      }
    };
  }

  /**
   * @param src a source
   * @param first the first channel kept
   * @param count how many channels are kept
   * @return the source reduced to those channels (read through, nothing copied ahead)
   * @since 0.3.0
   */
  public static PlaneSource channels(PlaneSource src, int first, int count) {
    if (first < 0 || count < 1 || first + count > src.channels()) {
      throw new IllegalArgumentException("channels " + first + ".." + (first + count - 1)
          + " of a source with " + src.channels());
    }
    if (first == 0 && count == src.channels()) {
      return src;
    }
    return new SizedPlaneSource(src.height(), src.width(), count) {
      @Override
      public boolean integral() {
        return src.integral();
      }

      @Override
      public void read(long y0, long x0, int h, int w, float[] dst) {
        float[] all = new float[src.channels() * h * w];
        src.read(y0, x0, h, w, all);
        System.arraycopy(all, first * h * w, dst, 0, count * h * w);
      }
    };
  }
}
