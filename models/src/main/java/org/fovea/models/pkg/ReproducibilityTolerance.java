package org.fovea.models.pkg;

import java.util.List;

/**
 * How far an engine's output may be from a package's test output, as bioimage.io 0.5 writes it in
 * {@code config.bioimageio.reproducibility_tolerance}: an element is mismatched when {@code |out -
 * test| > absolute + relative * |test|}, and at most {@code mismatchedPerMillion} elements per
 * million may be.
 *
 * @param relative relative tolerance (spec default 1e-3)
 * @param absolute absolute tolerance (spec default 1e-3)
 * @param mismatchedPerMillion mismatched elements tolerated per million (spec default 100)
 * @param outputIds the outputs this applies to; empty for all
 * @param weightsFormats the weight format keys this applies to; empty for all
 * @since 0.2.0
 */
public record ReproducibilityTolerance(double relative, double absolute,
    double mismatchedPerMillion, List<String> outputIds, List<String> weightsFormats) {

  /** Copies the lists. */
  public ReproducibilityTolerance {
    outputIds = List.copyOf(outputIds);
    weightsFormats = List.copyOf(weightsFormats);
  }

  /**
   * Fovea's tolerance for a package that gives none: 1e-4 of the test output's range (1e-4 for a
   * constant output), absolute, on every element.
   *
   * @param range the test output's max minus min
   * @return the tolerance
   */
  public static ReproducibilityTolerance ofRange(double range) {
    // a constant test output (range 0) is held to 1e-4 absolute
    return new ReproducibilityTolerance(0, 1e-4 * (range > 0 ? range : 1), 0, List.of(),
        List.of());
  }

  /**
   * @param output the output's name
   * @param format the weight format
   * @return whether this entry applies to them
   */
  public boolean appliesTo(String output, WeightFormat format) {
    return (outputIds.isEmpty() || outputIds.contains(output))
        && (weightsFormats.isEmpty() || weightsFormats.contains(format.key()));
  }

  /**
   * Parses the entries of {@code config.bioimageio.reproducibility_tolerance}.
   *
   * @param f the description, for messages
   * @param config the {@code config} map, or null
   * @return the entries, in order; empty when there are none
   */
  static List<ReproducibilityTolerance> parse(RdfFile f, Object config) {
    if (!(config instanceof java.util.Map<?, ?> c)
        || !(c.get("bioimageio") instanceof java.util.Map<?, ?> b)
        || b.get("reproducibility_tolerance") == null) {
      return List.of();
    }
    String field = "config.bioimageio.reproducibility_tolerance";
    List<Object> raw = f.list(b.get("reproducibility_tolerance"), field);
    java.util.ArrayList<ReproducibilityTolerance> l = new java.util.ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String at = field + "[" + i + "]";
      java.util.Map<String, Object> m = f.map(raw.get(i), at);
      double rel = m.get("relative_tolerance") == null ? 1e-3
          : f.number(m.get("relative_tolerance"), at + ".relative_tolerance");
      double abs = m.get("absolute_tolerance") == null ? 1e-3
          : f.number(m.get("absolute_tolerance"), at + ".absolute_tolerance");
      double mis = m.get("mismatched_elements_per_million") == null ? 100
          : f.number(m.get("mismatched_elements_per_million"),
              at + ".mismatched_elements_per_million");
      if (rel < 0 || abs < 0 || mis < 0 || mis > 1e6) {
        throw f.bad(at, "has a negative tolerance or more than a million mismatches per million");
      }
      l.add(new ReproducibilityTolerance(rel, abs, mis, strings(f, m.get("output_ids"),
          at + ".output_ids"), strings(f, m.get("weights_formats"), at + ".weights_formats")));
    }
    return List.copyOf(l);
  }

  private static List<String> strings(RdfFile f, Object v, String field) {
    if (v == null) {
      return List.of();
    }
    return f.list(v, field).stream().map(o -> f.text(o, field)).toList();
  }
}
