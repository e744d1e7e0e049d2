package org.fovea.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.fovea.models.Halo;
import org.fovea.models.Model;
import org.fovea.models.pkg.Fitting;
import org.fovea.models.pkg.Processing;
import org.fovea.models.pkg.ProcessingStep;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.stats.PlaneStatistics;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.Planes;
import org.fovea.ops.tiling.TilePlan;

/**
 * The segmentation of one large 2D image cut into independent tile tasks: what
 * {@link org.fovea.models.Segmentation#run} does in one process, split so that each tile can run
 * on another machine. The driver makes the plan once (the statistics of the whole image, fitted
 * into the pre-processing; the tile grid with the receptive-field halo; the mirror padding up to
 * the model's size grid); a task computes one tile from the plan and the image file alone, and
 * returns its core. Stitched, the cores equal the single-process result exactly.
 *
 * @param height image rows
 * @param width image columns
 * @param channels image channels
 * @param paddedHeight rows after mirroring up to the model's size grid
 * @param paddedWidth columns likewise
 * @param tile wanted tile core size (each axis rounds it as {@link TilePlan#of} does)
 * @param halo the receptive field's reach (each axis rounds it up to the step)
 * @param step the model's size step
 * @param steps the input pre-processing, fitted to the whole image
 * @param nans NaN pixels of the image (set to 0 after normalization)
 * @since 0.1.0
 */
public record BlockPlan(long height, long width, int channels, long paddedHeight,
    long paddedWidth, long tile, long halo, long step, List<ProcessingStep> steps, long nans)
    implements Serializable {

  /**
   * One tile's output.
   *
   * @param y0 first row of the core
   * @param x0 first column
   * @param h rows
   * @param w columns
   * @param channels output channels
   * @param data {@code channels * h * w} values, channel-major
   */
  public record Block(long y0, long x0, int h, int w, int channels, float[] data)
      implements Serializable {}

  /**
   * Plans the segmentation of an image, as {@link org.fovea.models.Segmentation#run} does.
   *
   * @param model the loaded model ({@code bcyx})
   * @param raw the image
   * @param tile wanted tile core size (at least one step)
   * @return the plan
   */
  public static BlockPlan of(Model model, PlaneSource raw, long tile) {
    TensorSpec in = model.network().inputs().get(0);
    TensorSpec out = model.network().outputs().get(0);
    String name = model.pkg().name();
    if (!in.axes().toString().equals("bcyx") || !out.axes().toString().equals("bcyx")) {
      throw new FoveaException("model '" + name + "' has axes " + in.axes() + " -> " + out.axes()
          + "; block jobs run 2D models with bcyx axes");
    }
    int ic = in.axes().indexOf(Axis.CHANNEL);
    if (!in.allows(ic, raw.channels())) {
      throw new FoveaException("the image has " + raw.channels() + " channel(s) but model '"
          + name + "' takes " + in.min()[ic] + ": choose a model for this many channels");
    }
    int iy = in.axes().indexOf(Axis.Y);
    int ix = in.axes().indexOf(Axis.X);
    if (in.step()[iy] == 0 || in.step()[ix] == 0) {
      throw new FoveaException("model '" + name + "' takes only one image size: it cannot be"
          + " tiled over an image");
    }
    long step = Math.max(1, Math.max(in.step()[iy], in.step()[ix]));
    Halo reach = model.halo();
    long halo = Math.max(reach.max(Axis.Y), reach.max(Axis.X));
    long hp = in.atLeast(iy, raw.height());
    long wp = in.atLeast(ix, raw.width());
    List<ProcessingStep> fitted = Fitting.fit(model.pkg().inputs().get(0).processing(), raw);
    return new BlockPlan(raw.height(), raw.width(), raw.channels(), hp, wp, tile, halo, step,
        List.copyOf(fitted), PlaneStatistics.nans(raw));
  }

  /** @return the plan along y */
  public TilePlan rows() {
    return TilePlan.of(paddedHeight, tile, halo, step);
  }

  /** @return the plan along x */
  public TilePlan columns() {
    return TilePlan.of(paddedWidth, tile, halo, step);
  }

  /** @return {row, column} of every tile whose core lies inside the image, in order */
  public List<int[]> tiles() {
    List<int[]> l = new ArrayList<>();
    List<TilePlan.Span> rs = rows().spans();
    List<TilePlan.Span> cs = columns().spans();
    for (int r = 0; r < rs.size(); r++) {
      for (int c = 0; c < cs.size(); c++) {
        if (rs.get(r).coreStart() < height && cs.get(c).coreStart() < width) {
          l.add(new int[] {r, c});
        }
      }
    }
    return l;
  }

  /**
   * Computes one tile: reads its input (core and halo, mirrored beyond the image), normalizes it
   * with the whole image's statistics, runs the model, and keeps the core.
   *
   * @param model the loaded model
   * @param raw the image
   * @param row tile row
   * @param col tile column
   * @return the core's probabilities, clipped to the image
   */
  public Block run(Model model, PlaneSource raw, int row, int col) {
    TilePlan.Span r = rows().spans().get(row);
    TilePlan.Span c = columns().spans().get(col);
    int th = (int) r.inSize();
    int tw = (int) c.inSize();
    PlaneSource src = Planes.mirrored(raw, paddedHeight, paddedWidth);
    Tensor x = Tensor.zeros(Axes.of("bcyx"), 1, channels, th, tw);
    src.read(r.inStart(), c.inStart(), th, tw, x.data());
    Processing.applyAll(steps, x);
    if (nans > 0) {
      float[] d = x.data();
      for (int i = 0; i < d.length; i++) {
        d[i] = Float.isNaN(d[i]) ? 0f : d[i];
      }
    }
    Tensor o;
    synchronized (ExecutorModels.lockFor(model)) {
      o = model.postprocess(model.network().predict(x));
    }
    int ch = (int) (Math.min(r.coreEnd(), height) - r.coreStart());
    int cw = (int) (Math.min(c.coreEnd(), width) - c.coreStart());
    int cout = (int) o.size(Axis.CHANNEL);
    float[] core = new float[cout * ch * cw];
    int oy = (int) (r.coreStart() - r.inStart());
    int ox = (int) (c.coreStart() - c.inStart());
    for (int k = 0; k < cout; k++) {
      for (int y = 0; y < ch; y++) {
        System.arraycopy(o.data(), (k * th + oy + y) * tw + ox, core, (k * ch + y) * cw, cw);
      }
    }
    return new Block(r.coreStart(), c.coreStart(), ch, cw, cout, core);
  }
}
