package org.fovea.io.saliency;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.fovea.models.Model;
import org.fovea.models.pkg.Fitting;
import org.fovea.models.pkg.Processing;
import org.fovea.models.pkg.ProcessingStep;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.saliency.Attribution;
import org.fovea.ops.saliency.Baselines;
import org.fovea.ops.saliency.GradCam;
import org.fovea.ops.saliency.GradientCheck;
import org.fovea.ops.saliency.RandomizationCheck;
import org.fovea.ops.saliency.Saliency;
import org.fovea.ops.saliency.Target;
import org.fovea.io.ImageFiles;
import org.fovea.io.ImagePlusPlanes;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.Planes;

/**
 * A saliency map of the current plane of an image: the image normalized as the model wants,
 * mirrored at the bottom and right up to a size the model takes, the method run, the map summed
 * over input channels and cropped back.
 *
 * @since 0.1.0
 */
public final class SaliencyMaps {

  /**
   * A computed map.
   *
   * @param map the 32-bit map, with the input's calibration
   * @param attribution the method's numbers (F(x), completeness ...)
   * @param input the normalized network input (padded)
   * @param target the target
   */
  public record Result(ImagePlus map, Attribution attribution, Tensor input, Target target) {}

  private SaliencyMaps() {}

  /**
   * @param model a loaded 2D {@code bcyx} model
   * @param imp the image; its current z-slice and frame are used
   * @param target the target, in image pixels
   * @param s the method and its parameters
   * @return the map
   */
  public static Result compute(Model model, ImagePlus imp, Target target, SaliencySettings s) {
    Tensor x = input(model, imp);
    Network net = model.network();
    int batch = batch(net, x, s);
    target.check(outputShape(model, x, imp));
    // a target is given in image pixels; an output of another resolution (a strided or
    // half-resolution model) has its own
    Target onOutput;
    try {
      org.fovea.ops.tiling.OutputScale[] sc = model.outputScales();
      onOutput = target.scaled(sc[0], sc[1]);
    } catch (IllegalArgumentException e) {
      throw new FoveaException("model '" + model.pkg().name() + "': " + e.getMessage());
    }
    Attribution a = run(net, x, onOutput, s, batch);
    return new Result(toImage(a.map(), imp, s.method()), a, x, target);
  }

  /**
   * Inputs per engine call: {@code --batch}, or as many as fit the memory budget, but never more
   * than the model takes (a batch axis fixed to 1 gets one input at a time).
   */
  static int batch(Network net, Tensor x, SaliencySettings s) {
    TensorSpec in = net.inputs().get(0);
    int b = in.axes().indexOf(Axis.BATCH);
    long most = b < 0 ? 1 : in.step()[b] == 0 ? in.min()[b] : Long.MAX_VALUE;
    if (s.batch() > most) {
      throw new FoveaException("--batch " + s.batch() + " is more than the model takes: its"
          + " inputs have a batch of exactly " + most + "; give --batch " + most + " or 0");
    }
    return (int) Math.min(s.batch() > 0 ? s.batch() : Saliency.batchFor(x), most);
  }

  /** Runs one method on a prepared input. */
  static Attribution run(Network net, Tensor x, Target target, SaliencySettings s, int batch) {
    return switch (s.method()) {
      case "gradient" -> Saliency.gradient(net, x, target);
      case "absgradient" -> {
        Attribution a = Saliency.gradient(net, x, target);
        Saliency.absolute(a.map());
        yield a;
      }
      case "gradxinput" -> Saliency.gradientTimesInput(net, x, target);
      case "smoothgrad" -> Saliency.smoothGrad(net, x, target, s.noise(), s.samples(), 42, batch);
      case "ig" -> Saliency.integratedGradients(net, x, target, baseline(s.baseline(), x), s.steps(),
          batch);
      case "gradcam" -> GradCam.compute(net, x, target, layer(net, s.layer()));
      case "occlusion" -> Saliency.occlusion(net, x, target, s.window(), s.stride(),
          (float) s.fill(), batch);
      case "erf" -> {
        if (target.kind() != Target.Kind.PIXEL) {
          throw new FoveaException("the effective receptive field is that of one output pixel:"
              + " give the target as class=C,x=X,y=Y");
        }
        yield Saliency.effectiveField(net, x, target);
      }
      default -> throw new IllegalStateException(s.method());
    };
  }

