package org.fovea.models.engine;

import java.util.List;
import java.util.Locale;
import org.fovea.ops.net.FoveaException;

/**
 * Device names: {@code cpu}, {@code gpu} (the first GPU), {@code gpu:N} and {@code auto} (a GPU when
 * the engine has one, else the CPU). A GPU that was asked for and cannot be used is an error, never
 * a silent CPU run.
 *
 * @since 0.1.0
 */
public final class Devices {

  private Devices() {}

  /**
   * @param wanted the device asked for (null means {@code auto})
   * @param available what the engine can use, {@code cpu} first, then {@code gpu:N}
   * @param engine the engine's name, for the message
   * @param noGpuReason why the engine has no GPU here, with the fix
   * @return the device that will run: {@code cpu} or {@code gpu:N}
   * @throws FoveaException when a GPU was asked for and cannot be used, or the name is unknown
   */
  public static String resolve(String wanted, List<String> available, String engine,
      String noGpuReason) {
    String w = wanted == null ? "auto" : wanted.trim().toLowerCase(Locale.ROOT);
    List<String> gpus = available.stream().filter(d -> d.startsWith("gpu")).toList();
    switch (w) {
      case "cpu":
        return "cpu";
      case "auto":
        return gpus.isEmpty() ? "cpu" : gpus.get(0);
      case "gpu":
        if (gpus.isEmpty()) {
          throw new FoveaException("--device gpu was asked for but " + engine
              + " cannot use a GPU here: " + noGpuReason);
        }
        return gpus.get(0);
      default:
        if (w.matches("gpu:\\d+")) {
          if (!gpus.contains(w)) {
            throw new FoveaException("--device " + w + " was asked for but " + engine + " sees "
                + (gpus.isEmpty() ? "no GPU: " + noGpuReason : "only " + gpus));
          }
          return w;
        }
        throw new FoveaException("unknown device '" + wanted + "': use cpu, gpu, gpu:N or auto");
    }
  }

  /**
   * @param device {@code gpu:N}
   * @return N
   */
  public static int index(String device) {
    int i = device.indexOf(':');
    return i < 0 ? 0 : Integer.parseInt(device.substring(i + 1));
  }
}
