package org.fovea.models.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.TensorSpec;

/**
 * An inference engine that turns weights of some formats into a {@link Network}.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} (one line in {@code
 * META-INF/services/org.fovea.models.engine.EngineProvider}). Creating a provider must be cheap
 * and must not load natives; natives load on first {@link #load} or {@link #unavailableReason()},
 * once per process.
 *
 * @since 0.1.0
 */
public interface EngineProvider {

  /** @return a short name: {@code onnxruntime}, {@code pytorch} or {@code tensorflow} */
  String name();

  /** @return the weight formats this engine can run */
  Set<WeightFormat> formats();

  /**
   * @param format a weight format this engine runs
   * @return preference for that format, lower is preferred (set from benchmarks)
   */
  int rank(WeightFormat format);

  /** @return the engine's version, such as {@code 1.29.0} */
  String version();

  /**
   * @return the settings that change this engine's numbers besides its version (such as whether
   *     libtorch uses oneDNN), in words; part of the key under which self-checks are remembered
   */
  default String settings() {
    return "";
  }

  /**
   * Loads the natives if not yet loaded.
   *
   * @return null when the engine works here, else one sentence saying why not and what to install
   */
  String unavailableReason();

  /** @return the devices this engine can use here, {@code cpu} first */
  List<String> devices();

  /**
   * Why this engine cannot use a GPU here: its build (CPU-only natives), the driver, or the CUDA
   * libraries it needs.
   *
   * @return null when {@link #devices()} lists a GPU, else one sentence with the fix
   */
  default String gpuUnavailableReason() {
    if (devices().stream().anyMatch(d -> d.startsWith("gpu"))) {
      return null;
    }
    String host = GpuHost.probe().noDriverReason();
    return name() + " sees no GPU" + (host != null ? ": " + host : "");
  }

  /**
   * @param weights the weights file or folder
   * @param inputs the input specs the caller will feed (names must match the model's)
   * @param outputs the output specs
   * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
   * @return a loaded network; the caller closes it
   * @throws org.fovea.ops.net.FoveaException when the weights cannot be loaded or the device cannot
   *     be used, with the reason
   */
  Network load(Path weights, List<TensorSpec> inputs, List<TensorSpec> outputs, String device);
}
