package org.fovea.io.field;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fovea.ops.rf.AlignmentWarning;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.LayerField;
import org.fovea.ops.rf.Misalignment;

/**
 * The receptive field as JSON: for the network's output {@code rf}, {@code stride}, {@code
 * padding} (arrays in the order of the model's spatial axes), {@code halo} ({@code before}, {@code
 * after}), {@code params}, {@code flops}, {@code misalignment_px} and {@code layers} (the same per
 * layer, with its name and op type); then the paths that disagree, the alignment warnings, the
 * unsupported layers and an empirical measurement when one was made.
 */
public final class FieldJson {

  private FieldJson() {}

  /**
   * @param a an analysis
   * @return pretty-printed JSON
   */
  public static String of(FieldAnalysis a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", a.pkg().name());
    m.put("source", a.graph() == null ? a.pkg().source().toString() : a.graph().file().toString());
    m.put("format", a.graph() == null ? null : a.graph().format().key());
    m.put("note", a.graph() == null ? null : a.graph().note());
    m.put("axes", a.axes().stream().map(x -> String.valueOf(x.letter())).toList());
    m.put("input_size", a.inputSize());
    FieldReport r = a.report();
    LayerField o = r == null ? null : r.output();
    m.put("output", o == null ? null : o.name());
    m.put("rf", o == null ? null : per(o, AxisField::rf));
    m.put("stride", o == null ? null : per(o, AxisField::stride));
    m.put("padding", o == null ? null : per(o, AxisField::padding));
    m.put("centre", o == null ? null : per(o, AxisField::centre));
    m.put("halo", o != null ? halo(o) : pair("before", a.empirical().before(), "after",
        a.empirical().after()));
    m.put("params", r == null ? null : r.params());
    m.put("flops", r == null ? null : num(r.flops()));
    m.put("misalignment_px", r == null ? null : Arrays.stream(r.misalignmentPx())
        .mapToObj(FieldJson::num).toList());
    m.put("aligned_input_sizes", r == null ? null : r.alignedSizes());
    m.put("misaligned", r == null ? List.of() : r.misaligned().stream().map(x -> misaligned(a, x))
        .toList());
    m.put("warnings", r == null ? List.of() : r.warnings().stream().map(x -> warning(a, x))
        .toList());
    m.put("unsupported", a.unsupported());
    Map<String, Object> e = null;
    if (a.empirical() != null) {
      e = pair("before", a.empirical().before(), "after", a.empirical().after());
      e.put("engine", a.engine());
      e.put("input_size", a.empirical().inputSize());
      e.put("clipped", a.empirical().clipped());
    }
    m.put("empirical", e);
    List<Map<String, Object>> layers = new ArrayList<>();
    for (LayerField l : r == null ? List.<LayerField>of() : r.layers()) {
      e = new LinkedHashMap<>();
      e.put("name", l.name());
      e.put("op", l.opType());
      e.put("kind", l.kind().name().toLowerCase());
      e.put("size", l.axes().stream().map(AxisField::size).toList());
      e.put("rf", per(l, AxisField::rf));
      e.put("stride", per(l, AxisField::stride));
      e.put("padding", per(l, AxisField::padding));
      e.put("centre", per(l, AxisField::centre));
      e.put("halo", halo(l));
      e.put("period", l.axes().stream().map(AxisField::period).toList());
      e.put("shift", per(l, AxisField::shift));
      e.put("params", l.params());
      e.put("flops", num(l.flops()));
      layers.add(e);
    }
    m.put("layers", layers);
    return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(m);
  }

  private static List<Number> per(LayerField l, Function<AxisField, Double> f) {
    return l.axes().stream().map(f).map(FieldJson::num).toList();
  }

  private static Map<String, Object> halo(LayerField l) {
    return pair("before", l.axes().stream().map(AxisField::reachBefore).toList(),
        "after", l.axes().stream().map(AxisField::reachAfter).toList());
  }

  private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static Map<String, Object> misaligned(FieldAnalysis a, Misalignment x) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("layer", x.layer());
    e.put("axis", String.valueOf(a.axes().get(x.axis()).letter()));
    e.put("inputs", x.inputs());
    e.put("strides", x.strides().stream().map(FieldJson::num).toList());
    e.put("centres", x.centres().stream().map(FieldJson::num).toList());
    return e;
  }

  private static Map<String, Object> warning(FieldAnalysis a, AlignmentWarning w) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("layer", w.layer());
    e.put("op", w.opType());
    e.put("axis", String.valueOf(a.axes().get(w.axis()).letter()));
    e.put("input_size", w.inputSize());
    e.put("shift", num(w.shift()));
    e.put("shift_px", num(w.shiftPx()));
    return e;
  }

  /** @return a long for an integral value, so that JSON shows 212 rather than 212.0 */
  static Number num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
  }
}
