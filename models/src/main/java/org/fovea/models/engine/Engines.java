package org.fovea.models.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * The engines found on the class path ({@link ServiceLoader} of {@link EngineProvider}) and the
 * choice of one for a weight format.
 *
 * <p>The default engine for a format is the one of lowest {@link EngineProvider#rank rank}; the
 * system property {@code fovea.engine} or an explicit name overrides it.
 *
 * @since 0.1.0
 */
public final class Engines {

  private static volatile List<EngineProvider> all;

  private Engines() {}

  /** @return every engine on the class path, in a stable order */
  public static List<EngineProvider> all() {
    if (all == null) {
      List<EngineProvider> l = new ArrayList<>();
      // an engine whose jars are not installed (Fiji without the optional PyTorch or TensorFlow
      // part) fails to instantiate: skip it, the others still work
      Iterator<EngineProvider> it =
          ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader()).iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          l.add(it.next());
        } catch (ServiceConfigurationError | LinkageError e) {
          // not installed
        }
      }
      l.sort(Comparator.comparing(EngineProvider::name));
      all = List.copyOf(l);
    }
    return all;
  }

  /**
   * @param name an engine name or alias ({@code onnx}, {@code ort}, {@code torch}, {@code tf})
   * @return the engine
   * @throws FoveaException when no such engine is on the class path
   */
  public static EngineProvider byName(String name) {
    String n = canonical(name);
    return all().stream().filter(e -> e.name().equals(n)).findFirst()
        .orElseThrow(() -> new FoveaException("engine '" + name + "' is not installed (installed: "
            + all().stream().map(EngineProvider::name).toList() + "): add its jar, or choose"
            + " another with --engine"));
  }

  /**
   * @param name a user's engine name
   * @return the canonical name
   */
  public static String canonical(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "onnx", "ort", "onnxruntime" -> "onnxruntime";
      case "pytorch", "torch", "torchscript" -> "pytorch";
      case "tensorflow", "tf" -> "tensorflow";
      default -> name.toLowerCase(Locale.ROOT);
    };
  }

  /**
   * @param format a weight format
   * @return the engines that run it, preferred first
   */
  public static List<EngineProvider> forFormat(WeightFormat format) {
    return all().stream().filter(e -> e.formats().contains(format))
        .sorted(Comparator.comparingInt(e -> e.rank(format))).toList();
  }

  /**
   * Checks that a named input is present and has an allowed shape.
   *
   * @param spec the input spec
   * @param inputs the inputs by name
   * @return the tensor
   */
  static Tensor checked(TensorSpec spec, Map<String, Tensor> inputs) {
    Tensor t = inputs.get(spec.name());
    if (t == null) {
      throw new FoveaException("no tensor given for the model input '" + spec.name()
          + "' (given: " + inputs.keySet() + ")");
    }
    String problem = spec.checkShape(t.shape());
    if (problem != null) {
      throw new FoveaException(problem);
    }
    return t;
  }

  /**
   * @param t a failure
   * @return its innermost message, on one line
   */
  public static String reason(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    m = m.replaceAll("\\s+", " ").trim();
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }
}
