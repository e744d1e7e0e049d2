package org.fovea.models;

import java.util.function.IntConsumer;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.tiling.TilePlan;
import org.fovea.ops.tiling.Tiler;

/**
 * Per-pixel class probabilities of a whole 2D image, tile by tile: the input is normalized once
 * for the whole image, each tile sees the receptive-field halo around its core, and only cores are
 * written, so the result equals one pass over the whole image.
 *
 * @since 0.1.0
 */
public final class Segmentation {

  /**
   * A finished segmentation.
   *
   * @param probabilities {@code bcyx} class probabilities, the input's y/x size
   * @param tiles number of tiles run
   * @param halo context used on each side of a tile
   */
  public record Result(Tensor probabilities, int tiles, long halo) {}

  private Segmentation() {}

  /**
   * @param model a loaded model with a {@code bcyx} input and output
   * @param raw the image, {@code bcyx}, batch 1, unnormalized
   * @param tile wanted tile core size (0: the whole image in one tile)
   * @param progress told (tiles done, tiles total) after each tile; may be null
   * @return the probabilities
   */
  public static Result run(Model model, Tensor raw, long tile, Progress progress) {
    TensorSpec in = model.network().inputs().get(0);
    TensorSpec out = model.network().outputs().get(0);
    if (!in.axes().toString().equals("bcyx") || !out.axes().toString().equals("bcyx")) {
      throw new FoveaException("model '" + model.pkg().name() + "' has axes " + in.axes() + " -> "
          + out.axes() + "; segmentation runs 2D models with bcyx axes");
    }
    long h = raw.size(Axis.Y);
    long w = raw.size(Axis.X);
    int iy = in.axes().indexOf(Axis.Y);
    int ix = in.axes().indexOf(Axis.X);
    long step = Math.max(1, Math.max(in.step()[iy], in.step()[ix]));
    long halo = Math.max(out.halo(Axis.Y), out.halo(Axis.X));
    long min = Math.max(in.min()[iy], in.min()[ix]);
    if (h < min || w < min || h % step != 0 || w % step != 0) {
      throw new FoveaException("image of " + w + "x" + h + " px does not fit model '"
          + model.pkg().name() + "' (sizes " + min + " + n*" + step + "): crop or pad it to "
          + in.atLeast(ix, w) + "x" + in.atLeast(iy, h));
    }
    Tensor x = model.preprocess(raw);
    long t = tile <= 0 ? Math.max(h, w) : tile;
    TilePlan ys = TilePlan.of(h, t, halo, step);
    TilePlan xs = TilePlan.of(w, t, halo, step);
    int total = Tiler.count(ys, xs);
    IntConsumer p = progress == null ? null : done -> progress.tile(done, total);
    Tensor y = Tiler.run(x, ys, xs, model.network()::predict, p);
    return new Result(model.postprocess(y), total, ys.halo());
  }

  /** Told how far a long run has come. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param done tiles finished
     * @param total tiles in all
     */
    void tile(int done, int total);
  }
}
