package org.fovea.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fovea.models.Validation;
import org.fovea.models.Zoo;
import org.fovea.models.engine.EngineProvider;
import org.fovea.models.engine.Engines;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.models.tf.OnnxToSavedModel;
import org.fovea.ops.net.FoveaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fovea models list | validate | inspect | convert-tf | evaluate}.
 *
 * @since 0.1.0
 */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "List, validate and convert models.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Validate.class,
        InspectCommand.class, ModelsCommand.ConvertTf.class, EvaluateCommand.class})
public final class ModelsCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code fovea models list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Shipped and user models, with their weight formats and engines.")
  static final class ListModels implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-18s %-8s %-52s %s%n", "MODEL", "ORIGIN", "FORMATS", "ENGINES");
      for (Zoo.Entry e : Zoo.list()) {
        String formats;
        String engines;
        try {
          ModelPackage p = Zoo.resolve(e.path().toString());
          formats = String.join(", ", p.weights().keySet().stream().map(WeightFormat::key).toList());
          List<String> en = new ArrayList<>();
          for (WeightFormat f : p.weights().keySet()) {
            Engines.forFormat(f).forEach(x -> en.add(x.name()));
          }
          engines = String.join(", ", en);
        } catch (FoveaException ex) {
          formats = "unreadable";
          engines = ex.getMessage();
        }
        out.printf("%-18s %-8s %-52s %s%n", e.name(), e.origin().name().toLowerCase(Locale.ROOT),
            formats, engines);
      }
      out.printf("%nshipped models: %s%nuser models:    %s%n", Zoo.shippedFolder(), Zoo.userFolder());
      out.flush();
      return 0;
    }
  }

  /** {@code fovea models validate MODEL}. */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Run the package's test inputs on each engine and compare with its test outputs.")
  static final class Validate implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
        description = "model name or path (default: ${DEFAULT-VALUE})", defaultValue = Zoo.DEFAULT_MODEL)
    String model;

    @Option(names = "--engine", description = "onnx, pytorch or tensorflow (default: every engine)")
    String engine;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto"
        + " (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() {
      ModelPackage p = Zoo.resolve(model);
      List<Validation.Result> rs = Validation.run(p, engine, device);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.validation(p, rs));
      } else {
        out.printf("model %s (%s)%n", p.name(), p.source());
        out.printf("%-12s %-30s %-14s %-8s %s%n", "ENGINE", "FORMAT", "MAX ABS DIFF", "SECONDS", "RESULT");
        for (Validation.Result r : rs) {
          out.printf(Locale.ROOT, "%-12s %-30s %-14.3g %-8.2f %s%n", r.engine(), r.format().key(),
              r.maxAbsDifference(), r.seconds(), r.passed() ? "pass"
                  : "FAIL" + (r.error() != null ? ": " + r.error()
                      : " (tolerance " + Validation.TOLERANCE + ")"));
        }
      }
      out.flush();
      return rs.stream().allMatch(Validation.Result::passed) ? 0 : 1;
    }
  }

  /** {@code fovea models convert-tf IN.onnx OUT}. */
  @Command(name = "convert-tf", mixinStandardHelpOptions = true,
      description = "Build a TensorFlow SavedModel with the same weights as an ONNX model.")
  static final class ConvertTf implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN.onnx")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT_DIR")
    Path out;

    @Override
    public Integer call() {
      OnnxToSavedModel.convert(in, out);
      spec.commandLine().getOut().println("wrote " + out);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  static List<EngineProvider> engines() {
    return Engines.all();
  }
}
