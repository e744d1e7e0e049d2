package org.fovea.cli;

import ij.ImagePlus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.saliency.Attribution;
import org.fovea.ops.saliency.GradientCheck;
import org.fovea.ops.saliency.RandomizationCheck;
import org.fovea.ops.saliency.Target;
import org.fovea.io.ImageFiles;
import org.fovea.io.saliency.OverlayImages;
import org.fovea.io.saliency.Saliencies;
import org.fovea.io.saliency.SaliencyMaps;
import org.fovea.io.saliency.SaliencySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fovea saliency}: which input pixels drove a model's answer, as a 32-bit map and an
 * overlay picture, with an optional gradient check and randomization sanity check.
 *
 * @since 0.1.0
 */
@Command(name = "saliency", mixinStandardHelpOptions = true,
    description = "Saliency map of one image: gradient, gradient x input, SmoothGrad, Integrated"
        + " Gradients, Grad-CAM, occlusion or effective receptive field, for a class at a pixel,"
        + " in a rectangle or over the whole image.")
public final class SaliencyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", defaultValue = Zoo.DEFAULT_MODEL,
      description = "model name or path (default: ${DEFAULT-VALUE})")
  String model;

  @Mixin
  EngineOptions eng = new EngineOptions();

  @Option(names = "--method", defaultValue = "gradient", description = "gradient, absgradient,"
      + " gradxinput, smoothgrad, ig, gradcam, occlusion or erf (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--target", defaultValue = "all", description = "class=C[,x=X,y=Y][,roi=X,Y,W,H]"
      + " or all (default: ${DEFAULT-VALUE}): a class at a pixel, its mean in a rectangle, or its"
      + " sum over the image")
  String target;

  @Option(names = "--steps", defaultValue = "50", description = "Integrated Gradients steps")
  int steps;

  @Option(names = "--samples", defaultValue = "25", description = "SmoothGrad samples")
  int samples;

  @Option(names = "--noise", defaultValue = "0.15",
      description = "SmoothGrad noise, a fraction of the input range")
  double noise;

  @Option(names = "--baseline", defaultValue = "zeros",
      description = "Integrated Gradients baseline: zeros, blurred, or an image file")
  String baseline;

  @Option(names = "--window", defaultValue = "15", description = "occlusion window (px)")
  int window;

  @Option(names = "--stride", defaultValue = "4", description = "occlusion stride (px)")
  int stride;

  @Option(names = "--fill", defaultValue = "0",
      description = "occlusion value (after normalization)")
  double fill;

  @Option(names = "--layer", defaultValue = "", description = "Grad-CAM layer (default: the last)")
  String layer;

  @Option(names = "--batch", defaultValue = "0", description = "inputs per engine call; 0: auto")
  int batch;

  @Option(names = "--check", description = "compare the engine's gradient with central finite"
      + " differences before trusting the map")
  boolean check;

  @Option(names = "--sanity", description = "model-randomization check: re-draw the weights"
      + " layer by layer from the top and report the rank correlation with the original map")
  boolean sanity;

  @Option(names = "--axes", defaultValue = "bcyx", description = "axes of a bare model file")
  String axes;

  @Option(names = "--normalize", defaultValue = "scale_range",
      description = "normalization of a bare model file's input")
  String normalize;

  @Option(names = {"-o", "--output"}, description = "the 32-bit map (default:"
      + " INPUT-saliency-METHOD.tif in the current folder)")
  Path output;

  @Option(names = "--overlay", description = "the overlay picture (.png)")
  Path overlay;

  @Parameters(arity = "0..1", paramLabel = "INPUT", description = "the image (default: the"
      + " shipped sample)")
  Path input;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SaliencySettings s = new SaliencySettings(method, steps, samples, noise, baseline, window,
        stride, fill, layer, batch);
    Target t = Target.parse(target);
    Path in = input != null ? input : ImageFiles.sample();
    ImagePlus imp = ImageFiles.open(in);
    var pkg = Zoo.resolve(model, new Zoo.Bare(axes, normalize));
    long t0 = System.nanoTime();
    try (Model m = Model.load(pkg, eng.engine != null ? eng.engine : Saliencies.engine(pkg, s),
        eng.device)) {
      SaliencyMaps.Result r = SaliencyMaps.compute(m, imp, t, s);
      Attribution a = r.attribution();
      Path dest = output != null ? output : ImageFiles.outputFor(in, null, 1,
          "-saliency-" + s.method() + ".tif");
      ImageFiles.saveTiff(r.map(), dest);
      if (overlay != null) {
        OverlayImages.savePng(OverlayImages.render(imp, r.map(), t, s.signed(),
            s.method() + ", " + t.describe()), overlay);
      }
      out.printf(Locale.ROOT, "%s: model=%s engine=%s device=%s method=%s target=[%s]"
          + " score=%.6g passes=%d seconds=%.2f -> %s%s%n", in, m.pkg().name(),
          m.network().engine(), m.network().device(), s.method(), t.describe(), a.score(),
          a.passes(), (System.nanoTime() - t0) / 1e9, dest,
          overlay != null ? ", " + overlay : "");
      if (!Double.isNaN(a.completenessError())) {
        out.printf(Locale.ROOT, "integrated gradients: sum=%.6g F(x)-F(baseline)=%.6g"
            + " completeness error=%.3g%%%n", a.sum(), a.score() - a.baselineScore(),
            100 * a.completenessError());
      }
      int code = 0;
      if (check) {
        GradientCheck.Result c = SaliencyMaps.check(m, r);
        boolean ok = c.passes(1e-2);
        out.printf(Locale.ROOT, "gradient check: %d values, largest difference to central finite"
            + " differences %.3g of the largest gradient: %s%n", c.points(), c.maxError(),
            ok ? "ok" : "FAILED");
        if (!ok) {
          spec.commandLine().getErr().println("fovea: the engine's gradient disagrees with"
              + " finite differences (engine " + c.engine() + ", finite difference " + c.finite()
              + " at input value " + c.worstIndex() + "): do not trust this map");
          code = 1;
        }
      }
      if (sanity) {
        List<RandomizationCheck.Step> steps = SaliencyMaps.sanity(m, r, s);
        out.println("randomization check (cascading, from the top): layer, Spearman |map|,"
            + " Spearman signed");
        for (RandomizationCheck.Step st : steps) {
          out.printf(Locale.ROOT, "  %-16s %7.3f %7.3f%n", st.layer(), st.spearman(),
              st.signedSpearman());
        }
      }
      out.flush();
      return code;
    }
  }
}
