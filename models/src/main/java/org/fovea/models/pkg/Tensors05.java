package org.fovea.models.pkg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.TensorSpec;

/**
 * Reads the tensors of a format 0.5 description: {@code id}, {@code axes} as a list of maps with a
 * {@code type} (batch, channel, index, time, space), sizes given as a number, a {@code {min,
 * step}} map or a {@code {tensor_id, axis_id, offset}} reference, {@code halo} per output axis,
 * {@code test_tensor}, and processing steps named by {@code id}.
 */
final class Tensors05 {

  private static final int MAX_REFERENCE_DEPTH = 8;

  private Tensors05() {}

  /**
   * One axis as the description gives it.
   *
   * @param axis Fovea's axis
   * @param id the axis id
   * @param size the raw {@code size} value, or null
   * @param scale the physical pixel size (1 when absent)
   * @param halo the halo (0 when absent)
   * @param channelNames channel names, for a channel axis
   * @param field the axis's path, for messages
   */
  record AxisInfo(Axis axis, String id, Object size, double scale, long halo,
      List<String> channelNames, String field) {}

  /**
   * One tensor as the description gives it.
   *
   * @param id the tensor id
   * @param axes its axes
   * @param fovea the axes as Fovea names them
   * @param ids axis id to axis
   * @param map the tensor's fields
   * @param field the tensor's path
   */
  record Raw(String id, List<AxisInfo> axes, Axes fovea, Map<String, Axis> ids,
      Map<String, Object> map, String field) {}

  /**
   * What was read.
   *
   * @param tensors the tensors
   * @param tests their test tensor files, one per tensor, or empty when none gives one
   * @param raw the tensors as given, for references
   */
  record Result(List<TensorDescription> tensors, List<Path> tests, List<Raw> raw) {}

  /**
   * @param f the description
   * @param list the {@code inputs} list
   * @return the inputs
   */
  static Result inputs(RdfFile f, List<Object> list) {
    List<Raw> raws = raws(f, list, "inputs");
    List<TensorDescription> r = new ArrayList<>();
    for (Raw t : raws) {
      int n = t.axes.size();
      long[] min = new long[n];
      long[] step = new long[n];
      for (int i = 0; i < n; i++) {
        long[] ms = minStep(f, raws, t.axes.get(i), 0);
        min[i] = ms[0];
        step[i] = ms[1];
      }
      TensorSpec spec = new TensorSpec(t.id, t.fovea, min, step, new long[n], null, null, null);
      r.add(new TensorDescription(spec, RdfReader.steps(f, t.map.get("preprocessing"),
          t.field + ".preprocessing", t.fovea, t.ids), channelNames(t)));
    }
    return new Result(r, tests(f, raws), raws);
  }

  /**
   * @param f the description
   * @param list the {@code outputs} list
   * @param inputs the inputs as given
   * @return the outputs
   */
  static Result outputs(RdfFile f, List<Object> list, List<Raw> inputs) {
    List<Raw> raws = raws(f, list, "outputs");
    List<TensorDescription> r = new ArrayList<>();
    for (Raw t : raws) {
      r.add(new TensorDescription(outputSpec(f, t, inputs), RdfReader.steps(f,
          t.map.get("postprocessing"), t.field + ".postprocessing", t.fovea, t.ids),
          channelNames(t)));
    }
    return new Result(r, tests(f, raws), raws);
  }

  private static TensorSpec outputSpec(RdfFile f, Raw t, List<Raw> inputs) {
    int n = t.axes.size();
    long[] min = new long[n];
    long[] step = new long[n];
    long[] halo = new long[n];
    double[] scale = new double[n];
    long[] offset = new long[n];
    String reference = null;
    boolean parameterized = false;
    for (int i = 0; i < n; i++) {
      AxisInfo a = t.axes.get(i);
      halo[i] = a.halo;
      if (a.halo < 0) {
        throw f.bad(a.field + ".halo", "is negative");
      }
      if (a.axis == Axis.BATCH) {
        min[i] = 1;
        step[i] = batchStep(f, a);
        scale[i] = 1;
        continue;
      }
      if (a.axis == Axis.CHANNEL) {
        min[i] = channelCount(f, a);
        offset[i] = min[i];
        continue;
      }
      Object size = a.size;
      if (size == null) {
        throw f.missing(a.field + ".size");
      }
      if (!(size instanceof Map<?, ?>)) {
        min[i] = f.integer(size, a.field + ".size");
        offset[i] = min[i];
        continue;
      }
      Map<String, Object> s = f.map(size, a.field + ".size");
      if (s.get("tensor_id") != null) {
        String tid = f.text(s.get("tensor_id"), a.field + ".size.tensor_id");
        if (reference != null && !reference.equals(tid)) {
          throw f.bad(a.field + ".size.tensor_id", "refers to '" + tid + "' while another axis of"
              + " the same output refers to '" + reference + "', which Fovea cannot follow");
        }
        reference = tid;
        Raw in = find(f, inputs, tid, a.field + ".size.tensor_id", "an input");
        AxisInfo ra = axisOf(f, in, s, a);
        if (ra.axis != a.axis) {
          throw f.bad(a.field + ".size.axis_id", "makes axis '" + a.id + "' follow axis '" + ra.id
              + "' of '" + tid + "', but Fovea can only follow the axis of the same kind");
        }
        scale[i] = ra.scale / a.scale;
        offset[i] = s.get("offset") == null ? 0 : f.integer(s.get("offset"),
            a.field + ".size.offset");
      } else if (s.get("min") != null && s.get("step") != null) {
        parameterized = true;
        min[i] = f.integer(s.get("min"), a.field + ".size.min");
        step[i] = f.integer(s.get("step"), a.field + ".size.step");
      } else {
        throw f.bad(a.field + ".size", "is a data-dependent size (" + s + "), which Fovea does "
            + "not support: give a fixed size or a reference to an input axis");
      }
    }
    if (reference == null) {
      return new TensorSpec(t.id, t.fovea, min, step, halo, null, null, null);
    }
    if (parameterized) {
      throw f.bad(t.field + ".axes", "mixes sizes that follow an input with {min, step} sizes, "
          + "which Fovea cannot follow");
    }
    for (int i = 0; i < n; i++) {
      if (t.axes.get(i).axis != Axis.BATCH) {
        step[i] = 0;
      }
    }
    return new TensorSpec(t.id, t.fovea, min, step, halo, reference, scale, offset);
  }

