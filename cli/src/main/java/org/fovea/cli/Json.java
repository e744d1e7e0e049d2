package org.fovea.cli;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fovea.models.Validation;
import org.fovea.models.pkg.ModelPackage;

/** JSON forms of command results. */
final class Json {

  private Json() {}

  static String validation(ModelPackage p, List<Validation.Result> rs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", p.name());
    m.put("source", p.source().toString());
    m.put("tolerance", Validation.TOLERANCE);
    List<Map<String, Object>> l = new ArrayList<>();
    for (Validation.Result r : rs) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("engine", r.engine());
      e.put("format", r.format().key());
      e.put("max_abs_difference", Double.isNaN(r.maxAbsDifference()) ? null : r.maxAbsDifference());
      e.put("seconds", r.seconds());
      e.put("passed", r.passed());
      e.put("error", r.error());
      l.add(e);
    }
    m.put("results", l);
    m.put("passed", rs.stream().allMatch(Validation.Result::passed));
    return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(m);
  }
}
