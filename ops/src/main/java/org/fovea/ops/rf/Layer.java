package org.fovea.ops.rf;

import java.util.List;
import java.util.Objects;

/**
 * One layer of a {@link LayerGraph}: what it is called, what it reads and what it does to the
 * geometry. Values only; no weights.
 *
 * @param name a name unique in its graph
 * @param opType the operator as the model file names it, such as {@code Conv} or {@code MaxPool}
 * @param kind what the layer does to the geometry
 * @param inputs the names of the layers it reads, in order (none for an input)
 * @param window the sliding window, for the kinds with {@link LayerKind#hasWindow()}, else null
 * @param resize the factors, for {@link LayerKind#RESIZE}, else null
 * @param params the number of trained parameters (weights and biases)
 * @param macs multiply-adds per output position ({@link LayerKind#CONV}, {@link LayerKind#GLOBAL})
 *     or per input position ({@link LayerKind#CONV_TRANSPOSE}); 0 for other kinds
 * @since 0.1.0
 */
public record Layer(String name, String opType, LayerKind kind, List<String> inputs,
    Window window, Resize resize, long params, long macs) {

  /** Checks that the kind has the parts it needs. */
  public Layer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    opType = opType == null ? kind.name() : opType;
    inputs = List.copyOf(inputs);
    if (kind.hasWindow() != (window != null)) {
      throw new IllegalArgumentException("layer '" + name + "' of kind " + kind
          + (window == null ? " needs a window" : " takes no window"));
    }
    if ((kind == LayerKind.RESIZE) != (resize != null)) {
      throw new IllegalArgumentException("layer '" + name + "' of kind " + kind
          + (resize == null ? " needs resize factors" : " takes no resize factors"));
    }
    if (params < 0 || macs < 0) {
      throw new IllegalArgumentException("layer '" + name + "' has negative params or macs");
    }
  }

  /**
   * @param name layer name
   * @return a network input
   */
  public static Layer input(String name) {
    return new Layer(name, "Input", LayerKind.INPUT, List.of(), null, null, 0, 0);
  }

  /**
   * @param name layer name
   * @param opType the model's operator name
   * @param input the layer it reads
   * @param w the window
   * @param params trained parameters
   * @param macs multiply-adds per output position
   * @return a convolution
   */
  public static Layer conv(String name, String opType, String input, Window w, long params,
      long macs) {
    return new Layer(name, opType, LayerKind.CONV, List.of(input), w, null, params, macs);
  }

  /**
   * @param name layer name
   * @param opType the model's operator name
   * @param input the layer it reads
   * @param w the window
   * @param params trained parameters
   * @param macs multiply-adds per input position
   * @return a transposed convolution
   */
  public static Layer convTranspose(String name, String opType, String input, Window w,
      long params, long macs) {
    return new Layer(name, opType, LayerKind.CONV_TRANSPOSE, List.of(input), w, null, params, macs);
  }

  /**
   * @param name layer name
   * @param opType the model's operator name
   * @param input the layer it reads
   * @param w the window
   * @param max max pooling when true, else average pooling
   * @return a pooling layer
   */
  public static Layer pool(String name, String opType, String input, Window w, boolean max) {
    return new Layer(name, opType, max ? LayerKind.MAX_POOL : LayerKind.AVG_POOL, List.of(input),
        w, null, 0, 0);
  }

  /**
   * @param name layer name
   * @param opType the model's operator name
   * @param input the layer it reads
   * @param begin pads before per axis (negative crops)
   * @param end pads after per axis (negative crops)
   * @return a padding or cropping layer
   */
  public static Layer pad(String name, String opType, String input, long[] begin, long[] end) {
    return new Layer(name, opType, LayerKind.PAD, List.of(input), Window.padding(begin, end), null,
        0, 0);
  }

  /**
   * @param name layer name
   * @param opType the model's operator name
   * @param input the layer it reads
   * @param r the factors
   * @return a resizing layer
   */
  public static Layer resize(String name, String opType, String input, Resize r) {
    return new Layer(name, opType, LayerKind.RESIZE, List.of(input), null, r, 0, 0);
  }

  /**
   * @param name layer name
   * @param opType the model's operator name
   * @param kind {@link LayerKind#ADD} or {@link LayerKind#CONCAT}
   * @param inputs the layers it joins
   * @return a merging layer
   */
  public static Layer merge(String name, String opType, LayerKind kind, List<String> inputs) {
    if (!kind.isMerge()) {
      throw new IllegalArgumentException(kind + " is not a merge");
    }
    return new Layer(name, opType, kind, inputs, null, null, 0, 0);
  }

  /**
   * @param name layer name
   * @param opType the model's operator name
   * @param input the layer it reads
   * @param params trained parameters (such as a normalization's scale and shift)
   * @return a layer without geometry
   */
  public static Layer pointwise(String name, String opType, String input, long params) {
    return new Layer(name, opType, LayerKind.POINTWISE, List.of(input), null, null, params, 0);
  }

  /**
   * @param name layer name
   * @param opType the model's operator name
   * @param input the layer it reads
   * @param params trained parameters
   * @param macs multiply-adds of the whole layer
   * @return a layer over all positions (global pooling, flatten, dense)
   */
  public static Layer global(String name, String opType, String input, long params, long macs) {
    return new Layer(name, opType, LayerKind.GLOBAL, List.of(input), null, null, params, macs);
  }
}
