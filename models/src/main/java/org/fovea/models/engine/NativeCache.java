package org.fovea.models.engine;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where engines unpack their native libraries, and DJL's offline switch.
 *
 * <p>The folder is the system property {@code fovea.cache}, else the environment variable {@code
 * FOVEA_CACHE}, else {@code ~/.cache/fovea}. DJL reads {@code DJL_CACHE_DIR} and {@code
 * offline} from system properties as well as from the environment, so setting them here keeps it
 * from ever trying the network.
 *
 * @since 0.1.0
 */
public final class NativeCache {

  private NativeCache() {}

  /** @return the cache folder */
  public static Path root() {
    String p = System.getProperty("fovea.cache");
    if (p == null || p.isBlank()) {
      p = System.getenv("FOVEA_CACHE");
    }
    if (p == null || p.isBlank()) {
      return Paths.get(System.getProperty("user.home"), ".cache", "fovea");
    }
    return Paths.get(p);
  }

  /** @return DJL's cache folder */
  public static Path djl() {
    String env = System.getenv("DJL_CACHE_DIR");
    return env != null && !env.isBlank() ? Paths.get(env) : root().resolve("djl");
  }

  /** Sets DJL's offline mode and cache folder unless the user already did. */
  static void configureDjl() {
    if (System.getProperty("offline") == null) {
      System.setProperty("offline", "true");
    }
    if (System.getProperty("DJL_OFFLINE") == null) {
      System.setProperty("DJL_OFFLINE", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    if (System.getProperty("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", djl().toString());
    }
    if (System.getProperty("ENGINE_CACHE_DIR") == null) {
      System.setProperty("ENGINE_CACHE_DIR", djl().toString());
    }
    // the native jar is on the class path: never let DJL look for another flavour online
    if (System.getProperty("ai.djl.pytorch.native_helper") == null
        && System.getenv("PYTORCH_FLAVOR") == null) {
      System.setProperty("PYTORCH_FLAVOR", "cpu");
    }
  }
}
