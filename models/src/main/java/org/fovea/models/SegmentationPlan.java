package org.fovea.models;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.fovea.models.pkg.Fitting;
import org.fovea.models.pkg.Processing;
import org.fovea.models.pkg.ProcessingStep;
import org.fovea.models.pkg.References;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.stats.PlaneStatistics;
import org.fovea.ops.tiling.ImgTensors;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.TiledImage;
import org.fovea.ops.tiling.OutputScale;
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
 * @param scaleY output rows per input row (1/2 for a half-resolution output)
 * @param scaleX output columns per input column
 * @param pipeline tiles in flight when the whole output is copied ({@link Segmentation#pipeline})
 * @param depth z-slices of a volume (a 3D model's input), 0 for a 2D image
 * @param slices the tile plan along z (over the padded depth), null for a 2D image
 * @param more the fitted pre-processing of the model's further inputs (a model with several
 *     inputs takes its image's channels in the inputs' order), empty for one input
 * @param post the postprocessing of each output, its steps that take the statistics of an input
 *     ({@code reference_tensor}) bound to the whole image's (the input as given, before its
 *     preprocessing); empty for the package's steps as they are
 * @since 0.2.0
 */
public record SegmentationPlan(long height, long width, int channels, int classes, TilePlan rows,
    TilePlan columns, List<ProcessingStep> steps, long nans, OutputScale scaleY,
    OutputScale scaleX, int pipeline, long depth, TilePlan slices,
    List<List<ProcessingStep>> more, List<List<ProcessingStep>> post) implements Serializable {

  /** Copies the steps. */
  public SegmentationPlan {
    steps = List.copyOf(steps);
    more = more.stream().map(List::copyOf).toList();
    post = post == null ? List.of() : post.stream().map(List::copyOf).toList();
    pipeline = Math.max(1, pipeline);
    if ((slices == null) != (depth == 0)) {
      throw new IllegalArgumentException("a volume's plan needs both its depth and its z plan");
    }
  }

  /**
   * A plan for a 2D image.
   *
   * @param height image rows
   * @param width image columns
   * @param channels image channels
   * @param classes output channels
   * @param rows the tile plan along y
   * @param columns the tile plan along x
   * @param steps the fitted pre-processing
   * @param nans non-finite pixels
   * @param scaleY output rows per input row
   * @param scaleX output columns per input column
   * @param pipeline tiles in flight
   */
  public SegmentationPlan(long height, long width, int channels, int classes, TilePlan rows,
      TilePlan columns, List<ProcessingStep> steps, long nans, OutputScale scaleY,
      OutputScale scaleX, int pipeline) {
    this(height, width, channels, classes, rows, columns, steps, nans, scaleY, scaleX, pipeline,
        0, null, List.of(), List.of());
  }

  /**
   * A plan for a volume or a 2D image, for a model with one input.
   *
   * @param height image rows
   * @param width image columns
   * @param channels image channels
   * @param classes output channels
   * @param rows the tile plan along y
   * @param columns the tile plan along x
   * @param steps the fitted pre-processing
   * @param nans non-finite pixels
   * @param scaleY output rows per input row
   * @param scaleX output columns per input column
   * @param pipeline tiles in flight
   * @param depth z-slices, 0 for a 2D image
   * @param slices the plan along z, null for a 2D image
   */
  public SegmentationPlan(long height, long width, int channels, int classes, TilePlan rows,
      TilePlan columns, List<ProcessingStep> steps, long nans, OutputScale scaleY,
      OutputScale scaleX, int pipeline, long depth, TilePlan slices) {
    this(height, width, channels, classes, rows, columns, steps, nans, scaleY, scaleX, pipeline,
        depth, slices, List.of(), List.of());
  }

  /** @return whether this plan segments a volume (z-stack) with a 3D model */
  public boolean volume() {
    return slices != null;
  }

  /**
   * A plan whose output has the input's size.
   *
   * @param height image rows
   * @param width image columns
   * @param channels image channels
   * @param classes output channels
   * @param rows the tile plan along y
   * @param columns the tile plan along x
   * @param steps the fitted pre-processing
   * @param nans non-finite pixels
   */
  public SegmentationPlan(long height, long width, int channels, int classes, TilePlan rows,
      TilePlan columns, List<ProcessingStep> steps, long nans) {
    this(height, width, channels, classes, rows, columns, steps, nans, OutputScale.ONE,
        OutputScale.ONE, 1);
  }

  /** @return the output's rows: the image's times the output scale, rounded up */
  public long outHeight() {
    return scaleY.size(height);
  }

  /** @return the output's columns */
  public long outWidth() {
    return scaleX.size(width);
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
    OutputScale[] scale = scales(out, name);
    long h = image.height();
    long w = image.width();
    if (h == 0 || w == 0) {
      throw new FoveaException("the image is empty (" + w + "x" + h + " pixels): nothing to segment");
    }
    if (statistics.channels() != image.channels()) {
      throw new FoveaException("the statistics image has " + statistics.channels()
          + " channel(s) but the image has " + image.channels() + ": give one with the same");
    }
    int iy = in.axes().indexOf(Axis.Y);
    int ix = in.axes().indexOf(Axis.X);
    boolean fixed = in.step()[iy] == 0 || in.step()[ix] == 0;
    Halo reach = model.halo();
    long halo = Math.max(reach.max(Axis.Y), reach.max(Axis.X));
    int classes;
    int[] outChannels;
    List<ProcessingStep> fitted;
    List<List<ProcessingStep>> more = new java.util.ArrayList<>();
    Map<String, PlaneSource> raw = new java.util.HashMap<>();
    if (model.network().inputs().size() > 1 || model.network().outputs().size() > 1) {
      // several inputs take the image's channels in their order; the outputs' channels follow
      // one another in the output's channels (one file per output where they are written)
      int[] ic = checkSeveral(model, image.channels(), scale);
      outChannels = model.outputChannels(ic);
      classes = java.util.Arrays.stream(outChannels).sum();
      fitted = Fitting.fit(model.pkg().inputs().get(0).processing(),
          org.fovea.ops.tiling.Planes.channels(statistics, 0, ic[0]));
      for (int i = 0, first = 0; i < ic.length; first += ic[i], i++) {
        PlaneSource part = org.fovea.ops.tiling.Planes.channels(statistics, first, ic[i]);
        raw.put(model.pkg().inputs().get(i).name(), part);
        if (i > 0) {
          more.add(Fitting.fit(model.pkg().inputs().get(i).processing(), part));
        }
      }
    } else {
      model.checkChannels(image.channels(), "the image");
      classes = model.outputChannels(image.channels());
      outChannels = new int[] {classes};
      fitted = Fitting.fit(model.pkg().inputs().get(0).processing(), statistics);
      raw.put(model.pkg().inputs().get(0).name(), statistics);
    }
    List<List<ProcessingStep>> post = bindOutputs(model, raw, false, outChannels);
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
      // an output of another size: the halo (so the core and every input start) on whole output
      // pixels, which needs a fixed size that is a multiple of the scale's denominator
      long d = lcm(scale[0].den(), scale[1].den());
      if (fy % d != 0 || fx % d != 0) {
        throw new FoveaException("model '" + name + "' takes only " + fx + "x" + fy + " images"
            + " but gives one output per " + d + " pixels, which does not divide that size: its"
            + " description and its weights disagree");
      }
      long fixedHalo = TilePlan.roundUp(halo, d);
      if (fy - 2 * fixedHalo < 1 || fx - 2 * fixedHalo < 1) {
        throw new FoveaException("model '" + name + "' takes only " + fx + "x" + fy + " images"
            + " and its receptive field reaches " + halo + " px on each side, so a tile would"
            + " have no part that sees all it needs: it cannot be tiled without seams");
      }
      return checked(model, new SegmentationPlan(h, w, image.channels(), classes,
          TilePlan.fixed(h, fy, fixedHalo), TilePlan.fixed(w, fx, fixedHalo), fitted,
          PlaneStatistics.nans(statistics), scale[0], scale[1], 1, 0, null, more, post));
    }
    // tiles, halos and input starts on the model's size step, and on whole output pixels
    long step = lcm(Math.max(1, Math.max(in.step()[iy], in.step()[ix])),
        lcm(scale[0].den(), scale[1].den()));
    int pipeline = Segmentation.pipeline(model);
    long t = Math.min(tile <= 0 ? Long.MAX_VALUE : tile,
        Segmentation.budgetTile(image.channels(), classes, halo, step, pipeline));
    return checked(model, new SegmentationPlan(h, w, image.channels(), classes,
        TilePlan.of(TilePlan.roundUp(in.atLeast(iy, h), step), t, halo, step),
        TilePlan.of(TilePlan.roundUp(in.atLeast(ix, w), step), t, halo, step),
        fitted, PlaneStatistics.nans(statistics), scale[0], scale[1], pipeline, 0, null, more,
        post));
  }

  /**
   * A model with several inputs or outputs: every input is {@code bcyx} of the first input's
   * size, the image has as many channels as the inputs together, every output is {@code bcyx} of
   * the first output's size.
   *
   * @return the channels of each input
   */
  private static int[] checkSeveral(Model model, int channels, OutputScale[] scale) {
    String name = model.pkg().name();
    List<TensorSpec> ins = model.network().inputs();
    TensorSpec first = ins.get(0);
    int[] ic = model.inputChannels();
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < ins.size(); i++) {
      TensorSpec t = ins.get(i);
      list.append(i == 0 ? "" : ", ").append(t.name()).append(" (").append(ic[i])
          .append(ic[i] == 1 ? " channel)" : " channels)");
      boolean same = t.axes().toString().equals("bcyx") && (i == 0
          || t.reference() != null && t.reference().equals(first.name())
              && t.scale()[2] == 1 && t.scale()[3] == 1 && t.offset()[2] == 0 && t.offset()[3] == 0
          || t.reference() == null && java.util.Arrays.equals(t.min(), 2, 4, first.min(), 2, 4)
              && java.util.Arrays.equals(t.step(), 2, 4, first.step(), 2, 4));
      if (!same) {
        throw new FoveaException("model '" + name + "' has an input '" + t.name() + "' that is"
            + " not a bcyx image the size of its first input '" + first.name() + "': Fovea"
            + " segments with several inputs only when they are all one image's channels");
      }
    }
    int total = java.util.Arrays.stream(ic).sum();
    if (channels != total) {
      throw new FoveaException("model '" + name + "' has the inputs " + list + ": give an image"
          + " with " + total + " channels, the inputs' channels in that order (this one has "
          + channels + ")");
    }
    for (TensorSpec o : model.network().outputs()) {
      OutputScale[] s = scales(o, name);
      if (!o.axes().toString().equals("bcyx") || !s[0].equals(scale[0])
          || !s[1].equals(scale[1])) {
        throw new FoveaException("model '" + name + "' has an output '" + o.name() + "' of"
            + " other axes or size than its first output: Fovea writes several outputs only"
            + " when they have the same axes and size");
      }
    }
    return ic;
  }

  /** The output's scale on y and x relative to the input, as ratios of whole numbers. */
  static OutputScale[] scales(TensorSpec out, String name) {
    if (out.reference() == null) {
      return new OutputScale[] {OutputScale.ONE, OutputScale.ONE};
    }
    OutputScale[] r = new OutputScale[2];
    Axis[] axes = {Axis.Y, Axis.X};
    for (int i = 0; i < 2; i++) {
      int a = out.axes().indexOf(axes[i]);
      try {
        r[i] = OutputScale.of(out.scale()[a]);
      } catch (FoveaException e) {
        throw new FoveaException("model '" + name + "': " + e.getMessage());
      }
      if (out.offset()[a] != 0) {
        throw new FoveaException("model '" + name + "' gives outputs " + out.offset()[a]
            + " px larger or smaller than its input on axis '" + axes[i].letter() + "':"
            + " segmentation tiles outputs that follow the input's size; crop or pad them in the"
            + " model");
      }
    }
    return r;
  }

  private static long lcm(long a, long b) {
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  /**
   * @param model a loaded model with {@code bcyx} input and output
   * @param image dimensions x, y and optionally channel, unnormalized
   * @param tile wanted tile core size (0: as large as the memory budget allows)
   * @return the plan
   */
  public static SegmentationPlan of(Model model,
      RandomAccessibleInterval<? extends RealType<?>> image, long tile) {
    if (model.network().inputs().get(0).axes().indexOf(Axis.Z) >= 0) {
      return ofVolume(model, image, tile);
    }
    return of(model, ImgTensors.planes(image), tile);
  }

  /**
   * The plan for a z-stack and a 3D model ({@code bczyx}): statistics over every voxel, tiles in
   * z, y and x with the receptive field's halo on each axis.
   *
   * @param model a loaded model with {@code bczyx} input and output
   * @param image dimensions x, y, z and optionally channel, any origin, unnormalized
   * @param tile wanted tile core size on every axis (0: the whole depth, and as large in x/y as
   *     the memory budget allows)
   * @return the plan
   * @throws FoveaException when the model cannot tile this volume
   * @since 0.3.0
   */
  public static SegmentationPlan ofVolume(Model model,
      RandomAccessibleInterval<? extends RealType<?>> image, long tile) {
    TensorSpec in = model.network().inputs().get(0);
    TensorSpec out = model.network().outputs().get(0);
    String name = model.pkg().name();
    if (!in.axes().toString().equals("bczyx") || !out.axes().toString().equals("bczyx")) {
      throw new FoveaException("model '" + name + "' has axes " + in.axes() + " -> "
          + out.axes() + "; 3D segmentation runs models with bczyx axes");
    }
    if (model.network().inputs().size() > 1 || model.network().outputs().size() > 1) {
      throw new FoveaException("model '" + name + "' is a 3D model with several inputs or"
          + " outputs: 3D segmentation runs models with one input and one output");
    }
    int nd = image.numDimensions();
    if (nd != 3 && nd != 4) {
      throw new FoveaException("model '" + name + "' is a 3D model: it segments z-stacks with"
          + " dimensions x, y, z (and optionally channel), but this image has " + nd
          + " dimension(s); open the stack as a volume (its slices on z) or choose a 2D model");
    }
    OutputScale[] scale = scales(out, name);
    int iz = in.axes().indexOf(Axis.Z);
    int iy = in.axes().indexOf(Axis.Y);
    int ix = in.axes().indexOf(Axis.X);
    int oz = out.axes().indexOf(Axis.Z);
    if (out.reference() != null && (out.scale()[oz] != 1 || out.offset()[oz] != 0)) {
      throw new FoveaException("model '" + name + "' gives outputs of another size than its"
          + " input along z: 3D segmentation tiles outputs the size of their input");
    }
    long w = image.dimension(0);
    long h = image.dimension(1);
    long d = image.dimension(2);
    int channels = nd == 4 ? (int) image.dimension(3) : 1;
    if (w == 0 || h == 0 || d == 0) {
      throw new FoveaException("the image is empty (" + w + "x" + h + "x" + d
          + " voxels): nothing to segment");
    }
    model.checkChannels(channels, "the image");
    if (in.step()[iz] == 0 || in.step()[iy] == 0 || in.step()[ix] == 0) {
      throw new FoveaException("model '" + name + "' takes a fixed input size: Fovea tiles 3D"
          + " models whose size is variable on z, y and x");
    }
    for (ProcessingStep step : model.pkg().inputs().get(0).processing()) {
      if (Fitting.perSlice(step)) {
        throw new FoveaException("model '" + name + "' normalizes each z-slice on its own (its"
            + " pre-processing takes statistics over y and x only): Fovea normalizes a volume"
            + " with the statistics of all its voxels; give the pre-processing the axes z, y, x");
      }
    }
    Halo reach = model.halo();
    long halo = Math.max(reach.max(Axis.Y), reach.max(Axis.X));
    long haloZ = reach.max(Axis.Z);
    int classes = model.outputChannels(channels);
    PlaneSource stacked = ImgTensors.stackedPlanes(image);
    List<ProcessingStep> fitted = Fitting.fit(model.pkg().inputs().get(0).processing(), stacked);
    List<List<ProcessingStep>> post = bindOutputs(model,
        Map.of(model.pkg().inputs().get(0).name(), stacked), true, new int[] {classes});
    long step = lcm(in.step()[iy] == in.step()[ix] ? in.step()[iy]
        : lcm(in.step()[iy], in.step()[ix]), lcm(scale[0].den(), scale[1].den()));
    long stepZ = in.step()[iz];
    int pipeline = Segmentation.pipeline(model);
    long paddedDepth = TilePlan.roundUp(in.atLeast(iz, d), stepZ);
    long tz = TilePlan.roundUp(Math.min(tile <= 0 ? Long.MAX_VALUE : tile, paddedDepth), stepZ);
    long t = Math.min(tile <= 0 ? Long.MAX_VALUE : tile,
        Segmentation.budgetTile(channels, classes, halo, step, pipeline,
            Math.min(paddedDepth, tz + 2 * TilePlan.roundUp(haloZ, stepZ))));
    return checked(model, new SegmentationPlan(h, w, channels, classes,
        TilePlan.of(TilePlan.roundUp(in.atLeast(iy, h), step), t, halo, step),
        TilePlan.of(TilePlan.roundUp(in.atLeast(ix, w), step), t, halo, step),
        fitted, PlaneStatistics.nans(stacked), scale[0], scale[1], pipeline, d,
        TilePlan.of(paddedDepth, tz, haloZ, stepZ), List.of(), post));
  }

  /**
   * The outputs' postprocessing with the steps that name an input ({@code reference_tensor})
   * bound to that input's whole image, as given (before its preprocessing), checked against the
   * output's channels.
   */
  private static List<List<ProcessingStep>> bindOutputs(Model model, Map<String, PlaneSource> raw,
      boolean volume, int[] outChannels) {
    List<List<ProcessingStep>> post = new java.util.ArrayList<>();
    List<org.fovea.models.pkg.TensorDescription> outs = model.pkg().outputs();
    for (int j = 0; j < outs.size(); j++) {
      List<ProcessingStep> bound;
      try {
        bound = References.bindWhole(outs.get(j).processing(), raw, volume);
        References.checkFits(bound, org.fovea.ops.net.Axes.of(volume ? "bczyx" : "bcyx"),
            volume ? new long[] {1, outChannels[j], 1, 1, 1} : new long[] {1, outChannels[j], 1, 1});
      } catch (FoveaException e) {
        throw new FoveaException("model '" + model.pkg().name() + "', output '"
            + outs.get(j).name() + "': " + e.getMessage());
      }
      post.add(bound);
    }
    return post;
  }

  /**
   * An output post-processing step that takes statistics of the output (per-sample {@code
   * scale_range} or {@code zero_mean_unit_variance}, {@code scale_mean_variance}) or of another
   * output gives each tile its own numbers: tiled would differ from whole. Such a model runs only
   * when the image fits one tile.
   */
  private static SegmentationPlan checked(Model model, SegmentationPlan plan) {
    if (plan.tiles() == 1 && !plan.readsExactlyTheImage()) {
      // one tile, but it reads mirrored padding past the image (a size grid, a minimum or fixed
      // size, a halo): the output's statistics would include the padding's outputs
      TilePlan.Span r = plan.rows().spans().get(0);
      TilePlan.Span c = plan.columns().spans().get(0);
      for (int j = 0; j < model.pkg().outputs().size(); j++) {
        for (ProcessingStep s : plan.outputSteps(model, j)) {
          if (Fitting.takesStatistics(s) || References.unboundReference(s) != null) {
            throw new FoveaException("model '" + model.pkg().name() + "' takes statistics of its"
                + " output (postprocessing '" + s.kind() + "'), but it reads this " + plan.width()
                + "x" + plan.height() + " px image as " + c.inSize() + "x" + r.inSize() + " px,"
                + " mirrored past the border, so they would include that padding: segment an"
                + " image of a size the model takes as it is, or remove the step from the"
                + " package");
          }
        }
      }
    }
    if (plan.tiles() > 1) {
      for (int j = 0; j < model.pkg().outputs().size(); j++) {
        String fix = " and this image needs " + plan.tiles() + " tiles: segment a smaller image"
            + " (at most " + plan.columns().tile() + "x" + plan.rows().tile() + " px) or allow"
            + " larger tiles, or remove the step from the package";
        for (ProcessingStep s : plan.outputSteps(model, j)) {
          if (Fitting.takesStatistics(s)) {
            throw new FoveaException("model '" + model.pkg().name() + "' normalizes its output"
                + " with the output's own statistics (postprocessing '" + s.kind() + "'), which"
                + " would differ tile by tile," + fix);
          }
          String ref = References.unboundReference(s);
          if (ref != null) {
            throw new FoveaException("model '" + model.pkg().name() + "' scales its output '"
                + model.pkg().outputs().get(j).name() + "' by the statistics of the output '"
                + ref + "' (postprocessing '" + s.kind() + "'), which would differ tile by tile,"
                + fix);
          }
        }
      }
    }
    return plan;
  }

  /**
   * @param model the model the plan was made for
   * @param j an output's index
   * @return its postprocessing, with the steps that name an input bound to the whole image
   */
  public List<ProcessingStep> outputSteps(Model model, int j) {
    return post.isEmpty() ? model.pkg().outputs().get(j).processing() : post.get(j);
  }

  /**
   * Post-processes the outputs of one tile, in place; a step that names an output takes that
   * output's statistics as the network gave it (the plan allows that only in one tile).
   *
   * @param model the model
   * @param outs the tile's outputs, by the package's output names, in its order
   */
  private void postprocess(Model model, Map<String, Tensor> outs) {
    Map<String, Tensor> refs = new java.util.HashMap<>();
    for (int j = 0; j < model.pkg().outputs().size(); j++) {
      if (References.names(outputSteps(model, j), outs.keySet())) {
        outs.forEach((k, t) -> refs.put(k, new Tensor(t.axes(), t.shape(), t.data().clone())));
        break;
      }
    }
    int j = 0;
    for (Tensor t : outs.values()) {
      Processing.applyAll(References.bind(outputSteps(model, j++), refs), t);
    }
  }

  /** @return whether this plan is one tile that reads the image as it is, without padding */
  boolean readsExactlyTheImage() {
    return tiles() == 1 && exact(rows, height) && exact(columns, width)
        && (!volume() || exact(slices, depth));
  }

  private static boolean exact(TilePlan p, long size) {
    TilePlan.Span s = p.spans().get(0);
    return p.size() == size && s.inStart() == 0 && s.inEnd() == size;
  }

  /** @return the number of tiles whose core lies inside the image: the cells of the output */
  public int tiles() {
    return (int) (ceilDiv(width, columns.tile()) * ceilDiv(height, rows.tile())
        * (volume() ? ceilDiv(depth, slices.tile()) : 1));
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
    // an integer image has no NaN or infinity to make missing before normalization
    boolean finite = org.fovea.ops.tiling.ImgTensors.integral(image);
    if (volume()) {
      long c = image.numDimensions() > 3 ? image.dimension(3) : 1;
      if (image.numDimensions() < 3 || image.dimension(0) != width
          || image.dimension(1) != height || image.dimension(2) != depth || c != channels) {
        throw new IllegalArgumentException("the plan is for a volume of " + width + "x" + height
            + "x" + depth + "x" + channels + " but the image is "
            + java.util.Arrays.toString(image.dimensionsAsLongArray()));
      }
      return TiledImage.of(image, new TilePlan[] {columns, rows, slices},
          new OutputScale[] {scaleX, scaleY, OutputScale.ONE}, classes,
          x -> tile(model, x, finite), cacheBytes);
    }
    long c = image.numDimensions() > 2 ? image.dimension(2) : 1;
    if (image.dimension(0) != width || image.dimension(1) != height || c != channels) {
      throw new IllegalArgumentException("the plan is for " + width + "x" + height + "x"
          + channels + " but the image is " + image.dimension(0) + "x" + image.dimension(1) + "x"
          + c);
    }
    return TiledImage.of(image, rows, columns, classes, scaleY, scaleX,
        x -> tile(model, x, finite), cacheBytes);
  }

  /**
   * Normalizes one input tile in place: non-finite values made NaN (left out when the image has
   * none), the fitted steps, then NaN to 0.
   */
  private static void normalize(Tensor t, List<ProcessingStep> fitted, boolean finite) {
    float[] d = t.data();
    if (!finite) {
      for (int i = 0; i < d.length; i++) {
        d[i] = Float.isFinite(d[i]) ? d[i] : Float.NaN;
      }
    }
    Processing.applyAll(fitted, t);
    for (int i = 0; i < d.length; i++) {
      d[i] = Float.isNaN(d[i]) ? 0f : d[i];
    }
  }

  /**
   * One tile of a model with several inputs or outputs: the tile's channels split among the
   * inputs in their order, each normalized with its own fitted steps, one engine call, each
   * output post-processed, the outputs' channels one after another.
   */
  private Tensor tileOfSeveral(Model model, Tensor x, boolean finite) {
    int[] ic = model.inputChannels();
    long h = x.size(Axis.Y);
    long w = x.size(Axis.X);
    int plane = (int) (h * w);
    Map<String, Tensor> in = new java.util.LinkedHashMap<>();
    for (int i = 0, first = 0; i < ic.length; first += ic[i], i++) {
      float[] d = new float[ic[i] * plane];
      System.arraycopy(x.data(), first * plane, d, 0, d.length);
      Tensor t = new Tensor(x.axes(), new long[] {1, ic[i], h, w}, d);
      normalize(t, i == 0 ? steps : more.get(i - 1), finite);
      in.put(model.network().inputs().get(i).name(), t);
    }
    Map<String, Tensor> out;
    synchronized (model.network()) {
      out = model.network().predict(in);
    }
    List<TensorSpec> outs = model.network().outputs();
    Tensor o0 = out.get(outs.get(0).name());
    long oh = o0.size(Axis.Y);
    long ow = o0.size(Axis.X);
    Map<String, Tensor> named = new java.util.LinkedHashMap<>();
    for (int j = 0; j < outs.size(); j++) {
      named.put(model.pkg().outputs().get(j).name(), out.get(outs.get(j).name()));
    }
    postprocess(model, named);
    float[] all = new float[(int) (classes * oh * ow)];
    int at = 0;
    for (Tensor t : named.values()) {
      System.arraycopy(t.data(), 0, all, at, t.data().length);
      at += t.data().length;
    }
    return new Tensor(o0.axes(), new long[] {1, classes, oh, ow}, all);
  }

  /**
   * One tile: normalize with the whole image's statistics, non-finite pixels to 0, predict,
   * post-process. Infinite pixels are made NaN before normalization, so that a clip step cannot
   * turn them into its maximum: NaN and +-Inf are treated alike, as missing.
   *
   * @param finite whether the tile comes from an image that has no NaN or infinity (an integer
   *     image): then the first pass is left out
   */
  private Tensor tile(Model model, Tensor x, boolean finite) {
    if (model.network().inputs().size() > 1 || model.network().outputs().size() > 1) {
      return tileOfSeveral(model, x, finite);
    }
    normalize(x, steps, finite);
    // one engine call at a time, even for a network that allows more: an engine call already
    // uses every core (two at once were 11 % slower, BENCHMARKS.md); the other tiles in flight
    // are read, normalized and written meanwhile
    Tensor y;
    synchronized (model.network()) {
      y = model.network().predict(x);
    }
    Map<String, Tensor> named = new java.util.LinkedHashMap<>();
    named.put(model.pkg().outputs().get(0).name(), y);
    postprocess(model, named);
    return y;
  }
}