  /**
   * The finite-difference check of the engine's gradient on this input.
   *
   * @param model the model
   * @param r a computed result
   * @return the check's outcome
   */
  public static GradientCheck.Result check(Model model, Result r) {
    return GradientCheck.check(model.network(), r.input(), r.target(), 20, 1e-2, 5);
  }

  /**
   * The cascading model-randomization check of the method.
   *
   * @param model the model (its weights are restored afterwards)
   * @param r a computed result
   * @param s the method
   * @return one step per layer
   */
  public static List<RandomizationCheck.Step> sanity(Model model, Result r, SaliencySettings s) {
    int batch = batch(model.network(), r.input(), s);
    Function<Network, Tensor> method = n -> run(n, r.input(), r.target(), s, batch).map();
    return RandomizationCheck.cascade(model.network(), method, 2018);
  }

  private static String layer(Network net, String layer) {
    if (!layer.isBlank()) {
      return layer;
    }
    List<String> l = net.layerGradients().map(g -> g.layers()).orElse(List.of());
    return l.isEmpty() ? "(none)" : l.get(l.size() - 1);
  }

  private static Tensor baseline(String b, Tensor x) {
    return switch (b) {
      case "zeros", "zero", "" -> Baselines.zeros(x);
      case "blurred", "blur" -> Baselines.blurred(x, 5);
      default -> {
        ImagePlus img = ImageFiles.open(Path.of(b));
        long[] s = x.shape();
        if (img.getWidth() > s[3] || img.getHeight() > s[2]) {
          throw new FoveaException("the baseline image " + b + " is " + img.getWidth() + "x"
              + img.getHeight() + " but the input is " + s[3] + "x" + s[2] + ": give a baseline"
              + " of the input's size (used as it is, not normalized)");
        }
        Tensor t = read(Planes.mirrored(ImagePlusPlanes.source(img, 1, 1), s[2], s[3]), s[2],
            s[3]);
        if (t.shape()[1] != s[1]) {
          throw new FoveaException("the baseline image " + b + " has " + t.shape()[1]
              + " channel(s) but the input has " + s[1]);
        }
        yield t;
      }
    };
  }

  /** The normalized, padded input of the image's current plane. */
  static Tensor input(Model model, ImagePlus imp) {
    TensorSpec in = model.network().inputs().get(0);
    if (!in.axes().toString().equals("bcyx")) {
      throw new FoveaException("model '" + model.pkg().name() + "' has axes " + in.axes()
          + "; saliency maps run 2D models with bcyx axes");
    }
    PlaneSource src = ImagePlusPlanes.source(imp, imp.getZ(), imp.getT());
    model.checkChannels(src.channels(), "image '" + imp.getTitle() + "'");
    long hp = in.atLeast(in.axes().indexOf(Axis.Y), src.height());
    long wp = in.atLeast(in.axes().indexOf(Axis.X), src.width());
    List<ProcessingStep> pre = Fitting.fit(model.pkg().inputs().get(0).processing(), src);
    Tensor x = read(Planes.mirrored(src, hp, wp), hp, wp);
    Processing.applyAll(pre, x);
    return x;
  }

  private static Tensor read(PlaneSource src, long h, long w) {
    Tensor t = Tensor.zeros(Axes.of("bcyx"), 1, src.channels(), h, w);
    src.read(0, 0, (int) h, (int) w, t.data());
    return t;
  }

  private static long[] outputShape(Model model, Tensor x, ImagePlus imp) {
    // the target is checked against the image, with the model's class count
    return new long[] {1, model.outputChannels(x.shape()[1]), imp.getHeight(), imp.getWidth()};
  }

  /** The map summed over input channels, cropped to the image, with its calibration. */
  static ImagePlus toImage(Tensor map, ImagePlus imp, String method) {
    long[] s = map.shape();
    int h = (int) s[2];
    int w = (int) s[3];
    int iw = imp.getWidth();
    int ih = imp.getHeight();
    float[] px = new float[iw * ih];
    for (int c = 0; c < s[1]; c++) {
      for (int y = 0; y < ih; y++) {
        for (int q = 0; q < iw; q++) {
          px[y * iw + q] += map.data()[(c * h + y) * w + q];
        }
      }
    }
    String base = imp.getTitle().replaceFirst("\\.[^.]+$", "");
    ImagePlus r = new ImagePlus(base + "-saliency-" + method, new FloatProcessor(iw, ih, px));
    r.setCalibration(imp.getCalibration().copy());
    r.getCalibration().disableDensityCalibration();
    r.resetDisplayRange();
    return r;
  }
}
