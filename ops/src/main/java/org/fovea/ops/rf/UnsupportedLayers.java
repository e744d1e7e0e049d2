package org.fovea.ops.rf;

import java.util.List;
import org.fovea.ops.net.FoveaException;

/**
 * Thrown when a model has layers whose geometry the analysis does not know; callers can measure
 * the receptive field empirically instead ({@link EmpiricalReach}).
 *
 * @since 0.1.0
 */
public class UnsupportedLayers extends FoveaException {

  private static final long serialVersionUID = 1L;

  /** @serial the layers, as {@code name (op)} */
  private final List<String> layers;

  /**
   * @param source the model file
   * @param layers the layers, as {@code name (op)}
   * @param why a short reason without a trailing period, or null
   */
  public UnsupportedLayers(String source, List<String> layers, String why) {
    super(source + " has " + (layers.size() == 1 ? "a layer" : layers.size() + " layers")
        + " whose geometry the receptive-field analysis does not know (" + String.join(", ",
            layers.subList(0, Math.min(5, layers.size()))) + (layers.size() > 5 ? ", ..." : "")
        + (why == null ? "" : "; " + why) + "): measure the receptive field empirically instead");
    this.layers = List.copyOf(layers);
  }

  /** @return the unsupported layers, as {@code name (op)} */
  public List<String> layers() {
    return layers;
  }
}
