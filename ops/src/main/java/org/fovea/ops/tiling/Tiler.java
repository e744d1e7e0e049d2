package org.fovea.ops.tiling;

import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;

/**
 * Runs a 2D network tile by tile: reads each tile's input (core plus halo) from a source, predicts
 * it, and writes only the core to a sink, so no full-size buffer is needed and the stitched result
 * equals one pass over the whole image.
 *
 * @since 0.1.0
 */
public final class Tiler {

  private static final Axes BCYX = Axes.of("bcyx");

  private Tiler() {}

  /**
   * @param src the (normalized) input; its size must be on the plans' step grid
   * @param ys the tile plan along y, over the source's height
   * @param xs the tile plan along x, over the source's width
   * @param predict the network: a {@code bcyx} tile in, a {@code bcyx} output of the same y/x size out
   * @param sink receives each core, clipped to {@code height x width}
   * @param height rows to write (the unpadded image), at most the source's
   * @param width columns to write, at most the source's
   * @param progress told the number of tiles done after each tile (may be null)
   */
  public static void run(PlaneSource src, TilePlan ys, TilePlan xs, UnaryOperator<Tensor> predict,
      PlaneSink sink, long height, long width, IntConsumer progress) {
    if (ys.size() != src.height() || xs.size() != src.width()) {
      throw new IllegalArgumentException("plans cover " + xs.size() + "x" + ys.size()
          + " but the source is " + src.width() + "x" + src.height());
    }
    int cin = src.channels();
    int done = 0;
    for (TilePlan.Span r : ys.spans()) {
      for (TilePlan.Span c : xs.spans()) {
        int th = (int) r.inSize();
        int tw = (int) c.inSize();
        Tensor tile = Tensor.zeros(BCYX, 1, cin, th, tw);
        src.read(r.inStart(), c.inStart(), th, tw, tile.data());
        Tensor o = predict.apply(tile);
        if (o.size(Axis.Y) != th || o.size(Axis.X) != tw) {
          throw new IllegalStateException("the network changed the tile size from " + tile
              + " to " + o + ": tiling needs outputs the size of their inputs");
        }
        long ch = Math.min(r.coreEnd(), height) - r.coreStart();
        long cw = Math.min(c.coreEnd(), width) - c.coreStart();
        if (ch > 0 && cw > 0) {
          int cout = (int) o.size(Axis.CHANNEL);
          float[] core = new float[(int) (cout * ch * cw)];
          int oy = (int) (r.coreStart() - r.inStart());
          int ox = (int) (c.coreStart() - c.inStart());
          for (int k = 0; k < cout; k++) {
            for (int y = 0; y < ch; y++) {
              System.arraycopy(o.data(), (k * th + oy + y) * tw + ox, core, (int) ((k * ch + y) * cw),
                  (int) cw);
            }
          }
          sink.write(r.coreStart(), c.coreStart(), (int) ch, (int) cw, cout, core);
        }
        done++;
        if (progress != null) {
          progress.accept(done);
        }
      }
    }
  }

  /**
   * Tiles a whole tensor into a new one.
   *
   * @param input a {@code bcyx} tensor with batch 1, sizes on the plans' grid
   * @param ys plan along y
   * @param xs plan along x
   * @param predict the network
   * @param progress told tiles done, may be null
   * @return the stitched output
   */
  public static Tensor run(Tensor input, TilePlan ys, TilePlan xs, UnaryOperator<Tensor> predict,
      IntConsumer progress) {
    Planes.Collector out = new Planes.Collector(input.size(Axis.Y), input.size(Axis.X));
    run(Planes.of(input), ys, xs, predict, out, input.size(Axis.Y), input.size(Axis.X), progress);
    return out.result();
  }

  /**
   * @param ys plan along y
   * @param xs plan along x
   * @return the number of tiles
   */
  public static int count(TilePlan ys, TilePlan xs) {
    return ys.spans().size() * xs.spans().size();
  }
}
