package org.fovea.io.zarr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded chunks, least recently used dropped first, within a budget of bytes: tiles with halos
 * and row strips read the same chunk several times, and decode it once.
 *
 * @since 0.1.0
 */
final class ChunkCache {

  private final long budget;
  private long used;
  private final LinkedHashMap<String, float[]> map = new LinkedHashMap<>(64, 0.75f, true);

  /** @param budget bytes of decoded values to keep, at most */
  ChunkCache(long budget) {
    this.budget = budget;
  }

  /**
   * @return a quarter of the Java heap, at most 512 MiB (the {@code fovea.zarr.cache} system
   *     property, in MiB, overrides it)
   */
  static long defaultBudget() {
    String p = System.getProperty("fovea.zarr.cache");
    if (p != null) {
      return Long.parseLong(p) << 20;
    }
    return Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);
  }

  synchronized float[] get(String key) {
    return map.get(key);
  }

  synchronized void put(String key, float[] v) {
    long bytes = 4L * v.length;
    if (bytes > budget) {
      return;
    }
    float[] old = map.put(key, v);
    used += bytes - (old == null ? 0 : 4L * old.length);
    var it = map.entrySet().iterator();
    while (used > budget && it.hasNext()) {
      Map.Entry<String, float[]> e = it.next();
      if (e.getKey().equals(key)) {
        continue;
      }
      used -= 4L * e.getValue().length;
      it.remove();
    }
  }

  synchronized void remove(String key) {
    float[] old = map.remove(key);
    if (old != null) {
      used -= 4L * old.length;
    }
  }
}
