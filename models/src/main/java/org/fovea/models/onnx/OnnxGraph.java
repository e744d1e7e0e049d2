package org.fovea.models.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph: its nodes in file (topological) order, its constant initializers, and its
 * inputs and outputs.
 *
 * @since 0.1.0
 */
public final class OnnxGraph {

  private final String name;
  private final List<OnnxNode> nodes;
  private final Map<String, OnnxTensor> initializers;
  private final List<OnnxValueInfo> inputs;
  private final List<OnnxValueInfo> outputs;
  private final List<OnnxValueInfo> valueInfo;
  private final Map<String, OnnxNode> producers = new HashMap<>();
  private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

  OnnxGraph(String name, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers,
      List<OnnxValueInfo> declaredInputs, List<OnnxValueInfo> outputs,
      List<OnnxValueInfo> valueInfo) {
    this.name = name;
    this.nodes = List.copyOf(nodes);
    this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
    this.inputs = declaredInputs.stream().filter(v -> !initializers.containsKey(v.name())).toList();
    this.outputs = List.copyOf(outputs);
    this.valueInfo = List.copyOf(valueInfo);
    for (OnnxNode n : nodes) {
      for (String o : n.outputs()) {
        if (!o.isEmpty()) {
          producers.put(o, n);
        }
      }
      for (String i : n.inputs()) {
        if (!i.isEmpty()) {
          consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
        }
      }
    }
  }

  /** @return the graph's name */
  public String name() {
    return name;
  }

  /** @return all nodes, in file order (ONNX requires a topological order) */
  public List<OnnxNode> nodes() {
    return nodes;
  }

  /** @return the constant tensors by name, in file order */
  public Map<String, OnnxTensor> initializers() {
    return initializers;
  }

  /** @return the inputs a caller feeds: the declared inputs that are not initializers */
  public List<OnnxValueInfo> inputs() {
    return inputs;
  }

  /** @return the outputs */
  public List<OnnxValueInfo> outputs() {
    return outputs;
  }

  /** @return the shapes the exporter recorded for intermediate values, possibly none */
  public List<OnnxValueInfo> valueInfo() {
    return valueInfo;
  }

  /**
   * @param value a value's name
   * @return the node that writes it, or null for inputs, initializers and unknown names
   */
  public OnnxNode producer(String value) {
    return producers.get(value);
  }

  /**
   * @param value a value's name
   * @return the nodes that read it, in file order
   */
  public List<OnnxNode> consumers(String value) {
    return Collections.unmodifiableList(consumers.getOrDefault(value, List.of()));
  }

  @Override
  public String toString() {
    return "OnnxGraph[" + name + ", " + nodes.size() + " nodes, inputs " + inputs + ", outputs "
        + outputs + "]";
  }
}
