package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fovea.plugins.fiji.Probabilities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin jar in a real ImageJ 1 ({@code ij.jar} from Maven Central, under Xvfb), laid
 * out as a user installs it: {@code plugins/Fovea_-VERSION.jar} and its dependencies in
 * {@code jars/}. Runs the shipped example macro and checks what it saved.
 */
class SegmentMacroIT {

  @TempDir
  static Path tmp;

  private static Path home;
  private static Path ijJar;

  @BeforeAll
  static void installPlugin() throws IOException {
    assumeTrue(onPath("xvfb-run") || System.getenv("CI") != null,
        "xvfb-run is missing (apt-get install xvfb); outside CI the ImageJ macro test is skipped");
    home = Files.createDirectories(tmp.resolve("ImageJ"));
    Path jar = Paths.get(System.getProperty("fovea.plugin.jar"));
    Files.createDirectories(home.resolve("plugins"));
    Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
    Path jars = Files.createDirectories(home.resolve("jars"));
    String cp = Files.readString(Paths.get(System.getProperty("fovea.classpath"))).strip();
    for (String entry : cp.split(File.pathSeparator)) {
      Path p = Paths.get(entry);
      if (p.getFileName().toString().matches("ij-[0-9].*\\.jar")) {
        ijJar = p;
      } else {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
      }
    }
  }

  @Test
  void theSampleMacroSavesWhatImageFilesSegmentComputes() throws Exception {
    // setup
    Path out = tmp.resolve("out").resolve("probabilities.tif");
    Files.createDirectories(out.getParent());
    Path macro = Paths.get(System.getProperty("fovea.root"), "macros", "segment_sample.ijm");
    // process
    Run r = imagej("ij.ImageJ", "-batch", macro.toString(), Probabilities.sample() + "," + out);
    // test
    assertTrue(Files.isRegularFile(out), r.output());
    assertTrue(r.output().contains("Fovea Segment: "), r.output());
    ImagePlus p = new Opener().openImage(out.toString());
    assertEquals(32, p.getBitDepth());
    assertEquals(3, p.getNChannels());
    assertEquals(512, p.getWidth());
    assertTrue(p.isComposite(), "one LUT per class");
    assertEquals(0.5, p.getCalibration().pixelWidth, 1e-9);
    ImagePlus reference = Probabilities.reference(new Opener().openImage(
        Probabilities.sample().toString()), 128);
    assertTrue(Probabilities.maxAbsDiff(p, reference) <= 1e-6);
  }

  @Test
  void aMisspelledKeyStopsTheMacroWithOneSentenceAndNoFile() throws Exception {
    Path out = tmp.resolve("bad.tif");
    Path macro = tmp.resolve("bad_key.ijm");
    Files.writeString(macro, "open(\"" + Probabilities.sample() + "\");\n"
        + "run(\"Fovea Segment\", \"model=[nuclei-dilated] tiles=128\");\n"
        + "saveAs(\"Tiff\", \"" + out + "\");\n");
    Run r = imagej("ij.ImageJ", "-batch", macro.toString());
    assertTrue(r.output().contains("Fovea Segment: unknown option 'tiles' (the options are model,"
        + " engine, tile, device): correct the run(\"Fovea Segment\", ...) line"), r.output());
    assertFalse(Files.exists(out));
  }

  @Test
  void theRecorderRecordsTheRunLineWithEveryKey() throws Exception {
    Run r = imagej(RecordingProbe.class.getName(), Probabilities.sample().toString(),
        "model=[nuclei-dilated] tile=256");
    assertTrue(r.output().contains("RECORDED>>run(\"Fovea Segment\", \"model=nuclei-dilated"
        + " engine=auto tile=256 device=auto\");"), r.output());
  }

  /** What a run printed (standard output and error together) and its exit code. */
  private record Run(int code, String output) {}

  private static Run imagej(String main, String... args) throws Exception {
    String testClasses = Paths.get(RecordingProbe.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()).toString();
    List<String> cmd = new ArrayList<>(List.of("xvfb-run", "-a", javaBin(), "-Xmx2g",
        "-Dplugins.dir=" + home, "-Duser.home=" + tmp.resolve("home"),
        "-Dfovea.root=" + System.getProperty("fovea.root"),
        "-cp", ijJar + File.pathSeparator + testClasses, main));
    cmd.addAll(Arrays.asList(args));
    Path log = Files.createTempFile(tmp, "imagej", ".log");
    Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("ImageJ did not finish in 5 minutes: " + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static String javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static boolean onPath(String program) {
    return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Paths.get(d, program)));
  }
}
