package org.fovea.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fovea.models.Halo;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.models.engine.EngineProvider;
import org.fovea.models.engine.Engines;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.ProcessingStep;
import org.fovea.models.pkg.TensorDescription;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.TensorSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fovea models inspect MODEL}: what Fovea understood of a package — its tensors, their axes
 * with sizes, steps and scales, processing, weight formats and the engine for each, and the
 * declared halo against the reach of the receptive field, which is what tiling uses.
 *
 * @since 0.2.0
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "What Fovea understood of a model: tensors, axes, processing, weight formats"
        + " and their engines, declared halo vs receptive field.")
final class InspectCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", defaultValue = Zoo.DEFAULT_MODEL,
      description = "model name or path (default: ${DEFAULT-VALUE})")
  String model;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ModelPackage p = Zoo.resolve(model);
    out.printf("model %s%s%n  from %s%n", p.name(),
        p.formatVersion().isEmpty() ? " (bare model file)" : " (bioimage.io " + p.formatVersion()
            + ")", p.source());
    out.println("inputs:");
    for (TensorDescription t : p.inputs()) {
      tensor(out, t);
    }
    out.println("outputs:");
    for (TensorDescription t : p.outputs()) {
      tensor(out, t);
    }
    out.println("weights:");
    for (WeightFormat f : p.weights().keySet()) {
      List<String> engines = new ArrayList<>();
      for (EngineProvider e : Engines.forFormat(f)) {
        String why = e.unavailableReason();
        engines.add(e.name() + (why == null ? "" : " (unavailable: " + why + ")"));
      }
      out.printf("  %-30s -> %s%n", f.key(), engines.isEmpty() ? "no engine" : String.join(", ",
          engines));
    }
    for (String other : p.otherWeights()) {
      out.printf("  %-30s -> not run by Fovea%n", other);
    }
    if (p.weights().isEmpty()) {
      out.println("receptive field: not known (no weights Fovea runs)");
      out.flush();
      return 0;
    }
    try (Model m = Model.load(p, null, "cpu")) {
      Halo h = m.halo();
      TensorSpec o = p.outputs().get(0).spec();
      StringBuilder sb = new StringBuilder();
      boolean short_ = false;
      for (Axis a : h.axes()) {
        int i = o.axes().indexOf(a);
        long declared = i < 0 ? 0 : o.halo()[i];
        long reach = h.max(a);
        // a halo is in the output's pixels: for an output of scale 1/2, half the input's reach
        double scale = i < 0 || o.reference() == null ? 1 : o.scale()[i];
        long needed = (long) Math.ceil(reach * scale - 1e-9);
        short_ |= declared < needed;
        sb.append(scale == 1
            ? String.format(Locale.ROOT, " %s: reach %d, declared halo %d;", a.letter(), reach,
                declared)
            : String.format(Locale.ROOT, " %s: reach %d (%d output px), declared halo %d;",
                a.letter(), reach, needed, declared));
      }
      out.printf("receptive field (%s):%s%n", h.source(), sb);
      out.println(short_ ? "  the declared halo is smaller than the reach: a tool that trusts it"
          + " gets seams between tiles; Fovea tiles with the reach"
          : "  the declared halo covers the reach");
    } catch (FoveaException e) {
      out.println("receptive field: not known (" + e.getMessage() + ")");
    }
    out.flush();
    return 0;
  }

  private static void tensor(PrintWriter out, TensorDescription t) {
    TensorSpec s = t.spec();
    List<String> axes = new ArrayList<>();
    for (int i = 0; i < s.axes().size(); i++) {
      Axis a = s.axes().get(i);
      String size;
      if (s.reference() != null && s.scale()[i] == 0) {
        size = "exactly " + s.offset()[i];
      } else if (s.reference() != null && s.scale()[i] == 1 && s.offset()[i] == 0) {
        size = "as " + s.reference();
      } else if (s.reference() != null) {
        size = String.format(Locale.ROOT, "%s x %s %+d", s.reference(), num(s.scale()[i]),
            s.offset()[i]);
      } else if (s.step()[i] == 0) {
        size = "exactly " + s.min()[i];
      } else if (a == Axis.BATCH) {
        size = "any";
      } else {
        size = s.min()[i] + " + k*" + s.step()[i];
      }
      axes.add(a.letter() + " (" + size + (s.halo()[i] > 0 ? ", halo " + s.halo()[i] : "") + ")");
    }
    out.printf("  %s: %s%n", t.name(), String.join(", ", axes));
    if (!t.channelNames().isEmpty()) {
      out.printf("    channels: %s%n", String.join(", ", t.channelNames()));
    }
    if (!t.processing().isEmpty()) {
      out.printf("    processing: %s%n", String.join(", ", t.processing().stream()
          .map(ProcessingStep::kind).toList()));
    }
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
