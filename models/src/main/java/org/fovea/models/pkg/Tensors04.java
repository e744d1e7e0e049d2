package org.fovea.models.pkg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.TensorSpec;

/**
 * Reads the tensors of a format 0.4 description: {@code axes} as letters, {@code shape} as a list,
 * a {@code {min, step}} map or (outputs) a {@code {reference_tensor, scale, offset}} map with
 * {@code size = input * scale + 2 * offset}, {@code halo} per axis, and processing steps named by
 * {@code name}.
 */
final class Tensors04 {

  private Tensors04() {}

  /**
   * @param f the description
   * @param raw the {@code inputs} list
   * @return the inputs
   */
  /** The fields of v0_4.py's InputTensorDescr (with TensorDescrBase's). */
  private static final java.util.Set<String> INPUT_FIELDS = java.util.Set.of("name",
      "description", "axes", "data_range", "data_type", "shape", "preprocessing");

  /** The fields of v0_4.py's OutputTensorDescr (with TensorDescrBase's). */
  private static final java.util.Set<String> OUTPUT_FIELDS = java.util.Set.of("name",
      "description", "axes", "data_range", "data_type", "shape", "halo", "postprocessing");

  static List<TensorDescription> inputs(RdfFile f, List<Object> raw) {
    List<TensorDescription> r = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String field = "inputs[" + i + "]";
      Map<String, Object> m = f.map(raw.get(i), field);
      String name = f.text(f.req(m, "name", field + ".name"), field + ".name");
      Axes axes = axes(f, m, field);
      int n = axes.size();
      Object shape = f.req(m, "shape", field + ".shape");
      long[] min;
      long[] step;
      if (shape instanceof List<?>) {
        min = f.integers(shape, field + ".shape", n);
        step = new long[n];
      } else {
        Map<String, Object> s = f.map(shape, field + ".shape");
        min = f.integers(f.req(s, "min", field + ".shape.min"), field + ".shape.min", n);
        step = f.integers(f.req(s, "step", field + ".shape.step"), field + ".shape.step", n);
      }
      checkNonNegative(f, field + ".shape", min, step);
      f.onlyKnown(m, field, INPUT_FIELDS);
      TensorSpec spec = new TensorSpec(name, axes, min, step, new long[n], null, null, null);
      r.add(new TensorDescription(spec,
          steps(f, m.get("preprocessing"), field + ".preprocessing", axes), List.of()));
    }
    return r;
  }

  /**
   * @param f the description
   * @param raw the {@code outputs} list
   * @param inputs the inputs already read, which outputs may refer to
   * @return the outputs
   */
  static List<TensorDescription> outputs(RdfFile f, List<Object> raw,
      List<TensorDescription> inputs) {
    List<TensorDescription> r = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String field = "outputs[" + i + "]";
      Map<String, Object> m = f.map(raw.get(i), field);
      String name = f.text(f.req(m, "name", field + ".name"), field + ".name");
      Axes axes = axes(f, m, field);
      int n = axes.size();
      long[] halo = m.get("halo") == null ? new long[n]
          : f.integers(m.get("halo"), field + ".halo", n);
      Object shape = f.req(m, "shape", field + ".shape");
      TensorSpec spec;
      if (shape instanceof List<?>) {
        long[] min = f.integers(shape, field + ".shape", n);
        checkNonNegative(f, field + ".shape", min, new long[n]);
        spec = new TensorSpec(name, axes, min, new long[n], nonNegative(f, field, halo), null,
            null, null);
      } else {
        spec = implicit(f, f.map(shape, field + ".shape"), field, name, axes, halo, inputs);
      }
      f.onlyKnown(m, field, OUTPUT_FIELDS);
      r.add(new TensorDescription(spec,
          steps(f, m.get("postprocessing"), field + ".postprocessing", axes), List.of()));
    }
    return r;
  }

  private static TensorSpec implicit(RdfFile f, Map<String, Object> s, String field, String name,
      Axes axes, long[] halo, List<TensorDescription> inputs) {
    int n = axes.size();
    String ref = f.text(f.req(s, "reference_tensor", field + ".shape.reference_tensor"),
        field + ".shape.reference_tensor");
    if (inputs.stream().noneMatch(d -> d.name().equals(ref))) {
      throw f.bad(field + ".shape.reference_tensor", "names '" + ref + "', which is not an input"
          + " (inputs: " + inputs.stream().map(TensorDescription::name).toList() + ")");
    }
    List<Object> scaleRaw = f.list(f.req(s, "scale", field + ".shape.scale"), field + ".shape.scale");
    List<Object> offRaw = f.list(f.req(s, "offset", field + ".shape.offset"),
        field + ".shape.offset");
    if (scaleRaw.size() != n) {
      throw f.bad(field + ".shape.scale", "has " + scaleRaw.size() + " entries for " + n + " axes");
    }
    if (offRaw.size() != n) {
      throw f.bad(field + ".shape.offset", "has " + offRaw.size() + " entries for " + n + " axes");
    }
    double[] scale = new double[n];
    long[] offset = new long[n];
    long[] min = new long[n];
    for (int i = 0; i < n; i++) {
      String of = field + ".shape.offset[" + i + "]";
      double twice = 2 * f.number(offRaw.get(i), of);
      if (twice != Math.rint(twice)) {
        throw f.bad(of, "is " + twice / 2 + " but must be a multiple of 0.5 (the size grows by "
            + "twice the offset)");
      }
      offset[i] = (long) twice;
      if (scaleRaw.get(i) == null) {
        // a new axis: its size is 2 * offset
        scale[i] = 0;
        if (offset[i] < 0) {
          throw f.bad(of, "is negative on a new axis (scale null), which gives no size");
        }
        min[i] = offset[i];
      } else {
        scale[i] = f.number(scaleRaw.get(i), field + ".shape.scale[" + i + "]");
        if (!(scale[i] >= 0) || Double.isInfinite(scale[i])) {
          throw f.bad(field + ".shape.scale[" + i + "]", "is " + scale[i]
              + " but must be a non-negative number");
        }
      }
    }
    return new TensorSpec(name, axes, min, new long[n], nonNegative(f, field, halo), ref, scale,
        offset);
  }

  private static long[] nonNegative(RdfFile f, String field, long[] halo) {
    for (long h : halo) {
      if (h < 0) {
        throw f.bad(field + ".halo", "has a negative value");
      }
    }
    return halo;
  }

  private static void checkNonNegative(RdfFile f, String field, long[] min, long[] step) {
    for (int i = 0; i < min.length; i++) {
      if (min[i] < 0 || step[i] < 0) {
        throw f.bad(field, "has a negative size or step on axis " + i);
      }
    }
  }

  /**
   * @param f the description
   * @param m a tensor's map
   * @param field the tensor's path
   * @return its axes
   */
  static Axes axes(RdfFile f, Map<String, Object> m, String field) {
    String letters = f.text(f.req(m, "axes", field + ".axes"), field + ".axes");
    List<Axis> list = new ArrayList<>();
    for (char ch : letters.toCharArray()) {
      Axis a;
      try {
        a = Axis.of(ch);
      } catch (IllegalArgumentException e) {
        throw f.bad(field + ".axes", "('" + letters + "') uses the unknown axis letter '" + ch
            + "' (known: b, c, t, z, y, x, i)");
      }
      if (list.contains(a)) {
        throw f.bad(field + ".axes", "('" + letters + "') names axis '" + ch + "' twice");
      }
      list.add(a);
    }
    if (list.isEmpty()) {
      throw f.bad(field + ".axes", "is empty");
    }
    return new Axes(list);
  }

  private static List<ProcessingStep> steps(RdfFile f, Object raw, String field, Axes axes) {
    return RdfReader.steps(f, raw, field, axes, null);
  }
}
