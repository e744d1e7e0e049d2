package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An engine whose natives cannot load gives one sentence naming what to install and a non-zero
 * exit. Natives load once per process, so each case runs the command line in a fresh JVM.
 */
class NativesMissingTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @CsvSource({
    // engine, how its natives go missing, what the message says
    "onnx,       -Donnxruntime.native.path=/nonexistent,              ONNX Runtime natives could not be loaded",
    "pytorch,    drop:pytorch-native-cpu,                              PyTorch natives could not be loaded",
    "tensorflow, -Dorg.bytedeco.javacpp.platform=windows-x86_64,      TensorFlow natives could not be loaded"
  })
  void engineWithoutNativesSaysWhatToInstall(String engine, String breakage, String expected)
      throws Exception {
    List<String> cp = new ArrayList<>(Arrays.asList(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
            .split(File.pathSeparator)));
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dfovea.root=" + System.getProperty("fovea.root"),
        "-Dfovea.cache=" + tmp.resolve("cache"), "-Duser.home=" + tmp));
    if (breakage.startsWith("drop:")) {
      cp.removeIf(e -> e.contains(breakage.substring(5)));
    } else {
      cmd.add(breakage);
    }
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), FoveaCli.class.getName(),
        "models", "validate", "nuclei-dilated", "--engine", engine));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("DJL_CACHE_DIR");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue(), out);
    String line = out.lines().filter(l -> l.contains(expected)).collect(Collectors.joining());
    assertTrue(line.contains(expected) && line.contains("FAIL"), out);
  }
}
