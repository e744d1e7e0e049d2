package org.fovea.models;

import java.io.Serializable;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.fovea.models.pkg.Fitting;
import org.fovea.models.pkg.Processing;
import org.fovea.models.pkg.ProcessingStep;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.stats.PlaneStatistics;
import org.fovea.ops.tiling.ImgTensors;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.TiledImage;
import org.fovea.ops.tiling.TilePlan;

/**
 * Everything decided once about the segmentation of one 2D image, in one place: the model accepts
 * the image, the statistics of the <em>whole</em> image fitted into the pre-processing, the tile
 * plans (mirror padding up to the model's size grid, the receptive-field halo, the memory budget).
 * It is small and serializable, so a Spark driver plans and executors compute cells of the same
 * {@link #output lazy output}.
 *
 * @param height image rows
 * @param width image columns
 * @param channels image channels
 * @param classes output channels
 * @param rows the tile plan along y (over the padded height)
 * @param columns the tile plan along x (over the padded width)
 * @param steps the input pre-processing, fitted to the whole image
 * @param nans non-finite pixels (NaN, +-Inf) of the image the statistics were taken from (they
 *     are left out of the statistics and become 0 after normalization, in every tile)
 * @since 0.2.0
 */
public record SegmentationPlan(long height, long width, int channels, int classes, TilePlan rows,
    TilePlan columns, List<ProcessingStep> steps, long nans) implements Serializable {

  /** Copies the steps. */
  public SegmentationPlan {
    steps = List.copyOf(steps);
  }

  /**
   * @param model a loaded model with {@code bcyx} input and output
   * @param image the image, unnormalized, read region by region
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @return the plan
   * @throws FoveaException when the model cannot tile this image
   */
  public static SegmentationPlan of(Model model, PlaneSource image, long tile) {
    return of(model, image, image, tile);
  }

  /**
   * @param model a loaded model with {@code bcyx} input and output
   * @param image the image, unnormalized, read region by region
   * @param statistics where the normalization's statistics are taken from: the image itself, or a
   *     stand-in for it (an overview of a huge slide) with the same channels
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @return the plan
   * @throws FoveaException when the model cannot tile this image
   */
  public static SegmentationPlan of(Model model, PlaneSource image, PlaneSource statistics,
      long tile) {
    TensorSpec in = model.network().inputs().get(0);
    TensorSpec out = model.network().outputs().get(0);
    String name = model.pkg().name();
    if (!in.axes().toString().equals("bcyx") || !out.axes().toString().equals("bcyx")) {
      throw new FoveaException("model '" + name + "' has axes " + in.axes() + " -> " + out.axes()
          + "; segmentation runs 2D models with bcyx axes");
    }
    if (out.reference() != null) {
      int oy = out.axes().indexOf(Axis.Y);
      int ox = out.axes().indexOf(Axis.X);
      if (out.scale()[oy] != 1 || out.scale()[ox] != 1) {
        throw new FoveaException(String.format(java.util.Locale.ROOT, "model '%s' gives one output"
            + " per %sx%s pixels (its output is %s x %s the input's size): segment it with --dense"
            + " atrous or --dense shift-stitch (Fiji: Dense prediction) for one output per pixel",
            name, inverse(out.scale()[ox]), inverse(out.scale()[oy]), out.scale()[ox],
            out.scale()[oy]));
      }
    }
    long h = image.height();
    long w = image.width();
    if (h == 0 || w == 0) {
      throw new FoveaException("the image is empty (" + w + "x" + h + " pixels): nothing to segment");
    }
    model.checkChannels(image.channels(), "the image");
    if (statistics.channels() != image.channels()) {
      throw new FoveaException("the statistics image has " + statistics.channels()
          + " channel(s) but the image has " + image.channels() + ": give one with the same");
    }
    int iy = in.axes().indexOf(Axis.Y);
    int ix = in.axes().indexOf(Axis.X);
    boolean fixed = in.step()[iy] == 0 || in.step()[ix] == 0;
    Halo reach = model.halo();
    long halo = Math.max(reach.max(Axis.Y), reach.max(Axis.X));
    int classes = model.outputChannels(image.channels());
    List<ProcessingStep> fitted = Fitting.fit(model.pkg().inputs().get(0).processing(),
        statistics);
    if (fixed) {
      // one input size (a fixed shape, as many DeepImageJ models have): every tile reads exactly
      // that size, the halo around the core, mirrored past the border; the tile size is the
      // model's, not the user's
      if (in.step()[iy] != 0 || in.step()[ix] != 0) {
        throw new FoveaException("model '" + name + "' takes a fixed size on one spatial axis and"
            + " a variable one on the other: Fovea tiles models whose size is fixed on both"
            + " axes or on neither");
      }
      long fy = in.min()[iy];
      long fx = in.min()[ix];
      if (fy - 2 * halo < 1 || fx - 2 * halo < 1) {
        throw new FoveaException("model '" + name + "' takes only " + fx + "x" + fy + " images"
            + " and its receptive field reaches " + halo + " px on each side, so a tile would"
            + " have no part that sees all it needs: it cannot be tiled without seams");
      }
      return new SegmentationPlan(h, w, image.channels(), classes, TilePlan.fixed(h, fy, halo),
          TilePlan.fixed(w, fx, halo), fitted, PlaneStatistics.nans(statistics));
    }
    long step = Math.max(1, Math.max(in.step()[iy], in.step()[ix]));
    long t = Math.min(tile <= 0 ? Long.MAX_VALUE : tile,
        Segmentation.budgetTile(image.channels(), classes, halo, step));
    return new SegmentationPlan(h, w, image.channels(), classes,
        TilePlan.of(in.atLeast(iy, h), t, halo, step), TilePlan.of(in.atLeast(ix, w), t, halo, step),
        fitted, PlaneStatistics.nans(statistics));
  }

  /**
   * @param model a loaded model with {@code bcyx} input and output
   * @param image dimensions x, y and optionally channel, unnormalized
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @return the plan
   */
  public static SegmentationPlan of(Model model,
      RandomAccessibleInterval<? extends RealType<?>> image, long tile) {
    return of(model, ImgTensors.planes(image), tile);
  }

  private static String inverse(double scale) {
    double v = 1 / scale;
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT,
        "%.3g", v);
  }

  /** @return the number of tiles whose core lies inside the image: the cells of the output */
  public int tiles() {
    return (int) (ceilDiv(width, columns.tile()) * ceilDiv(height, rows.tile()));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /**
   * The lazy output of this plan over an image: each cell is computed on first read.
   *
   * @param model the model the plan was made for
   * @param image the image the plan was made for (dimensions x, y and optionally channel, any
   *     origin), unnormalized
   * @param cacheBytes bytes of computed cells to keep
   * @return the probabilities, x, y, class; cells may be read from several threads (a network
   *     that may not be called concurrently runs one tile at a time)
   */
  public TiledImage output(Model model, RandomAccessibleInterval<? extends RealType<?>> image,
      long cacheBytes) {
    long c = image.numDimensions() > 2 ? image.dimension(2) : 1;
    if (image.dimension(0) != width || image.dimension(1) != height || c != channels) {
      throw new IllegalArgumentException("the plan is for " + width + "x" + height + "x"
          + channels + " but the image is " + image.dimension(0) + "x" + image.dimension(1) + "x"
          + c);
    }
    return TiledImage.of(image, rows, columns, classes, x -> tile(model, x), cacheBytes);
  }

  /**
   * One tile: normalize with the whole image's statistics, non-finite pixels to 0, predict,
   * post-process. Infinite pixels are made NaN before normalization, so that a clip step cannot
   * turn them into its maximum: NaN and +-Inf are treated alike, as missing.
   */
  private Tensor tile(Model model, Tensor x) {
    float[] d = x.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = Float.isFinite(d[i]) ? d[i] : Float.NaN;
    }
    Processing.applyAll(steps, x);
    for (int i = 0; i < d.length; i++) {
      d[i] = Float.isNaN(d[i]) ? 0f : d[i];
    }
    if (model.network().concurrent()) {
      return model.postprocess(model.network().predict(x));
    }
    synchronized (model.network()) {
      return model.postprocess(model.network().predict(x));
    }
  }
}