  /**
   * The spec's batch axis (v0_5.py {@code BatchAxis.size: Optional[Literal[1]]}): any size when
   * absent, exactly 1 when given.
   */
  private static long batchStep(RdfFile f, AxisInfo a) {
    if (a.size == null) {
      return 1;
    }
    long n = f.integer(a.size, a.field + ".size");
    if (n != 1) {
      throw f.bad(a.field + ".size", "is " + n + ", but a batch axis is either free or fixed to 1");
    }
    return 0;
  }

  private static long[] minStep(RdfFile f, List<Raw> inputs, AxisInfo a, int depth) {
    if (a.axis == Axis.BATCH) {
      return new long[] {1, batchStep(f, a)};
    }
    if (a.axis == Axis.CHANNEL) {
      return new long[] {channelCount(f, a), 0};
    }
    if (a.size == null) {
      throw f.missing(a.field + ".size");
    }
    if (!(a.size instanceof Map<?, ?>)) {
      return new long[] {nonNegative(f, f.integer(a.size, a.field + ".size"), a.field + ".size"),
          0};
    }
    Map<String, Object> s = f.map(a.size, a.field + ".size");
    if (s.get("tensor_id") != null) {
      if (depth > MAX_REFERENCE_DEPTH) {
        throw f.bad(a.field + ".size", "is part of a circular chain of size references");
      }
      String tid = f.text(s.get("tensor_id"), a.field + ".size.tensor_id");
      AxisInfo ra = axisOf(f, find(f, inputs, tid, a.field + ".size.tensor_id", "an input"), s, a);
      long[] ms = minStep(f, inputs, ra, depth + 1);
      double ratio = ra.scale / a.scale;
      long off = s.get("offset") == null ? 0 : f.integer(s.get("offset"), a.field + ".size.offset");
      return new long[] {Math.max(0, Math.round(ms[0] * ratio) + off), Math.round(ms[1] * ratio)};
    }
    long min = f.integer(f.req(s, "min", a.field + ".size.min"), a.field + ".size.min");
    long step = f.integer(f.req(s, "step", a.field + ".size.step"), a.field + ".size.step");
    nonNegative(f, min, a.field + ".size.min");
    nonNegative(f, step, a.field + ".size.step");
    return new long[] {min, step};
  }

  private static long nonNegative(RdfFile f, long v, String field) {
    if (v < 0) {
      throw f.bad(field, "is negative (" + v + ")");
    }
    return v;
  }

  private static long channelCount(RdfFile f, AxisInfo a) {
    if (a.channelNames != null) {
      return a.channelNames.size();
    }
    if (a.size == null) {
      throw f.missing(a.field + ".channel_names");
    }
    return nonNegative(f, f.integer(a.size, a.field + ".size"), a.field + ".size");
  }

  private static Raw find(RdfFile f, List<Raw> tensors, String id, String field, String what) {
    for (Raw t : tensors) {
      if (t.id.equals(id)) {
        return t;
      }
    }
    throw f.bad(field, "names '" + id + "', which is not " + what + " (known: "
        + tensors.stream().map(Raw::id).toList() + ")");
  }

  private static AxisInfo axisOf(RdfFile f, Raw t, Map<String, Object> ref, AxisInfo from) {
    String aid = f.text(f.req(ref, "axis_id", from.field + ".size.axis_id"),
        from.field + ".size.axis_id");
    for (AxisInfo a : t.axes) {
      if (a.id.equals(aid)) {
        return a;
      }
    }
    throw f.bad(from.field + ".size.axis_id", "names axis '" + aid + "', which tensor '" + t.id
        + "' does not have (its axes: " + t.axes.stream().map(AxisInfo::id).toList() + ")");
  }

