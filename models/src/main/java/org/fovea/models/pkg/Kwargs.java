package org.fovea.models.pkg;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;

/**
 * Typed access to the {@code kwargs} of one processing step, with messages that say where the
 * step comes from.
 */
final class Kwargs {

  private final Map<String, Object> map;
  private final String where;
  private final Axes axes;
  private final Map<String, Axis> ids;

  /**
   * @param map the kwargs, or null for none
   * @param where the step and its origin, such as {@code rdf.yaml at X (inputs[0].preprocessing[1],
   *     scale_range)}, starting every message
   * @param axes the axes of the tensor the step applies to
   * @param ids extra axis ids (format 0.5) besides the default names and letters, or null
   */
  Kwargs(Map<String, Object> map, String where, Axes axes, Map<String, Axis> ids) {
    this.map = map == null ? Map.of() : map;
    this.where = where;
    this.axes = axes;
    this.ids = new LinkedHashMap<>(defaultIds());
    if (ids != null) {
      this.ids.putAll(ids);
    }
  }

  /** @return the default axis names of format 0.5 and the axis letters of format 0.4 */
  static Map<String, Axis> defaultIds() {
    Map<String, Axis> m = new LinkedHashMap<>();
    m.put("batch", Axis.BATCH);
    m.put("channel", Axis.CHANNEL);
    m.put("time", Axis.TIME);
    m.put("index", Axis.INDEX);
    for (Axis a : Axis.values()) {
      m.put(String.valueOf(a.letter()), a);
    }
    return m;
  }

  /** @return where the step comes from */
  String where() {
    return where;
  }

  /** @return the axes of the tensor */
  Axes axes() {
    return axes;
  }

  /**
   * @param key a kwarg name
   * @return whether it is given (and not null)
   */
  boolean has(String key) {
    return map.get(key) != null;
  }

  /**
   * @param key a kwarg name
   * @param problem what is wrong with its value
   * @return an exception whose message names the step and the kwarg
   */
  FoveaException bad(String key, String problem) {
    return new FoveaException(where + ": kwarg '" + key + "' " + problem
        + "; fix the kwargs of this step");
  }

  /**
   * @param key a kwarg name
   * @param def the default
   * @return the kwarg as text
   */
  String str(String key, String def) {
    Object v = map.get(key);
    return v == null ? def : String.valueOf(v);
  }

  /**
   * @param key a kwarg name
   * @param def the default
   * @return the kwarg as a number
   */
  double num(String key, double def) {
    Object v = map.get(key);
    return v == null ? def : toDouble(key, v);
  }

  /**
   * @param key a kwarg name
   * @return the kwarg as one or more numbers, or null when absent
   */
  double[] nums(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        throw bad(key, "is an empty list");
      }
      double[] r = new double[l.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = toDouble(key, l.get(i));
      }
      return r;
    }
    return new double[] {toDouble(key, v)};
  }

  private double toDouble(String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      // YAML 1.1 reads 1e-6 (no dot) as text
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw bad(key, "must be a number, got '" + v + "'");
  }

  /**
   * @param key a kwarg name: format 0.4 letters such as {@code "xy"}, or a format 0.5 list of axis
   *     ids such as {@code [x, y]}
   * @return the axes named, only those the tensor has, or null when absent
   */
  Set<Axis> axisSet(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    List<Object> names = new ArrayList<>();
    if (v instanceof List<?> l) {
      names.addAll(l);
    } else {
      String s = String.valueOf(v);
      if (ids.containsKey(s)) {
        names.add(s);
      } else {
        for (char ch : s.toCharArray()) {
          names.add(String.valueOf(ch));
        }
      }
    }
    Set<Axis> r = EnumSet.noneOf(Axis.class);
    for (Object n : names) {
      Axis a = resolve(key, n);
      if (axes == null || axes.has(a)) {
        r.add(a);
      }
    }
    return r;
  }

  /**
   * @param key a kwarg name holding one axis id or letter
   * @param def the default
   * @return the axis
   */
  Axis axis(String key, Axis def) {
    Object v = map.get(key);
    return v == null ? def : resolve(key, v);
  }

  private Axis resolve(String key, Object name) {
    Axis a = ids.get(String.valueOf(name));
    if (a == null) {
      throw bad(key, "names axis '" + name + "', which is not one of " + ids.keySet());
    }
    return a;
  }

  /**
   * The axis a per-index list runs along: {@code axis} (format 0.5) when given, else the single
   * non-batch axis of the tensor not listed in {@code axes} (format 0.4), else the channel axis.
   *
   * @return the axis
   */
  Axis listAxis() {
    if (has("axis")) {
      return axis("axis", Axis.CHANNEL);
    }
    Set<Axis> joint = axisSet("axes");
    if (joint != null && axes != null) {
      List<Axis> rest = axes.list().stream()
          .filter(a -> a != Axis.BATCH && !joint.contains(a)).toList();
      if (rest.size() == 1) {
        return rest.get(0);
      }
    }
    return Axis.CHANNEL;
  }

  /**
   * @param key a kwarg with one value or a list of values
   * @param def the default when absent, or null to require it
   * @return the parameter
   */
  PerAxis perAxis(String key, Double def) {
    double[] v = nums(key);
    if (v == null) {
      if (def == null) {
        throw new FoveaException(where + " lacks the required kwarg '" + key
            + "'; add it to the kwargs of this step");
      }
      v = new double[] {def};
    }
    return new PerAxis(v, listAxis(), where + ", kwarg '" + key + "',");
  }
}
