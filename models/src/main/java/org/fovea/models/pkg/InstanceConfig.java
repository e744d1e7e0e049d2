package org.fovea.models.pkg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.fovea.ops.net.FoveaException;

/**
 * How a model's output becomes objects, from {@code config: fovea: instances:} in its
 * description, for example {@code instances: {method: star, rays: 32}}: output channel 0 is the
 * object probability and channels 1..32 the ray distances (see {@code
 * org.fovea.ops.instances.star.Stars}).
 *
 * @param method the instance method the outputs are made for, such as {@code star}
 * @param rays number of rays for {@code star}, otherwise 0
 * @param distanceUnit pixels per unit of the ray-distance outputs ({@code distance_unit}, default
 *     1)
 * @param probThreshold the model's own probability threshold ({@code prob_threshold}, chosen by
 *     its authors on data of its domain), NaN when it names none
 * @param nmsThreshold the model's own NMS threshold ({@code nms_threshold}), NaN when none
 * @since 0.1.0
 */
public record InstanceConfig(String method, int rays, double distanceUnit, double probThreshold,
    double nmsThreshold) {

  /**
   * @param pkg a model package
   * @return its instance configuration, or null when the description has none (bare models have
   *     none)
   * @throws FoveaException when the entry is malformed
   */
  public static InstanceConfig of(ModelPackage pkg) {
    Path rdf = pkg.source().getFileName().toString().toLowerCase(Locale.ROOT).matches(
        ".*\\.ya?ml") ? pkg.source() : Layout.find(pkg.root(), Layout::isRdf);
    if (pkg.formatVersion().isEmpty() || rdf == null || !Files.isRegularFile(rdf)) {
      return null;
    }
    Object inst = dig(SafeYaml.load(rdf), "config", "fovea", "instances");
    if (inst == null) {
      return null;
    }
    if (!(inst instanceof Map<?, ?> m) || !(m.get("method") instanceof String method)) {
      throw new FoveaException(rdf + ": config.fovea.instances must be a mapping with a 'method'"
          + " such as {method: star, rays: 32}; fix the model description");
    }
    int rays = 0;
    double unit = 1;
    if (m.get("distance_unit") != null) {
      if (!(m.get("distance_unit") instanceof Number u) || !(u.doubleValue() > 0)) {
        throw new FoveaException(rdf + ": config.fovea.instances.distance_unit must be a positive"
            + " number of pixels; fix the model description");
      }
      unit = ((Number) m.get("distance_unit")).doubleValue();
    }
    double prob = threshold(m, "prob_threshold", rdf, false);
    double nms = threshold(m, "nms_threshold", rdf, true);
    if (method.equals("star")) {
      if (!(m.get("rays") instanceof Integer r) || r < 3) {
        throw new FoveaException(rdf + ": config.fovea.instances.rays must be an integer of at"
            + " least 3 for method star; fix the model description");
      }
      rays = r;
    }
    return new InstanceConfig(method, rays, unit, prob, nms);
  }

  /** A threshold in [0, 1) ({@code closed}: [0, 1]), NaN when absent. */
  private static double threshold(Map<?, ?> m, String key, Path rdf, boolean closed) {
    Object v = m.get(key);
    if (v == null) {
      return Double.NaN;
    }
    double d = v instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!(d >= 0 && (closed ? d <= 1 : d < 1))) {
      throw new FoveaException(rdf + ": config.fovea.instances." + key + " must be a number in [0, 1"
          + (closed ? "]" : ")") + ", got " + v + "; fix the model description");
    }
    return d;
  }

  private static Object dig(Object o, String... keys) {
    for (String k : keys) {
      if (!(o instanceof Map<?, ?> m)) {
        return null;
      }
      o = m.get(k);
    }
    return o;
  }
}