  private static List<String> channelNames(Raw t) {
    for (AxisInfo a : t.axes) {
      if (a.channelNames != null) {
        return a.channelNames;
      }
    }
    return List.of();
  }

  private static List<Path> tests(RdfFile f, List<Raw> raws) {
    if (raws.stream().allMatch(t -> t.map.get("test_tensor") == null)) {
      return List.of();
    }
    List<Path> r = new ArrayList<>();
    for (Raw t : raws) {
      String field = t.field + ".test_tensor";
      Object tt = t.map.get("test_tensor");
      if (tt == null) {
        throw f.missing(field);
      }
      r.add(RdfReader.fileWithSha(f, tt, field, "test tensor"));
    }
    return r;
  }

  /** The fields of v0_5.py's InputTensorDescr (with TensorDescrBase's). */
  private static final java.util.Set<String> INPUT_FIELDS = java.util.Set.of("id", "description",
      "axes", "test_tensor", "sample_tensor", "data", "optional", "preprocessing");

  /** The fields of v0_5.py's OutputTensorDescr (with TensorDescrBase's). */
  private static final java.util.Set<String> OUTPUT_FIELDS = java.util.Set.of("id",
      "description", "axes", "test_tensor", "sample_tensor", "data", "postprocessing");

  private static List<Raw> raws(RdfFile f, List<Object> list, String what) {
    List<Raw> r = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String field = what + "[" + i + "]";
      Map<String, Object> m = f.map(list.get(i), field);
      // the spec's defaults (v0_5.py: InputTensorDescr.id = "input", OutputTensorDescr.id =
      // "output"); two tensors left without an id therefore repeat it, as the spec refuses too
      String id = m.get("id") == null ? (what.equals("inputs") ? "input" : "output")
          : f.text(m.get("id"), field + ".id");
      List<Object> axes = f.list(f.req(m, "axes", field + ".axes"), field + ".axes");
      if (axes.isEmpty()) {
        throw f.bad(field + ".axes", "is empty");
      }
      f.onlyKnown(m, field, what.equals("inputs") ? INPUT_FIELDS : OUTPUT_FIELDS);
      List<AxisInfo> infos = new ArrayList<>();
      Map<String, Axis> ids = new LinkedHashMap<>();
      List<Axis> fovea = new ArrayList<>();
      for (int j = 0; j < axes.size(); j++) {
        AxisInfo a = axis(f, axes.get(j), field + ".axes[" + j + "]");
        if (ids.containsKey(a.id) || fovea.contains(a.axis)) {
          throw f.bad(a.field, "repeats axis '" + a.id + "' (" + a.axis.name().toLowerCase()
              + "); each kind of axis may appear once");
        }
        ids.put(a.id, a.axis);
        fovea.add(a.axis);
        infos.add(a);
      }
      for (Raw other : r) {
        if (other.id.equals(id)) {
          throw f.bad(field + ".id", "repeats the tensor id '" + id + "'");
        }
      }
      r.add(new Raw(id, infos, new Axes(fovea), ids, m, field));
    }
    return r;
  }

  private static AxisInfo axis(RdfFile f, Object raw, String field) {
    Map<String, Object> m = f.map(raw, field);
    String type = f.text(f.req(m, "type", field + ".type"), field + ".type");
    Axis axis;
    String id = m.get("id") == null ? null : f.text(m.get("id"), field + ".id");
    switch (type) {
      case "batch" -> axis = Axis.BATCH;
      case "channel" -> axis = Axis.CHANNEL;
      case "index" -> axis = Axis.INDEX;
      case "time" -> axis = Axis.TIME;
      case "space" -> {
        String sid = id == null ? "x" : id;
        axis = switch (sid) {
          case "x" -> Axis.X;
          case "y" -> Axis.Y;
          case "z" -> Axis.Z;
          default -> throw f.bad(field + ".id", "is '" + sid + "', but Fovea knows only the space "
              + "axes x, y and z");
        };
      }
      default -> throw f.bad(field + ".type", "is '" + type + "', which is not an axis type "
          + "(batch, channel, index, time, space)");
    }
    if (id == null) {
      id = switch (axis) {
        case BATCH -> "batch";
        case CHANNEL -> "channel";
        case INDEX -> "index";
        case TIME -> "time";
        default -> String.valueOf(axis.letter());
      };
    }
    List<String> names = null;
    if (axis == Axis.CHANNEL && m.get("channel_names") != null) {
      names = new ArrayList<>();
      for (Object o : f.list(m.get("channel_names"), field + ".channel_names")) {
        names.add(f.text(o, field + ".channel_names"));
      }
    }
    double scale = m.get("scale") == null ? 1.0 : f.number(m.get("scale"), field + ".scale");
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw f.bad(field + ".scale", "is " + scale + " but must be a positive number");
    }
    long halo = m.get("halo") == null ? 0 : f.integer(m.get("halo"), field + ".halo");
    return new AxisInfo(axis, id, m.get("size"), scale, halo, names, field);
  }
}
