package org.fovea.ops.tiling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;

/**
 * Tiles in any number of spatial dimensions: the product of one {@link TilePlan} per spatial axis
 * (for example z, y and x of a 3D model). Each tile is a box; its core is written, its input is the
 * core grown by the halo.
 *
 * @param plans one plan per spatial axis, in the tensor's axis order
 * @since 0.1.0
 */
public record TileGrid(List<TilePlan> plans) {

  /**
   * One tile: per spatial axis, the core and input ranges.
   *
   * @param spans one span per spatial axis
   */
  public record Tile(List<TilePlan.Span> spans) {}

  /** Copies the plans. */
  public TileGrid {
    plans = List.copyOf(plans);
  }

  /** @return every tile, the last axis varying fastest */
  public List<Tile> tiles() {
    List<Tile> out = new ArrayList<>();
    expand(0, new ArrayList<>(), out);
    return out;
  }

  private void expand(int axis, List<TilePlan.Span> prefix, List<Tile> out) {
    if (axis == plans.size()) {
      out.add(new Tile(List.copyOf(prefix)));
      return;
    }
    for (TilePlan.Span s : plans.get(axis).spans()) {
      prefix.add(s);
      expand(axis + 1, prefix, out);
      prefix.remove(prefix.size() - 1);
    }
  }

  /**
   * Runs a network tile by tile over a tensor whose leading axes are batch and channel and whose
   * remaining axes are the grid's spatial axes ({@code bcyx}, {@code bczyx}), in memory.
   *
   * @param input the normalized input, sizes on the plans' grid
   * @param predict the network; its output has the input's spatial size
   * @param progress told tiles done, may be null
   * @return the stitched output
   */
  public Tensor run(Tensor input, UnaryOperator<Tensor> predict, IntConsumer progress) {
    int n = plans.size();
    long[] shape = input.shape();
    if (shape.length != n + 2 || input.axes().get(0) != Axis.BATCH
        || input.axes().get(1) != Axis.CHANNEL) {
      throw new IllegalArgumentException("expected b, c and " + n + " spatial axes, got " + input);
    }
    Tensor out = null;
    int done = 0;
    for (Tile t : tiles()) {
      long[] from = new long[n + 2];
      long[] size = shape.clone();
      for (int a = 0; a < n; a++) {
        from[a + 2] = t.spans().get(a).inStart();
        size[a + 2] = t.spans().get(a).inSize();
      }
      Tensor o = predict.apply(copy(input, from, size, null, new long[n + 2]));
      long[] os = o.shape();
      if (out == null) {
        long[] full = shape.clone();
        full[1] = os[1];
        out = Tensor.zeros(input.axes(), full);
      }
      long[] coreFrom = new long[n + 2];
      long[] coreSize = os.clone();
      long[] at = new long[n + 2];
      for (int a = 0; a < n; a++) {
        TilePlan.Span s = t.spans().get(a);
        coreFrom[a + 2] = s.coreStart() - s.inStart();
        coreSize[a + 2] = s.coreEnd() - s.coreStart();
        at[a + 2] = s.coreStart();
      }
      copy(o, coreFrom, coreSize, out, at);
      if (progress != null) {
        progress.accept(++done);
      }
    }
    return out;
  }

  /**
   * Copies the box {@code from .. from + size} of {@code src} into {@code dst} at {@code at}.
   *
   * @param src the source tensor
   * @param from the box's first index per axis
   * @param size the box's size per axis
   * @param dst the destination, with the same number of axes
   * @param at where the box goes in {@code dst}
   */
  public static void copyBox(Tensor src, long[] from, long[] size, Tensor dst, long[] at) {
    copy(src, from, size, dst, at);
  }

  /**
   * Copies the box {@code from .. from + size} of {@code src} to {@code dst} at {@code at} (a new
   * tensor of shape {@code size} when {@code dst} is null), row by row along the last axis.
   */
  static Tensor copy(Tensor src, long[] from, long[] size, Tensor dst, long[] at) {
    Tensor d = dst != null ? dst : Tensor.zeros(src.axes(), size);
    long[] ss = src.strides();
    long[] ds = d.strides();
    int last = size.length - 1;
    long[] i = new long[size.length];
    long rows = Tensor.elements(size) / Math.max(1, size[last]);
    for (long r = 0; r < rows; r++) {
      long so = 0;
      long dof = 0;
      for (int a = 0; a < size.length; a++) {
        so += (from[a] + i[a]) * ss[a];
        dof += (at[a] + i[a]) * ds[a];
      }
      System.arraycopy(src.data(), (int) so, d.data(), (int) dof, (int) size[last]);
      for (int a = last - 1; a >= 0; a--) {
        if (++i[a] < size[a]) {
          break;
        }
        i[a] = 0;
      }
    }
    return d;
  }
}
