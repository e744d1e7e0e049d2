package org.fovea.ops.rf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.FoveaException;

/**
 * The layers of a network as a directed acyclic graph, with what each does to the geometry of its
 * input along each spatial axis. Immutable; built with {@link #builder(String, int)}, which checks
 * names, arities and that there is no cycle, and keeps the layers in a topological order.
 *
 * <pre>{@code
 * long[] one = {1, 1};
 * LayerGraph g = LayerGraph.builder("example", 2)
 *     .layer(Layer.input("x"))
 *     .layer(Layer.conv("c", "Conv", "x",
 *         Window.explicit(new long[] {3, 3}, one, one, one, one), 0, 0))
 *     .output("c")
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class LayerGraph {

  private final String source;
  private final int spatialAxes;
  private final List<Layer> layers;
  private final Map<String, Layer> byName;
  private final List<String> inputs;
  private final List<String> outputs;

  private LayerGraph(String source, int spatialAxes, List<Layer> sorted, List<String> outputs) {
    this.source = source;
    this.spatialAxes = spatialAxes;
    this.layers = List.copyOf(sorted);
    Map<String, Layer> m = new LinkedHashMap<>();
    sorted.forEach(l -> m.put(l.name(), l));
    this.byName = Collections.unmodifiableMap(m);
    this.inputs = sorted.stream().filter(l -> l.kind() == LayerKind.INPUT).map(Layer::name)
        .toList();
    this.outputs = List.copyOf(outputs);
  }

  /**
   * @param source what the graph was read from (a file), for messages
   * @param spatialAxes the number of spatial axes (1, 2 or 3)
   * @return a builder
   * @throws FoveaException when there are no spatial axes
   */
  public static Builder builder(String source, int spatialAxes) {
    if (spatialAxes < 1) {
      throw new FoveaException(source + " has no spatial axes: the receptive-field analysis needs"
          + " an image input such as (batch, channel, y, x)");
    }
    return new Builder(source, spatialAxes);
  }

  /** @return what the graph was read from */
  public String source() {
    return source;
  }

  /** @return the number of spatial axes */
  public int spatialAxes() {
    return spatialAxes;
  }

  /** @return every layer, inputs first, each after the layers it reads */
  public List<Layer> layers() {
    return layers;
  }

  /**
   * @param name a layer name
   * @return the layer, or null
   */
  public Layer layer(String name) {
    return byName.get(name);
  }

  /** @return the input layers' names */
  public List<String> inputs() {
    return inputs;
  }

  /** @return the output layers' names, the network's first output first */
  public List<String> outputs() {
    return outputs;
  }

  @Override
  public String toString() {
    return "LayerGraph[" + source + ", " + layers.size() + " layers, " + spatialAxes
        + " spatial axes, outputs " + outputs + "]";
  }

  /** Collects layers in any order and checks them in {@link #build()}. */
  public static final class Builder {
    private final String source;
    private final int axes;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private final List<String> outputs = new ArrayList<>();

    private Builder(String source, int axes) {
      this.source = source;
      this.axes = axes;
    }

    /**
     * @param l a layer
     * @return this builder
     * @throws FoveaException when the name is taken or the window has the wrong number of axes
     */
    public Builder layer(Layer l) {
      if (layers.containsKey(l.name())) {
        throw new FoveaException(source + " has two layers named '" + l.name()
            + "': give each layer a unique name");
      }
      int n = l.window() != null ? l.window().axes()
          : l.resize() != null ? l.resize().axes() : axes;
      if (n != axes) {
        throw new FoveaException(source + " layer '" + l.name() + "' has " + n + " spatial axes"
            + " where the model has " + axes + ": check the model's layout");
      }
      layers.put(l.name(), l);
      return this;
    }

    /**
     * @param name a layer whose output is a network output
     * @return this builder
     */
    public Builder output(String name) {
      if (!outputs.contains(name)) {
        outputs.add(name);
      }
      return this;
    }

    /**
     * @return the graph
     * @throws FoveaException for a missing input, output or reference, a wrong arity or a cycle
     */
    public LayerGraph build() {
      if (layers.values().stream().noneMatch(l -> l.kind() == LayerKind.INPUT)) {
        throw new FoveaException(source + " has no input layer: the graph must start at the image");
      }
      if (outputs.isEmpty()) {
        throw new FoveaException(source + " has no output layer: name the network's output");
      }
      for (String o : outputs) {
        if (!layers.containsKey(o)) {
          throw new FoveaException(source + " names output '" + o + "', which is no layer: fix"
              + " the graph's outputs");
        }
      }
      for (Layer l : layers.values()) {
        int n = l.inputs().size();
        boolean ok = l.kind() == LayerKind.INPUT ? n == 0 : l.kind().isMerge() ? n >= 1 : n == 1;
        if (!ok) {
          throw new FoveaException(source + " layer '" + l.name() + "' (" + l.opType() + ") reads "
              + n + " layers, which a " + l.kind() + " layer cannot: fix the graph");
        }
        for (String in : l.inputs()) {
          if (!layers.containsKey(in)) {
            throw new FoveaException(source + " layer '" + l.name() + "' reads '" + in
                + "', which is no layer: the graph is malformed, re-export the model");
          }
        }
      }
      return new LayerGraph(source, axes, sort(), outputs);
    }

    /** Kahn's topological sort, keeping the given order among ready layers. */
    private List<Layer> sort() {
      Map<String, Integer> waiting = new HashMap<>();
      Map<String, List<String>> readers = new HashMap<>();
      Deque<String> ready = new ArrayDeque<>();
      for (Layer l : layers.values()) {
        waiting.put(l.name(), l.inputs().size());
        for (String in : l.inputs()) {
          readers.computeIfAbsent(in, k -> new ArrayList<>()).add(l.name());
        }
        if (l.inputs().isEmpty()) {
          ready.add(l.name());
        }
      }
      List<Layer> sorted = new ArrayList<>(layers.size());
      while (!ready.isEmpty()) {
        String n = ready.poll();
        sorted.add(layers.get(n));
        for (String r : readers.getOrDefault(n, List.of())) {
          if (waiting.merge(r, -1, Integer::sum) == 0) {
            ready.add(r);
          }
        }
      }
      if (sorted.size() < layers.size()) {
        List<String> stuck = layers.keySet().stream().filter(k -> waiting.get(k) > 0).limit(5)
            .toList();
        throw new FoveaException(source + " has a cycle through layers " + stuck
            + ": a network graph must be acyclic, re-export the model");
      }
      return sorted;
    }
  }
}
