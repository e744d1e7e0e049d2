package org.fovea.io.field;

import java.util.Arrays;
import java.util.List;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.models.graph.ModelGraph;
import org.fovea.models.graph.ModelGraphs;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.rf.EmpiricalReach;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.ReceptiveFields;
import org.fovea.ops.rf.UnsupportedLayers;

/**
 * The receptive field of a model as the command line reports it: the analysis of its layer graph,
 * or, when the graph has layers whose geometry is unknown, the reach measured on an engine.
 *
 * @param pkg the model package
 * @param graph the layer graph, or null when it could not be read
 * @param report the analysis, or null when the graph could not be read
 * @param axes the spatial axes, in the model's order
 * @param inputSize the analysed input size per spatial axis
 * @param unsupported the layers whose geometry is unknown, as {@code name (op)}; empty normally
 * @param empirical the measured reach, or null when not measured
 * @param engine the engine that measured it, or null
 * @since 0.1.0
 */
public record FieldAnalysis(ModelPackage pkg, ModelGraph graph, FieldReport report,
    List<Axis> axes, long[] inputSize, List<String> unsupported, EmpiricalReach.Reach empirical,
    String engine) {

  /** The input size when none is given and the file fixes none, rounded to the model's step. */
  public static final long DEFAULT_SIZE = 256;

  /** Copies the lists. */
  public FieldAnalysis {
    axes = List.copyOf(axes);
    inputSize = inputSize.clone();
    unsupported = List.copyOf(unsupported);
  }

  @Override
  public long[] inputSize() {
    return inputSize.clone();
  }

  /**
   * Analyses a model; falls back to measuring its reach on an engine when its graph has unknown
   * layers.
   *
   * @param model a model name or path
   * @param format the weights whose graph to read, or null for the first of ONNX, SavedModel,
   *     TorchScript
   * @param size the input size per spatial axis, or null for the default
   * @param measure also measure the reach on an engine
   * @param engine the engine to measure on, or null for the preferred one
   * @param device the device to measure on
   * @return the analysis
   * @throws FoveaException when neither the graph nor the engine can tell the receptive field
   */
  public static FieldAnalysis of(String model, WeightFormat format, long[] size, boolean measure,
      String engine, String device) {
    ModelPackage pkg = Zoo.resolve(model);
    ModelGraph g;
    try {
      g = ModelGraphs.of(pkg, format);
    } catch (UnsupportedLayers u) {
      return fallback(pkg, u, engine, device);
    }
    long[] s = size != null ? size : defaultSize(pkg, g);
    if (s.length != g.axes().size()) {
      throw new FoveaException("--input-size " + Arrays.toString(s) + " gives " + s.length
          + " sizes but model '" + pkg.name() + "' has " + g.axes().size() + " spatial axes ("
          + g.axes() + "): give one size per axis, such as " + String.join(",",
              java.util.Collections.nCopies(g.axes().size(), "256")));
    }
    FieldReport r = ReceptiveFields.analyze(g.graph(), s);
    EmpiricalReach.Reach e = null;
    String used = null;
    if (measure) {
      try (Model m = Model.load(pkg, engine, device)) {
        e = EmpiricalReach.measure(m.network());
        used = m.network().engine();
      }
    }
    return new FieldAnalysis(pkg, g, r, g.axes(), s, List.of(), e, used);
  }

  private static long[] defaultSize(ModelPackage pkg, ModelGraph g) {
    long[] s = g.sizeOr(-1);
    TensorSpec in = pkg.inputs().isEmpty() ? null : pkg.inputs().get(0).spec();
    for (int a = 0; a < s.length; a++) {
      int i = in == null ? -1 : in.axes().indexOf(g.axes().get(a));
      s[a] = s[a] > 0 ? s[a] : i >= 0 ? in.atLeast(i, DEFAULT_SIZE) : DEFAULT_SIZE;
    }
    return s;
  }

  private static FieldAnalysis fallback(ModelPackage pkg, UnsupportedLayers u, String engine,
      String device) {
    try (Model m = Model.load(pkg, engine, device)) {
      EmpiricalReach.Reach e = EmpiricalReach.measure(m.network());
      return new FieldAnalysis(pkg, null, null, e.axes(), e.inputSize(), u.layers(), e,
          m.network().engine());
    } catch (FoveaException f) {
      throw new FoveaException(u.getMessage().replaceFirst(": measure the receptive field"
          + " empirically instead$", "") + ", and measuring it on an engine failed too ("
          + f.getMessage().replaceFirst("\\.$", "") + ")", f);
    }
  }
}
