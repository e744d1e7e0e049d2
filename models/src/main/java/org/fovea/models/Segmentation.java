package org.fovea.models;

import java.util.function.IntConsumer;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.ImgTensors;
import org.fovea.ops.tiling.PlaneSink;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.Planes;
import org.fovea.ops.tiling.TiledImage;

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

  /** Bytes of input cells kept while a region-by-region source is tiled. */
  private static final long INPUT_CACHE = 64L << 20;

  /**
   * A finished segmentation.
   *
   * @param probabilities {@code bcyx} class probabilities (null when written to a sink)
   * @param tiles number of tiles run
   * @param tile the tile core size used
   * @param halo context used on each side of a tile
   * @param nans input pixels that were NaN or infinite (treated as 0 after normalization)
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
   * The class probabilities of a 2D image (the op {@code fovea.segment}): the image of {@link #lazy}.
   *
   * @param model a loaded model with {@code bcyx} input and output
   * @param image dimensions x, y and optionally channel, any origin and backing, unnormalized
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @return dimensions x, y, class, with the origin of the input; each tile core is computed when one
   *     of its pixels is first read
   * @implNote op names='fovea.segment'
   */
  public static RandomAccessibleInterval<FloatType> probabilities(Model model,
      RandomAccessibleInterval<? extends RealType<?>> image, long tile) {
    return lazy(model, image, tile).image();
  }

  /**
   * The probabilities of a 2D image as a lazy ImgLib2 image: the statistics are taken once over
   * the whole input now; each tile core is computed, with its receptive-field halo, when it is
   * first read.
   *
   * <pre>{@code
   * TiledImage p = Segmentation.lazy(model, image, 0);   // image: x, y[, c], any RealType
   * RandomAccessibleInterval<FloatType> probabilities = p.image(); // x, y, class
   * }</pre>
   *
   * @param model a loaded model with {@code bcyx} input and output
   * @param image dimensions x, y and optionally channel, any origin and backing, unnormalized
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @return the lazy output
   */
  public static TiledImage lazy(Model model,
      RandomAccessibleInterval<? extends RealType<?>> image, long tile) {
    return SegmentationPlan.of(model, image, tile).output(model, image, TiledImage.DEFAULT_CACHE);
  }

  /**
   * @param model a loaded model with {@code bcyx} input and output
   * @param raw the image, {@code bcyx}, batch 1, unnormalized
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @param progress may be null
   * @return the probabilities
   */
  public static Result run(Model model, Tensor raw, long tile, Progress progress) {
    if (!raw.axes().toString().equals("bcyx") || raw.size(Axis.BATCH) != 1) {
      throw new IllegalArgumentException("expected a bcyx tensor with batch 1, got " + raw);
    }
    RandomAccessibleInterval<FloatType> image = Views.hyperSlice(raw.asImg(), 3, 0);
    SegmentationPlan plan = SegmentationPlan.of(model, image, tile);
    Planes.Collector out = new Planes.Collector(plan.outHeight(), plan.outWidth());
    Result r = copy(plan.output(model, image, TiledImage.DEFAULT_CACHE), plan, out, progress);
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
    SegmentationPlan plan = SegmentationPlan.of(model, raw, tile);
    return copy(plan.output(model, ImgTensors.image(raw, 256, INPUT_CACHE), TiledImage.DEFAULT_CACHE),
        plan, sink, progress);
  }

  /**
   * @param model a loaded model with {@code bcyx} input and output
   * @param image dimensions x, y and optionally channel, unnormalized
   * @param sink receives the probabilities of each tile core
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @param progress may be null
   * @return what ran
   */
  public static Result run(Model model, RandomAccessibleInterval<? extends RealType<?>> image,
      PlaneSink sink, long tile, Progress progress) {
    SegmentationPlan plan = SegmentationPlan.of(model, image, tile);
    return copy(plan.output(model, image, TiledImage.DEFAULT_CACHE), plan, sink, progress);
  }

  /**
   * Computes every cell of a lazy output into a sink, in parallel where the network allows.
   *
   * @param out the lazy output
   * @param plan its plan
   * @param sink receives each core
   * @param progress may be null
   * @return what ran
   */
  public static Result copy(TiledImage out, SegmentationPlan plan, PlaneSink sink,
      Progress progress) {
    if (plan.volume()) {
      throw new IllegalArgumentException("a plane sink takes 2D outputs; this plan is for a"
          + " volume: give a cell sink");
    }
    return copy(out, plan, (min, size, c, data) -> sink.write(min[1], min[0], size[1], size[0],
        c, data), progress);
  }

  /**
   * Computes every cell of a lazy 2D or 3D output into a sink, in parallel where the network
   * allows.
   *
   * @param out the lazy output
   * @param plan its plan
   * @param sink receives each core
   * @param progress may be null
   * @return what ran
   * @since 0.3.0
   */
  public static Result copy(TiledImage out, SegmentationPlan plan, TiledImage.CellSink sink,
      Progress progress) {
    int total = out.tiles();
    IntConsumer p = progress == null ? null : done -> progress.tile(done, total);
    out.copyCells(sink, plan.pipeline(), p);
    return new Result(null, total, plan.rows().tile(), plan.rows().halo(), plan.nans());
  }

  /**
   * The probabilities of a 2D image or (for a 3D model) a volume, cell by cell into a sink.
   *
   * @param model a loaded model
   * @param image x, y[, z] and optionally channel, unnormalized
   * @param sink receives the probabilities of each tile core
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @param progress may be null
   * @return what ran
   * @since 0.3.0
   */
  public static Result run(Model model, RandomAccessibleInterval<? extends RealType<?>> image,
      TiledImage.CellSink sink, long tile, Progress progress) {
    SegmentationPlan plan = SegmentationPlan.of(model, image, tile);
    return copy(plan.output(model, image, TiledImage.DEFAULT_CACHE), plan, sink, progress);
  }

  /**
   * @param model a loaded model
   * @return whether it segments volumes (its input has a z axis)
   * @since 0.3.0
   */
  public static boolean volumetric(Model model) {
    return model.network().inputs().get(0).axes().indexOf(Axis.Z) >= 0;
  }

  /**
   * How many tiles are in flight while a whole output is copied (system property {@code
   * fovea.pipeline}): with 2, the next tile is read and normalized, and the previous core written,
   * while the engine runs on the current one (engine calls still run one at a time); with 1 the
   * steps run one after another. The default is 2 when the network runs on a GPU, whose host
   * cores are free meanwhile, and 1 on the CPU, where the engine already uses every core and the
   * overlap only competes with it (measured: no gain on 2 cores, BENCHMARKS.md).
   *
   * @param model the model that runs the tiles
   * @return the number of tiles in flight, at least 1
   */
  public static int pipeline(Model model) {
    Integer p = Integer.getInteger("fovea.pipeline");
    if (p != null) {
      return Math.max(1, p);
    }
    return model.network().device().startsWith("gpu") ? 2 : 1;
  }

  /**
   * The largest tile core whose input and output buffers fit {@link #TILE_BUDGET} (and an eighth
   * of the Java heap), shared by the {@link #pipeline tiles in flight}, on the step grid, and
   * below the 2^31-element limit of engine tensors.
   *
   * @param cin input channels
   * @param cout output channels
   * @param halo halo per side
   * @param step size step
   * @param pipeline tiles in flight
   * @return the tile core size
   */
  static long budgetTile(int cin, int cout, long halo, long step, int pipeline) {
    return budgetTile(cin, cout, halo, step, pipeline, 1);
  }

  /**
   * The largest tile core in x/y for tiles of {@code slices} z-slices (input, halo included).
   *
   * @param cin input channels
   * @param cout output channels
   * @param halo halo per side in x/y
   * @param step size step in x/y
   * @param pipeline tiles in flight
   * @param slices input slices per tile (1 for a 2D image)
   * @return the tile core size in x and y
   */
  static long budgetTile(int cin, int cout, long halo, long step, int pipeline, long slices) {
    long budget = Math.min(TILE_BUDGET, Runtime.getRuntime().maxMemory() / 8) / pipeline;
    // in, out, and a copy each
    long side = (long) Math.sqrt(budget / 4.0 / (2.0 * (cin + cout)) / slices);
    side = Math.min(side, (long) Math.sqrt((Integer.MAX_VALUE - 8)
        / (double) Math.max(cin, cout) / slices));
    long core = Math.max(step, (side - 2 * halo) / step * step);
    return core;
  }
}
