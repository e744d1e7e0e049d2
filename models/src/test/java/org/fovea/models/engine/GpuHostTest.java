package org.fovea.models.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the host probe concludes, and the sentence it gives when no driver is there. */
class GpuHostTest {

  @Test
  void withoutDriverEveryMissingPieceIsNamed() {
    GpuHost h = new GpuHost(null, null, List.of(), List.of(13));
    assertFalse(h.hasDriver());
    assertEquals("no NVIDIA kernel driver is loaded (/proc/driver/nvidia/version is absent), no"
        + " /dev/nvidia0 device, libcuda.so.1 is not on the library path (a CUDA 13 runtime is"
        + " installed, but a runtime alone cannot reach a GPU): install the NVIDIA driver on a"
        + " machine with an NVIDIA GPU", h.noDriverReason());
  }

  @Test
  void aDriverWithoutItsLibraryIsNotEnough() {
    GpuHost h = new GpuHost("550.54.15", null, List.of("/dev/nvidia0"), List.of());
    assertFalse(h.hasDriver());
    assertEquals("libcuda.so.1 is not on the library path: install the NVIDIA driver on a machine"
        + " with an NVIDIA GPU", h.noDriverReason());
  }

  @Test
  void aCompleteDriverHasNoReason() {
    GpuHost h = new GpuHost("550.54.15", "/usr/lib/x86_64-linux-gnu/libcuda.so.1",
        List.of("/dev/nvidia0", "/dev/nvidia1"), List.of(12));
    assertTrue(h.hasDriver());
    assertNull(h.noDriverReason());
    assertEquals("NVIDIA driver 550.54.15, 2 GPU device(s), /usr/lib/x86_64-linux-gnu/libcuda.so.1,"
        + " CUDA runtime [12]", h.summary());
  }

  @Test
  void theProbeAgreesWithTheKernelsOwnFiles() {
    GpuHost h = GpuHost.probe();
    assertEquals(Files.exists(Paths.get("/proc/driver/nvidia/version")), h.driverVersion() != null);
    assertEquals(Files.exists(Paths.get("/dev/nvidia0")), h.deviceFiles().contains("/dev/nvidia0"));
  }
}
