package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's Java API copies every input into direct (off-heap) memory. A JVM whose direct
 * memory is capped below one tile's input gets one sentence naming the flag and the way around it,
 * exit code 2, and no output file, finished or temporary. The cap is a JVM flag, so the command
 * runs in a fresh JVM.
 */
class DirectMemoryTest {

  @TempDir
  Path tmp;

  @Test
  void tooLittleDirectMemoryForATileIsOneSentenceAndNothingWritten() throws Exception {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    List<String> cmd = List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:MaxDirectMemorySize=100k",
        "-Dfovea.root=" + System.getProperty("fovea.root"),
        "-Dfovea.cache=" + tmp.resolve("cache"), "-Duser.home=" + tmp,
        "-cp", System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path")),
        FoveaCli.class.getName(), "segment", "--no-verify", "--engine", "onnx", "--tile", "200",
        "-o", out.resolve("p.tif").toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), text);
    assertTrue(text.contains("fovea: Java has no direct memory left for ONNX Runtime's input (")
        && text.contains("allow more with -XX:MaxDirectMemorySize"), text);
    assertTrue(text.lines().noneMatch(l -> l.trim().startsWith("at ")), "no stack trace: " + text);
    try (var files = Files.list(out)) {
      assertEquals(0, files.count(), "nothing written, not even a temporary file");
    }
  }
}
