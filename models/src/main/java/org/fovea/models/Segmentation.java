package org.fovea.models;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.fovea.models.pkg.Fitting;
import org.fovea.models.pkg.Processing;
import org.fovea.models.pkg.ProcessingStep;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.stats.PlaneStatistics;
import org.fovea.ops.tiling.PlaneSink;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.Planes;
import org.fovea.ops.tiling.TileGrid;
import org.fovea.ops.tiling.TilePlan;
import org.fovea.ops.tiling.Tiler;

/**
 * Per-pixel class probabilities of a whole 2D image, tile by tile, equal to one pass of the
 * network over the whole image.
 *
 * <p>The whole-image pass it reproduces: normalize the image with its own statistics, mirror it at
 * the bottom and right up to the model's size grid (or minimum size), run the network, crop. The
 * tiled run computes the statistics once (streaming over the image), reads each tile with the
 * receptive-field halo around its core, and writes only cores, so neither input nor output is
 * ever held as a full-size float buffer here.
 *
 * @since 0.1.0
 */
public final class Segmentation {

  /** Bytes of Java heap the tile buffers may use, at most. */
  public static final long TILE_BUDGET = 256L << 20;

  /**
   * A finished segmentation.
   *
   * @param probabilities {@code bcyx} class probabilities (null when written to a sink)
   * @param tiles number of tiles run
   * @param tile the tile core size used
   * @param halo context used on each side of a tile
   * @param nans input pixels that were NaN (treated as 0 after normalization)
   */
  public record Result(Tensor probabilities, int tiles, long tile, long halo, long nans) {}

