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
 * org.fovea.ops.instances.star.Stars}); or {@code {method: watershed, foreground_threshold: 0.5,
 * min_dynamic: 0.5}}: the watershed's own defaults for this model; or, for a package StarDist exported, from its {@code
 * config: stardist:} (the same layout, its rays from the output's channels, its thresholds).
 *
 * @param method the instance method the outputs are made for, such as {@code star}
 * @param rays number of rays for {@code star}, otherwise 0
 * @param distanceUnit pixels per unit of the ray-distance outputs ({@code distance_unit}, default
 *     1)
 * @param probThreshold the model's own probability threshold ({@code prob_threshold}, chosen by
 *     its authors on data of its domain), NaN when it names none
 * @param nmsThreshold the model's own NMS threshold ({@code nms_threshold}), NaN when none
 * @param foregroundThreshold the model's own watershed foreground threshold ({@code
 *     foreground_threshold}: interior + boundary probability), NaN when none
 * @param minDynamic the model's own seed dynamic for distance seeds ({@code min_dynamic}, in
 *     pixels), NaN when none
 * @since 0.1.0
 */
public record InstanceConfig(String method, int rays, double distanceUnit, double probThreshold,
    double nmsThreshold, double foregroundThreshold, double minDynamic) {

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
    Object yaml = SafeYaml.load(rdf);
    Object inst = dig(yaml, "config", "fovea", "instances");
    if (inst == null) {
      return stardist(pkg, rdf, dig(yaml, "config", "stardist"));
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
    double prob = threshold(m.get("prob_threshold"), "config.fovea.instances.prob_threshold",
        rdf, false);
    double nms = threshold(m.get("nms_threshold"), "config.fovea.instances.nms_threshold", rdf,
        true);
    if (method.equals("star")) {
      if (!(m.get("rays") instanceof Integer r) || r < 3) {
        throw new FoveaException(rdf + ": config.fovea.instances.rays must be an integer of at"
            + " least 3 for method star; fix the model description");
      }
      rays = r;
    }
    double fg = threshold(m.get("foreground_threshold"),
        "config.fovea.instances.foreground_threshold", rdf, false);
    double dyn = Double.NaN;
    if (m.get("min_dynamic") != null) {
      if (!(m.get("min_dynamic") instanceof Number d) || !(d.doubleValue() >= 0)
          || Double.isInfinite(d.doubleValue())) {
        throw new FoveaException(rdf + ": config.fovea.instances.min_dynamic must be a number of"
            + " pixels of at least 0, got " + m.get("min_dynamic") + "; fix the model description");
      }
      dyn = ((Number) m.get("min_dynamic")).doubleValue();
    }
    return new InstanceConfig(method, rays, unit, prob, nms, fg, dyn);
  }

  /**
   * A package exported by StarDist ({@code config: stardist: {stardist_version, thresholds: {prob,
   * nms}}}): its one output holds the object probability in channel 0 and the ray distances, in
   * input pixels, in the channels after it, as {@code method: star} reads them; the thresholds are
   * the ones StarDist optimized for the model.
   *
   * @return the configuration, or null when the description has no {@code config.stardist}
   */
  private static InstanceConfig stardist(ModelPackage pkg, Path rdf, Object sd) {
    if (!(sd instanceof Map<?, ?> m)) {
      return null;
    }
    if (pkg.outputs().size() != 1) {
      throw new FoveaException(rdf + ": config.stardist names a StarDist model, but it has "
          + pkg.outputs().size() + " outputs where StarDist exports one (probability and"
          + " distances together); fix the model description");
    }
    org.fovea.ops.net.TensorSpec out = pkg.outputs().get(0).spec();
    int c = out.axes().indexOf(org.fovea.ops.net.Axis.CHANNEL);
    long channels = c < 0 ? 1 : out.reference() != null && out.scale()[c] == 0 ? out.offset()[c]
        : out.min()[c];
    if (channels < 4 || c >= 0 && out.reference() == null && out.step()[c] != 0) {
      throw new FoveaException(rdf + ": config.stardist names a StarDist model, but its output"
          + " does not have a fixed number of at least 4 channels (probability and 3 or more ray"
          + " distances); fix the model description");
    }
    Map<?, ?> t = m.get("thresholds") instanceof Map<?, ?> tm ? tm : Map.of();
    return new InstanceConfig("star", (int) channels - 1, 1,
        threshold(t.get("prob"), "config.stardist.thresholds.prob", rdf, false),
        threshold(t.get("nms"), "config.stardist.thresholds.nms", rdf, true), Double.NaN,
        Double.NaN);
  }

  /** A threshold in [0, 1) ({@code closed}: [0, 1]), NaN when absent. */
  private static double threshold(Object v, String field, Path rdf, boolean closed) {
    if (v == null) {
      return Double.NaN;
    }
    double d = v instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!(d >= 0 && (closed ? d <= 1 : d < 1))) {
      throw new FoveaException(rdf + ": " + field + " must be a number in [0, 1"
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
