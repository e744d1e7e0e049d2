package org.fovea.ops.tiling;

import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;

/**
 * Runs a 2D network tile by tile over a {@code bcyx} tensor and stitches the valid cores.
 *
 * @since 0.1.0
 */
public final class Tiler {

  private Tiler() {}

  /**
   * @param input the (normalized) input, axes {@code bcyx}, batch 1, sizes on the step grid
   * @param ys the tile plan along y
   * @param xs the tile plan along x
   * @param predict the network: a {@code bcyx} tile in, a {@code bcyx} output of the same y/x size out
   * @param progress told the number of tiles done after each tile (may be null)
   * @return the stitched output
   */
  public static Tensor run(Tensor input, TilePlan ys, TilePlan xs, UnaryOperator<Tensor> predict,
      IntConsumer progress) {
    Axes bcyx = Axes.of("bcyx");
    if (!input.axes().equals(bcyx) || input.size(Axis.BATCH) != 1) {
      throw new IllegalArgumentException("the tiler takes a bcyx tensor with batch 1, got " + input);
    }
    long h = input.size(Axis.Y);
    long w = input.size(Axis.X);
    int cin = (int) input.size(Axis.CHANNEL);
    Tensor out = null;
    int done = 0;
    List<TilePlan.Span> rows = ys.spans();
    List<TilePlan.Span> cols = xs.spans();
    for (TilePlan.Span r : rows) {
      for (TilePlan.Span c : cols) {
        Tensor tile = crop(input, cin, h, w, r.inStart(), r.inSize(), c.inStart(), c.inSize());
        Tensor o = predict.apply(tile);
        if (o.size(Axis.Y) != r.inSize() || o.size(Axis.X) != c.inSize()) {
          throw new IllegalStateException("the network changed the tile size from " + tile
              + " to " + o + ": tiling needs outputs the size of their inputs");
        }
        int cout = (int) o.size(Axis.CHANNEL);
        if (out == null) {
          out = Tensor.zeros(bcyx, 1, cout, h, w);
        }
        paste(o, out, cout, r, c);
        done++;
        if (progress != null) {
          progress.accept(done);
        }
      }
    }
    return out;
  }

  private static Tensor crop(Tensor in, int c, long h, long w, long y0, long th, long x0, long tw) {
    Tensor t = Tensor.zeros(in.axes(), 1, c, th, tw);
    float[] s = in.data();
    float[] d = t.data();
    for (int ch = 0; ch < c; ch++) {
      for (long y = 0; y < th; y++) {
        System.arraycopy(s, (int) ((ch * h + y0 + y) * w + x0), d, (int) ((ch * th + y) * tw),
            (int) tw);
      }
    }
    return t;
  }

  private static void paste(Tensor tile, Tensor out, int c, TilePlan.Span r, TilePlan.Span col) {
    long th = r.inSize();
    long tw = col.inSize();
    long h = out.size(Axis.Y);
    long w = out.size(Axis.X);
    float[] s = tile.data();
    float[] d = out.data();
    int len = (int) (col.coreEnd() - col.coreStart());
    for (int ch = 0; ch < c; ch++) {
      for (long y = r.coreStart(); y < r.coreEnd(); y++) {
        long ty = y - r.inStart();
        long tx = col.coreStart() - col.inStart();
        System.arraycopy(s, (int) ((ch * th + ty) * tw + tx), d, (int) ((ch * h + y) * w
            + col.coreStart()), len);
      }
    }
  }

  /** @return the number of tiles of a plan pair */
  public static int count(TilePlan ys, TilePlan xs) {
    return ys.spans().size() * xs.spans().size();
  }
}