  /** Told how far a long run has come; may stop it by throwing. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param done tiles finished
     * @param total tiles in all
     */
    void tile(int done, int total);
  }

  private Segmentation() {}

  /**
   * @param model a loaded model with {@code bcyx} input and output
   * @param raw the image, {@code bcyx}, batch 1, unnormalized
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @param progress may be null
   * @return the probabilities
   */
  public static Result run(Model model, Tensor raw, long tile, Progress progress) {
    Planes.Collector out = new Planes.Collector(raw.size(Axis.Y), raw.size(Axis.X));
    Result r = run(model, Planes.of(raw), out, tile, progress);
    return new Result(out.result(), r.tiles(), r.tile(), r.halo(), r.nans());
  }

  /**
   * @param model a loaded model with {@code bcyx} input and output
   * @param raw the image, unnormalized, read region by region
   * @param sink receives the probabilities of each tile core
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @param progress may be null
   * @return what ran
   */
  public static Result run(Model model, PlaneSource raw, PlaneSink sink, long tile,
      Progress progress) {
    TensorSpec in = model.network().inputs().get(0);
    TensorSpec out = model.network().outputs().get(0);
    String name = model.pkg().name();
    if (!in.axes().toString().equals("bcyx") || !out.axes().toString().equals("bcyx")) {
      throw new FoveaException("model '" + name + "' has axes " + in.axes() + " -> " + out.axes()
          + "; segmentation runs 2D models with bcyx axes");
    }
    long h = raw.height();
    long w = raw.width();
    if (h == 0 || w == 0) {
      throw new FoveaException("the image is empty (" + w + "x" + h + " pixels): nothing to segment");
    }
    int ic = in.axes().indexOf(Axis.CHANNEL);
    if (!in.allows(ic, raw.channels())) {
      throw new FoveaException("the image has " + raw.channels() + " channel(s) but model '" + name
          + "' takes " + in.min()[ic] + (in.step()[ic] > 0 ? " or more" : "") + ": split or"
          + " merge the channels first, or choose a model for this many channels");
    }
    int iy = in.axes().indexOf(Axis.Y);
    int ix = in.axes().indexOf(Axis.X);
    long step = Math.max(1, Math.max(in.step()[iy], in.step()[ix]));
    if (in.step()[iy] == 0 || in.step()[ix] == 0) {
      throw new FoveaException("model '" + name + "' takes only one image size ("
          + in.min()[ix] + "x" + in.min()[iy] + "): it cannot be tiled over an image");
    }
    // mirror up to the size grid: the minimum size, then whole steps
    long hp = in.atLeast(iy, h);
    long wp = in.atLeast(ix, w);
    Halo reach = model.halo();
    long halo = Math.max(reach.max(Axis.Y), reach.max(Axis.X));
    long t = Math.min(tile <= 0 ? Long.MAX_VALUE : tile,
        budgetTile(raw.channels(), model.outputChannels(raw.channels()), halo, step));
    TilePlan ys = TilePlan.of(hp, t, halo, step);
    TilePlan xs = TilePlan.of(wp, t, halo, step);
    long nans = PlaneStatistics.nans(raw);
    List<ProcessingStep> pre = Fitting.fit(model.pkg().inputs().get(0).processing(), raw);
    PlaneSource normalized = Planes.mapped(Planes.mirrored(raw, hp, wp), x -> {
      Processing.applyAll(pre, x);
      if (nans > 0) {
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
          d[i] = Float.isNaN(d[i]) ? 0f : d[i];
        }
      }
      return x;
    });
    int total = Tiler.count(ys, xs);
    IntConsumer p = progress == null ? null : done -> progress.tile(done, total);
    Tiler.run(normalized, ys, xs, x -> model.postprocess(model.network().predict(x)), sink, h, w, p);
    return new Result(null, total, ys.tile(), ys.halo(), nans);
  }

  /**
   * Tiles a model over all of its spatial axes in memory: the N-dimensional path, for 3D models
   * ({@code bczyx}) as well as 2D ones. The input is normalized whole, mirrored up to the size grid
   * on every spatial axis, tiled with the halo, and cropped.
   *
   * @param model a loaded model whose axes are batch, channel, then spatial axes
   * @param raw the image with the model's input axes, batch 1, unnormalized
   * @param tile wanted tile core size on every spatial axis
   * @param progress may be null
   * @return the probabilities
   */
  public static Result runVolume(Model model, Tensor raw, long tile, Progress progress) {
    TensorSpec in = model.network().inputs().get(0);
    TensorSpec out = model.network().outputs().get(0);
    if (!raw.axes().equals(in.axes()) || in.axes().get(0) != Axis.BATCH
        || in.axes().get(1) != Axis.CHANNEL || !in.axes().list().subList(2, in.axes().size())
            .stream().allMatch(Axis::isSpatial)) {
      throw new FoveaException("model '" + model.pkg().name() + "' has axes " + in.axes()
          + "; volume tiling needs batch, channel, then spatial axes, and an image with the same");
    }
    int n = in.axes().size() - 2;
    long[] shape = raw.shape();
    long[] padded = shape.clone();
    List<TilePlan> plans = new ArrayList<>();
    for (int a = 2; a < n + 2; a++) {
      padded[a] = in.atLeast(a, shape[a]);
      long step = Math.max(1, in.step()[a]);
      plans.add(TilePlan.of(padded[a], tile <= 0 ? padded[a] : tile,
          model.halo().max(in.axes().get(a)), step));
    }
    Tensor x = model.preprocess(raw);
    Tensor p = Tensor.zeros(raw.axes(), padded);
    long[] idx = new long[padded.length];
    long[] ss = x.strides();
    for (int i = 0; i < p.data().length; i++) {
      long so = 0;
      for (int a = 0; a < padded.length; a++) {
        so += Planes.mirror(idx[a], shape[a]) * ss[a];
      }
      p.data()[i] = x.data()[(int) so];
      for (int a = padded.length - 1; a >= 0 && ++idx[a] == padded[a]; a--) {
        idx[a] = 0;
      }
    }
    TileGrid grid = new TileGrid(plans);
    int total = grid.tiles().size();
    IntConsumer pr = progress == null ? null : d -> progress.tile(d, total);
    Tensor y = grid.run(p, t -> model.postprocess(model.network().predict(t)), pr);
    long[] outShape = shape.clone();
    outShape[1] = y.shape()[1];
    Tensor cropped = Tensor.zeros(raw.axes(), outShape);
    TileGrid.copyBox(y, new long[outShape.length], outShape, cropped,
        new long[outShape.length]);
    return new Result(cropped, total, plans.get(plans.size() - 1).tile(),
        plans.get(plans.size() - 1).halo(), 0);
  }

  /**
   * The largest tile core whose input and output buffers fit {@link #TILE_BUDGET} (and an eighth
   * of the Java heap), on the step grid, and below the 2^31-element limit of engine tensors.
   *
   * @param cin input channels
   * @param cout output channels
   * @param halo halo per side
   * @param step size step
   * @return the tile core size
   */
  static long budgetTile(int cin, int cout, long halo, long step) {
    long budget = Math.min(TILE_BUDGET, Runtime.getRuntime().maxMemory() / 8);
    long side = (long) Math.sqrt(budget / 4.0 / (2.0 * (cin + cout))); // in, out, and a copy each
    side = Math.min(side, (long) Math.sqrt((Integer.MAX_VALUE - 8) / (double) Math.max(cin, cout)));
    long core = Math.max(step, (side - 2 * halo) / step * step);
    return core;
  }
}
