package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fovea.io.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code fovea doctor} on a machine without an NVIDIA driver says that no GPU is usable and why,
 * and every operation that runs a model refuses {@code --device gpu} with that reason instead of
 * running on the CPU. The machine's state is checked independently of Fovea's probe: the kernel
 * driver's {@code /proc} file and the device file.
 */
class DoctorCommandTest {

  private static final String NO_DRIVER = "no NVIDIA kernel driver is loaded";

  @TempDir
  static Path tmp;

  @BeforeAll
  static void onlyWithoutAGpu() {
    assumeFalse(Files.exists(Paths.get("/proc/driver/nvidia/version"))
        || Files.exists(Paths.get("/dev/nvidia0")), "this machine has an NVIDIA driver");
  }

  @Test
  void doctorListsTheEnginesAndSaysWhyNoGpuIsUsable() {
    Cli r = Cli.run("doctor");
    assertEquals(0, r.code(), r.err());
    String o = r.out();
    assertTrue(o.matches("(?s).*\\nonnxruntime +1\\.29\\.0 +onnx +ok +cpu\\n.*"), o);
    assertTrue(o.matches("(?s).*\\npytorch +2\\.7\\.1 +torchscript +ok +cpu\\n.*"), o);
    assertTrue(o.matches("(?s).*\\ntensorflow +2\\.18\\.0 +tensorflow_saved_model_bundle +ok +cpu\\n.*"), o);
    assertTrue(o.contains("GPU: none usable: " + NO_DRIVER), o);
    assertTrue(o.contains("onnxruntime has no GPU: this ONNX Runtime is the CPU build"), o);
    assertTrue(o.contains("pytorch has no GPU: DJL's PyTorch here is the CPU build"), o);
    assertTrue(o.contains("tensorflow has no GPU: TensorFlow here is the CPU build"), o);
    assertTrue(o.endsWith("No GPU is usable here: --device gpu fails with the reason above; cpu and"
        + " auto run on the CPU.\n"), o);
  }

  @Test
  void jsonHasOneEntryPerEngineWithItsDevicesAndGpuReason() {
    Cli r = Cli.run("doctor", "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
    assertTrue(j.getAsJsonObject("gpuHost").get("driverVersion").isJsonNull(), r.out());
    List<String> names = new ArrayList<>();
    for (JsonElement e : j.getAsJsonArray("engines")) {
      JsonObject o = e.getAsJsonObject();
      names.add(o.get("name").getAsString());
      assertTrue(o.get("unavailable").isJsonNull(), o.toString());
      assertEquals("[\"cpu\"]", o.get("devices").toString());
      assertTrue(o.get("noGpu").getAsString().contains(NO_DRIVER), o.toString());
    }
    assertEquals(List.of("onnxruntime", "pytorch", "tensorflow"), names);
  }

  static Stream<Arguments> operations() {
    String sample = ImageFiles.sample().toString();
    String labels = ImageFiles.sample().resolveSibling("nuclei-synthetic-512-labels.tif").toString();
    String out = tmp.resolve("never.tif").toString();
    return Stream.of(
        Arguments.of("onnxruntime", List.of("segment", "--device", "gpu", "-o", out, sample)),
        Arguments.of("pytorch", List.of("segment", "--engine", "pytorch", "--device", "gpu", "-o",
            out, sample)),
        Arguments.of("tensorflow", List.of("segment", "--engine", "tensorflow", "--device", "gpu",
            "-o", out, sample)),
        Arguments.of("onnxruntime", List.of("instances", "--device", "gpu", "-o", out, sample)),
        Arguments.of("onnxruntime", List.of("bench", "engines", "--device", "gpu", "--size", "64",
            "--runs", "1")),
        Arguments.of("onnxruntime", List.of("bench", "tiling", "--device", "gpu", "--size", "64")),
        Arguments.of("onnxruntime", List.of("models", "evaluate", "--device", "gpu", "--image",
            sample, "--mask", labels)),
        Arguments.of("onnxruntime", List.of("field", "nuclei-dilated", "--measure", "--device",
            "gpu")));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("operations")
  void everyOperationRefusesTheGpuWithTheReason(String engine, List<String> args) {
    Cli r = Cli.run(args.toArray(String[]::new));
    assertEquals(FoveaCli.USER_ERROR, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("fovea: --device gpu was asked for but " + engine
        + " cannot use a GPU here: "), r.err());
    assertTrue(r.err().contains(NO_DRIVER), r.err());
    assertFalse(r.out().contains("device=cpu"), "ran on the CPU instead: " + r.out());
    assertFalse(Files.exists(tmp.resolve("never.tif")), "an output was written");
  }

  @Test
  void validateReportsTheGpuReasonForEachEngine() {
    Cli r = Cli.run("models", "validate", "nuclei-dilated", "--device", "gpu");
    assertEquals(1, r.code(), r.out() + r.err());
    long failed = r.out().lines().filter(l -> l.contains("FAIL: --device gpu was asked for but")
        && l.contains(NO_DRIVER)).count();
    assertEquals(3, failed, r.out());
  }

  @Test
  void aNumberedGpuIsRefusedToo() {
    Cli r = Cli.run("segment", "--device", "gpu:1", "-o", tmp.resolve("never.tif").toString());
    assertEquals(FoveaCli.USER_ERROR, r.code(), r.err());
    assertTrue(r.err().startsWith("fovea: --device gpu:1 was asked for but onnxruntime sees no GPU: "
        + "this ONNX Runtime is the CPU build"), r.err());
  }

  @Test
  void cpuRunsAndTheSummarySaysSo() {
    Path out = tmp.resolve("cpu.tif");
    Cli r = Cli.run("segment", "--device", "cpu", "--tile", "256", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains(" engine=onnxruntime device=cpu tiles=4 "), r.out());
  }
}
