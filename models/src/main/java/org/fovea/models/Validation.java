package org.fovea.models;

import java.util.ArrayList;
import java.util.List;
import org.fovea.models.engine.EngineProvider;
import org.fovea.models.engine.Engines;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * Runs a package's test inputs on an engine and compares with its test outputs.
 *
 * @since 0.1.0
 */
public final class Validation {

  /** The largest absolute difference that passes, as bioimage.io's 4 decimals. */
  public static final double TOLERANCE = 1e-4;

  /**
   * What one engine gave on one package's test tensors.
   *
   * @param engine engine name
   * @param format weight format run
   * @param maxAbsDifference largest absolute difference to the test output (NaN when it failed)
   * @param seconds load plus run time
   * @param error null, or why it could not run
   */
  public record Result(String engine, WeightFormat format, double maxAbsDifference,
      double seconds, String error) {
    /** @return whether it ran and stayed within {@link #TOLERANCE} */
    public boolean passed() {
      return error == null && maxAbsDifference <= TOLERANCE;
    }
  }

  private Validation() {}

  /**
   * @param pkg the package
   * @param engine an engine name, or null for every engine that runs one of its formats
   * @return one result per engine and format
   */
  public static List<Result> run(ModelPackage pkg, String engine) {
    return run(pkg, engine, "cpu");
  }

  /**
   * @param pkg the package
   * @param engine an engine name, or null for every engine that runs one of its formats
   * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}; a GPU an engine cannot
   *     use makes that engine's result a failure with the reason
   * @return one result per engine and format
   */
  public static List<Result> run(ModelPackage pkg, String engine, String device) {
    if (pkg.testInputs().isEmpty() || pkg.testOutputs().isEmpty()) {
      throw new FoveaException("model '" + pkg.name() + "' (" + pkg.source() + ") has no test"
          + " inputs and outputs to validate against: add test tensors to its rdf.yaml");
    }
    List<Result> results = new ArrayList<>();
    for (WeightFormat f : WeightFormat.values()) {
      if (!pkg.weights().containsKey(f)) {
        continue;
      }
      for (EngineProvider e : Engines.forFormat(f)) {
        if (engine == null || e.name().equals(Engines.canonical(engine))) {
          results.add(one(pkg, e, f, device));
        }
      }
    }
    if (results.isEmpty()) {
      Model.choose(pkg, engine); // throws the sentence that says why
    }
    return results;
  }

  private static Result one(ModelPackage pkg, EngineProvider e, WeightFormat f,
      String device) {
    long t0 = System.nanoTime();
    String why = e.unavailableReason();
    if (why != null) {
      return new Result(e.name(), f, Double.NaN, 0, why);
    }
    // validation is the check itself: it runs unguarded and leaves its verdict for later runs;
    // every test input goes in, every output is compared with its test output
    try (Model m = Model.load(pkg, e.name(), device, false)) {
      java.util.List<Tensor> expected = SelfCheck.testTensors(pkg, false);
      java.util.Map<String, Tensor> y = m.runAll(SelfCheck.testTensors(pkg, true));
      double d = 0;
      boolean shapes = true;
      int i = 0;
      for (Tensor t : y.values()) {
        Tensor want = expected.get(i++);
        shapes &= java.util.Arrays.equals(t.shape(), want.shape());
        d = Math.max(d, t.maxAbsDifference(want));
      }
      if (shapes) {
        SelfCheck.record(m, y, expected);
      }
      return new Result(e.name(), f, d, (System.nanoTime() - t0) / 1e9, null);
    } catch (FoveaException | IllegalArgumentException ex) {
      return new Result(e.name(), f, Double.NaN, (System.nanoTime() - t0) / 1e9, ex.getMessage());
    }
  }
}
