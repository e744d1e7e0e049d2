package org.fovea.cli;

import ij.ImagePlus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.saliency.Attribution;
import org.fovea.ops.saliency.GradientCheck;
import org.fovea.ops.saliency.RandomizationCheck;
import org.fovea.ops.saliency.Target;
import org.fovea.io.ImageFiles;
import org.fovea.io.OutputPaths;
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

  @Mixin
  SaliencyOptions so = new SaliencyOptions();

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
    SaliencySettings s = so.settings();
    Target t = Target.parse(so.target);
    Path in = input != null ? input : ImageFiles.sample();
    Path dest = output != null ? output : OutputPaths.names(List.of(in)).of(in, null, 1,
        "-saliency-" + s.method() + ".tif");
    OutputPaths.check(Map.of(in, overlay == null ? List.of(dest) : List.of(dest, overlay)));
    ImagePlus imp = ImageFiles.open(in);
    var pkg = Zoo.resolve(model, new Zoo.Bare(axes, normalize));
    long t0 = System.nanoTime();
    try (Model m = Model.load(pkg, eng.engine != null ? eng.engine : Saliencies.engine(pkg, s),
        eng.device)) {
      SaliencyMaps.Result r = SaliencyMaps.compute(m, imp, t, s);
      Attribution a = r.attribution();
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
