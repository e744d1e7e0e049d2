package org.fovea.models.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fovea.models.pkg.WeightFormat;

/**
 * What Fovea can run here: each engine on the class path, its version, the weight formats it runs,
 * whether its natives load, the devices it can use and why it has no GPU. {@code fovea doctor} and
 * {@code Plugins > Fovea > About Fovea / Engines} show it.
 *
 * @since 0.1.0
 */
public final class Doctor {

  /**
   * One engine's state.
   *
   * @param name the engine's name
   * @param version its version, or {@code unavailable}
   * @param formats the weight formats it runs
   * @param unavailable null when it runs here, else why not and what to install
   * @param devices the devices it can use here, {@code cpu} first
   * @param noGpu null when it can use a GPU, else why not and the fix
   * @param settings the settings that change its numbers ({@link EngineProvider#settings}), or
   *     an empty string
   */
  public record EngineStatus(String name, String version, List<String> formats,
      String unavailable, List<String> devices, String noGpu, String settings) {

    /** @return true when the engine's natives load */
    public boolean works() {
      return unavailable == null;
    }
  }

  /**
   * The whole report.
   *
   * @param java the Java runtime
   * @param os the operating system and architecture
   * @param cores the processors Java sees
   * @param maxHeapMiB the largest heap Java may use
   * @param gpuHost the machine's NVIDIA driver and CUDA libraries
   * @param engines every engine, by name
   */
  public record Report(String java, String os, int cores, long maxHeapMiB, GpuHost gpuHost,
      List<EngineStatus> engines) {

    /** @return true when at least one engine can run on a GPU */
    public boolean gpuUsable() {
      return engines.stream().anyMatch(e -> e.works() && e.noGpu() == null);
    }

    /** @return the report as text: one block for the machine, one line and reason per engine */
    public String text() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "Fovea 0.1.0 on Java %s, %s, %d cores, max heap %d MiB%n",
          java, os, cores, maxHeapMiB));
      sb.append("GPU: ").append(gpuHost.summary()).append('\n');
      sb.append(String.format(Locale.ROOT, "%-12s %-14s %-30s %-12s %s%n", "ENGINE", "VERSION",
          "FORMATS", "STATUS", "DEVICES"));
      for (EngineStatus e : engines) {
        sb.append(String.format(Locale.ROOT, "%-12s %-14s %-30s %-12s %s%n", e.name(), e.version(),
            String.join(",", e.formats()), e.works() ? "ok" : "unavailable",
            e.works() ? String.join(",", e.devices()) : "-"));
      }
      for (EngineStatus e : engines) {
        if (e.works() && !e.settings().isEmpty()) {
          sb.append(e.name()).append(" settings: ").append(e.settings()).append('\n');
        }
      }
      for (EngineStatus e : engines) {
        if (!e.works()) {
          sb.append(e.name()).append(" cannot run: ").append(e.unavailable()).append('\n');
        } else if (e.noGpu() != null) {
          sb.append(e.name()).append(" has no GPU: ").append(e.noGpu()).append('\n');
        }
      }
      if (engines.isEmpty()) {
        sb.append("no engine is installed: put the onnxruntime jar (or the PyTorch or TensorFlow"
            + " engine jars) on the class path\n");
      }
      sb.append(gpuUsable() ? "A GPU is usable: --device gpu runs on it.\n"
          : "No GPU is usable here: --device gpu fails with the reason above; cpu and auto run on"
              + " the CPU.\n");
      return sb.toString();
    }
  }

  /** The engines Fovea knows, and how to install each one when it is missing. */
  private static final java.util.Map<String, String> INSTALL = new java.util.LinkedHashMap<>();

  static {
    INSTALL.put("onnxruntime", "put com.microsoft.onnxruntime:onnxruntime (or onnxruntime_gpu) in"
        + " Fiji.app/jars");
    INSTALL.put("pytorch", "copy the fiji-pytorch part of Fovea's update site (DJL and libtorch"
        + " jars) into Fiji.app");
    INSTALL.put("tensorflow", "copy the fiji-tensorflow part of Fovea's update site (TensorFlow"
        + " Java jars) into Fiji.app");
  }

  private Doctor() {}

  /** @return the state of every engine on the class path (this loads their natives) */
  public static Report examine() {
    List<EngineStatus> l = new ArrayList<>();
    for (EngineProvider e : Engines.all()) {
      String why = e.unavailableReason();
      List<String> formats = e.formats().stream().map(WeightFormat::key).sorted().toList();
      if (why != null) {
        l.add(new EngineStatus(e.name(), "unavailable", formats, why, List.of(), why, ""));
      } else {
        l.add(new EngineStatus(e.name(), e.version(), formats, null, e.devices(),
            e.gpuUnavailableReason(), e.settings()));
      }
    }
    for (var known : INSTALL.entrySet()) {
      if (l.stream().noneMatch(e -> e.name().equals(known.getKey()))) {
        String why = known.getKey() + " is not installed: " + known.getValue();
        l.add(new EngineStatus(known.getKey(), "not installed", List.of(), why, List.of(), why,
            ""));
      }
    }
    Runtime rt = Runtime.getRuntime();
    return new Report(System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
        + ")", System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        rt.availableProcessors(), rt.maxMemory() >> 20, GpuHost.probe(), List.copyOf(l));
  }
}
