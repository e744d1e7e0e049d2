package org.fovea.cluster;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.fovea.models.Model;
import org.fovea.models.Zoo;

/**
 * Which model a job runs, in a form every machine of a cluster can load: the package's absolute
 * path (resolved once, on the driver), the engine and the device.
 *
 * @param path absolute path of the model package or bare model file
 * @param axes axes of a bare model file
 * @param normalize normalization of a bare model file
 * @param engine engine name, or null for the package's fastest
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
 * @since 0.1.0
 */
public record ModelRef(String path, String axes, String normalize, String engine, String device)
    implements Serializable {

  /**
   * Resolves a model name (from the zoo) or path on the driver.
   *
   * @param nameOrPath a model name or path, null for the default model
   * @param engine engine name or null
   * @param device device or null
   * @return the reference
   * @throws org.fovea.ops.net.FoveaException when no such model exists
   */
  public static ModelRef resolve(String nameOrPath, String engine, String device) {
    String n = nameOrPath == null || nameOrPath.isBlank() ? Zoo.DEFAULT_MODEL : nameOrPath;
    Path p = Paths.get(n);
    if (!Files.exists(p)) {
      p = Zoo.resolve(n).source();
    }
    return new ModelRef(p.toAbsolutePath().normalize().toString(), Zoo.Bare.DEFAULT.axes(),
        Zoo.Bare.DEFAULT.normalize(), engine, device == null ? "auto" : device);
  }

  /** @return the model loaded on its engine (the caller closes it) */
  public Model load() {
    return Model.load(Zoo.resolve(path, new Zoo.Bare(axes, normalize)), engine, device);
  }
}
