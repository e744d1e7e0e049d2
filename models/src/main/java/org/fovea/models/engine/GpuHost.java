package org.fovea.models.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this machine offers a GPU engine, independent of any engine: the NVIDIA kernel driver, its
 * user-space library {@code libcuda.so.1}, the GPU device files, and the CUDA runtimes installed.
 * Engines combine this with what their own build supports to say why a GPU cannot be used.
 *
 * @param driverVersion the kernel driver's version from {@code /proc/driver/nvidia/version}, or
 *     null when no NVIDIA driver is loaded
 * @param libcuda where {@code libcuda.so.1} is, or null when it is not on the library path
 * @param deviceFiles the {@code /dev/nvidiaN} files present
 * @param cudaRuntimes the major versions of the CUDA runtimes ({@code libcudart.so.N}) found
 * @since 0.1.0
 */
public record GpuHost(String driverVersion, String libcuda, List<String> deviceFiles,
    List<Integer> cudaRuntimes) {

  private static final Path PROC_VERSION = Paths.get("/proc/driver/nvidia/version");
  private static final Pattern NVRM = Pattern.compile("Kernel Module\\s+(?:for \\S+\\s+)?([0-9.]+)");
  private static final Pattern CUDART = Pattern.compile("libcudart\\.so\\.(\\d+)");

  private static volatile GpuHost probed;

  /** @return this machine, probed once per process */
  public static GpuHost probe() {
    if (probed == null) {
      probed = new GpuHost(findDriver(), findLibcuda(), findDeviceFiles(), findCudaRuntimes());
    }
    return probed;
  }

  /** @return true when an NVIDIA driver is loaded and its library is found */
  public boolean hasDriver() {
    return driverVersion != null && libcuda != null && !deviceFiles.isEmpty();
  }

  /**
   * @return null when the driver is there, else one sentence saying what is missing and the fix
   */
  public String noDriverReason() {
    if (hasDriver()) {
      return null;
    }
    List<String> missing = new ArrayList<>();
    if (driverVersion == null) {
      missing.add("no NVIDIA kernel driver is loaded (" + PROC_VERSION + " is absent)");
    }
    if (deviceFiles.isEmpty()) {
      missing.add("no /dev/nvidia0 device");
    }
    if (libcuda == null) {
      missing.add("libcuda.so.1 is not on the library path");
    }
    String runtimes = cudaRuntimes.isEmpty() ? ""
        : " (a CUDA " + cudaRuntimes.stream().map(String::valueOf)
            .collect(java.util.stream.Collectors.joining(", ")) + " runtime is installed, but a runtime alone cannot reach a GPU)";
    return String.join(", ", missing) + runtimes
        + ": install the NVIDIA driver on a machine with an NVIDIA GPU";
  }

  /** @return one line describing the host for the doctor report */
  public String summary() {
    if (hasDriver()) {
      return "NVIDIA driver " + driverVersion + ", " + deviceFiles.size() + " GPU device(s), "
          + libcuda + (cudaRuntimes.isEmpty() ? "" : ", CUDA runtime " + cudaRuntimes);
    }
    return "none usable: " + noDriverReason();
  }

  private static String findDriver() {
    try {
      String s = Files.readString(PROC_VERSION, StandardCharsets.UTF_8);
      Matcher m = NVRM.matcher(s);
      return m.find() ? m.group(1) : s.lines().findFirst().orElse("unknown").trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static List<String> findDeviceFiles() {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      if (Files.exists(Paths.get("/dev/nvidia" + i))) {
        l.add("/dev/nvidia" + i);
      }
    }
    return l;
  }

  private static String findLibcuda() {
    for (Path d : libraryDirs()) {
      Path p = d.resolve("libcuda.so.1");
      if (Files.exists(p)) {
        return p.toString();
      }
    }
    for (String line : ldconfigCache()) {
      if (line.contains("libcuda.so.1 ") && line.contains("=>")) {
        return line.substring(line.indexOf("=>") + 2).trim();
      }
    }
    return null;
  }

  private static List<Integer> findCudaRuntimes() {
    Set<Integer> majors = new LinkedHashSet<>();
    List<String> names = new ArrayList<>(ldconfigCache());
    for (Path d : libraryDirs()) {
      try (var s = Files.list(d)) {
        s.forEach(p -> names.add(p.getFileName().toString()));
      } catch (IOException | RuntimeException e) {
        // an unreadable folder holds nothing we can use
      }
    }
    for (String n : names) {
      Matcher m = CUDART.matcher(n);
      if (m.find()) {
        majors.add(Integer.parseInt(m.group(1)));
      }
    }
    return List.copyOf(majors);
  }

  /** The folders of {@code LD_LIBRARY_PATH} and the usual system library folders. */
  private static List<Path> libraryDirs() {
    List<Path> dirs = new ArrayList<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String s : ld.split(":")) {
        if (!s.isBlank()) {
          dirs.add(Paths.get(s));
        }
      }
    }
    for (String s : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
        "/lib/x86_64-linux-gnu", "/usr/local/cuda/lib64", "/usr/local/cuda/compat")) {
      dirs.add(Paths.get(s));
    }
    return dirs.stream().filter(Files::isDirectory).toList();
  }

  private static volatile List<String> ldconfig;

  /** The dynamic linker's cache ({@code ldconfig -p}), empty when it cannot be read. */
  private static List<String> ldconfigCache() {
    if (ldconfig == null) {
      List<String> lines = List.of();
      for (String exe : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
        if (!Files.isExecutable(Paths.get(exe))) {
          continue;
        }
        try {
          Process p = new ProcessBuilder(exe, "-p").redirectErrorStream(true).start();
          byte[] out = p.getInputStream().readAllBytes();
          if (p.waitFor(10, TimeUnit.SECONDS)) {
            lines = new String(out, StandardCharsets.UTF_8).lines().toList();
          }
        } catch (IOException e) {
          // no cache: the folder scan above still runs
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        break;
      }
      ldconfig = lines;
    }
    return ldconfig;
  }
}
