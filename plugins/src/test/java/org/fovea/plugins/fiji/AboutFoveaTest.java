package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.measure.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.fovea.models.engine.Doctor;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** About Fovea / Engines run headless through SciJava: the report and one table row per engine. */
class AboutFoveaTest {

  @Test
  void theCommandReportsEveryEngineWithItsDevicesAndGpuReason() throws Exception {
    Context context = new Context();
    try {
      CommandModule m = context.service(CommandService.class).run(AboutFovea.class, true).get();
      String report = (String) m.getOutput("report");
      assertTrue(report.startsWith("Fovea 0.1.0 on Java "), report);
      ResultsTable t = AboutFovea.table(Doctor.examine());
      assertEquals(3, t.size());
      for (int i = 0; i < t.size(); i++) {
        assertEquals("ok", t.getStringValue("status", i));
        assertEquals("cpu", t.getStringValue("devices", i));
        if (!Files.exists(Paths.get("/proc/driver/nvidia/version"))) {
          assertTrue(t.getStringValue("gpu", i).contains("no NVIDIA kernel driver is loaded"),
              t.getStringValue("gpu", i));
          assertTrue(report.contains(t.getStringValue("engine", i) + " has no GPU: "), report);
        }
      }
      assertEquals("onnxruntime", t.getStringValue("engine", 0));
      assertEquals("1.29.0", t.getStringValue("version", 0));
    } finally {
      context.dispose();
    }
  }
}
