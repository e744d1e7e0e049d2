package org.fovea.models.onnx;

import java.util.Set;

/** Names for the values and nodes a graph rewrite adds, unused by the graph. */
final class GraphNames {

  private GraphNames() {}

  /**
   * @param names the names the graph uses; the new one is added
   * @param base the name wanted
   * @return {@code base}, or {@code base_2}, {@code base_3}, ... when taken
   */
  static String fresh(Set<String> names, String base) {
    String s = base;
    for (int i = 2; names.contains(s); i++) {
      s = base + "_" + i;
    }
    names.add(s);
    return s;
  }
}
