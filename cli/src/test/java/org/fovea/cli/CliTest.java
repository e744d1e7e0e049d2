package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.io.Opener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: exit codes, outputs, one-sentence errors. */
class CliTest {

  @TempDir
  Path tmp;

  @Test
  void listShowsBothDemoModelsWithTheirFormats() {
    Cli r = Cli.run("models", "list");
    assertEquals(0, r.code(), r.err());
    for (String m : new String[] {"nuclei-dilated", "nuclei-unet"}) {
      String line = r.out().lines().filter(l -> l.startsWith(m + " ")).findFirst().orElseThrow();
      assertTrue(line.contains("onnx") && line.contains("torchscript")
          && line.contains("tensorflow_saved_model_bundle") && line.contains("shipped"), line);
    }
  }

  @Test
  void listShowsUserModels() throws Exception {
    Path user = Files.createDirectories(tmp.resolve("my-models"));
    Files.copy(Path.of(System.getProperty("fovea.root"), "models", "zoo", "nuclei-dilated",
        "weights.onnx"), user.resolve("my-net.onnx"));
    System.setProperty("fovea.models", user.toString());
    try {
      Cli r = Cli.run("models", "list");
      assertEquals(0, r.code(), r.err());
      String line = r.out().lines().filter(l -> l.startsWith("my-net ")).findFirst().orElseThrow();
      assertTrue(line.contains("user") && line.contains("onnx") && line.contains("onnxruntime"), line);
    } finally {
      System.clearProperty("fovea.models");
    }
  }

  @Test
  void validateJsonPassesOnAllThreeEngines() {
    Cli r = Cli.run("models", "validate", "nuclei-dilated", "--json");
    assertEquals(0, r.code(), r.out() + r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertTrue(o.get("passed").getAsBoolean());
    assertEquals(3, o.getAsJsonArray("results").size());
    o.getAsJsonArray("results").forEach(e -> assertTrue(
        e.getAsJsonObject().get("max_abs_difference").getAsDouble() <= 1e-4, e.toString()));
  }

  @Test
  void validateUnknownModelIsOneSentenceAndExitTwo() {
    Cli r = Cli.run("models", "validate", tmp.resolve("missing.onnx").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("fovea: ") && r.err().contains("missing.onnx"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void segmentWritesAProbabilityHyperstackWithTheInputCalibration() throws Exception {
    Path out = tmp.resolve("p.tif");
    Cli r = Cli.run("segment", "--tile", "200", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("model=nuclei-dilated") && r.out().contains("tiles=9")
        && r.out().contains("halo=34"), r.out());
    ImagePlus p = new Opener().openImage(out.toString());
    assertEquals(32, p.getBitDepth());
    assertEquals(3, p.getNChannels());
    assertEquals(512, p.getWidth());
    assertEquals(0.5, p.getCalibration().pixelWidth, 1e-9);
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
  }

  @Test
  void gpuThatIsNotThereIsAnErrorNotACpuRun() {
    Cli r = Cli.run("segment", "--device", "gpu", "--engine", "onnx", "-o",
        tmp.resolve("x.tif").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("GPU"), r.err());
    assertTrue(Files.notExists(tmp.resolve("x.tif")));
  }
}
