package org.fovea.models.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operator of an ONNX graph.
 *
 * @param name the node's name (may be empty)
 * @param opType the operator, such as {@code Conv}
 * @param domain the operator set domain, empty for the default ONNX domain
 * @param inputs the names of the values it reads; an empty name marks an omitted optional input
 * @param outputs the names of the values it writes
 * @param attributes its attributes by name, in file order
 * @since 0.1.0
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs,
    List<String> outputs, Map<String, OnnxAttribute> attributes) {

  /** Makes the lists and the map unmodifiable copies. */
  public OnnxNode {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /**
   * @param key an attribute name
   * @return the attribute, or null when the node does not set it
   */
  public OnnxAttribute attribute(String key) {
    return attributes.get(key);
  }

  /**
   * @param key an attribute name
   * @param fallback the value when the node does not set it
   * @return the integer attribute's value
   * @throws IllegalStateException when the attribute is set but is not an integer
   */
  public long intAttribute(String key, long fallback) {
    OnnxAttribute a = attributes.get(key);
    return a == null ? fallback : a.i();
  }

  /**
   * @param key an attribute name
   * @param fallback the value when the node does not set it
   * @return the float attribute's value
   * @throws IllegalStateException when the attribute is set but is not a float
   */
  public float floatAttribute(String key, float fallback) {
    OnnxAttribute a = attributes.get(key);
    return a == null ? fallback : a.f();
  }

  /**
   * @param key an attribute name
   * @param fallback the value when the node does not set it (may be null)
   * @return the integer list attribute's values
   * @throws IllegalStateException when the attribute is set but is not an integer list
   */
  public long[] intsAttribute(String key, long[] fallback) {
    OnnxAttribute a = attributes.get(key);
    return a == null ? fallback : a.ints();
  }

  /**
   * @param key an attribute name
   * @param fallback the value when the node does not set it (may be null)
   * @return the string attribute's value
   * @throws IllegalStateException when the attribute is set but is not a string
   */
  public String stringAttribute(String key, String fallback) {
    OnnxAttribute a = attributes.get(key);
    return a == null ? fallback : a.s();
  }

  /**
   * @param i input position
   * @return the input's name, or empty when the node has fewer inputs or omits this one
   */
  public String input(int i) {
    return i < inputs.size() ? inputs.get(i) : "";
  }

  /** @return a short description for messages: the op type and the node's name */
  public String describe() {
    return opType + (name.isEmpty() ? "" : " node '" + name + "'");
  }
}
