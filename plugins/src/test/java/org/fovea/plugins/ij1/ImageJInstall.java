package org.fovea.plugins.ij1;

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

/**
 * The packaged plugin jar installed in a real ImageJ 1 ({@code ij.jar} from Maven Central) as a
 * user installs it, {@code plugins/Fovea_-VERSION.jar} and its dependencies in {@code jars/}, and
 * run under Xvfb; shared by the {@code *MacroIT} tests.
 *
 * @param tmp the test's temporary folder
 * @param home the ImageJ folder
 * @param ijJar ImageJ's jar
 */
record ImageJInstall(Path tmp, Path home, Path ijJar) {

  /** What a run printed (standard output and error together) and its exit code. */
  record Run(int code, String output) {}

  /** @return whether ImageJ can run here (xvfb-run is on the path, or this is CI) */
  static boolean possible() {
    return onPath("xvfb-run") || System.getenv("CI") != null;
  }

  /**
   * @param tmp a temporary folder
   * @return the installation in {@code tmp/ImageJ}
   * @throws IOException when a file cannot be copied or linked
   */
  static ImageJInstall in(Path tmp) throws IOException {
    Path home = Files.createDirectories(tmp.resolve("ImageJ"));
    Path jar = Paths.get(System.getProperty("fovea.plugin.jar"));
    Files.createDirectories(home.resolve("plugins"));
    Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
    Path jars = Files.createDirectories(home.resolve("jars"));
    String cp = Files.readString(Paths.get(System.getProperty("fovea.classpath"))).strip();
    Path ij = null;
    for (String entry : cp.split(File.pathSeparator)) {
      Path p = Paths.get(entry);
      if (p.getFileName().toString().matches("ij-[0-9].*\\.jar")) {
        ij = p;
      } else {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
      }
    }
    return new ImageJInstall(tmp, home, ij);
  }

  /**
   * Runs a main class with ImageJ and the test classes on the class path, within 5 minutes.
   *
   * @param main the class, such as {@code ij.ImageJ}
   * @param args its arguments
   * @return what it printed and its exit code
   * @throws Exception when it cannot start or does not finish in time
   */
  Run run(String main, String... args) throws Exception {
    return run(List.of(), main, args);
  }

  /**
   * Runs a main class with ImageJ and the test classes on the class path, within 5 minutes.
   *
   * @param jvm extra Java options, such as {@code -Dfovea.engine=...}
   * @param main the class, such as {@code ij.ImageJ}
   * @param args its arguments
   * @return what it printed and its exit code
   * @throws Exception when it cannot start or does not finish in time
   */
  Run run(List<String> jvm, String main, String... args) throws Exception {
    String testClasses = Paths.get(RecordingProbe.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()).toString();
    List<String> cmd = new ArrayList<>(List.of("xvfb-run", "-a", javaBin(), "-Xmx2g",
        "-Dplugins.dir=" + home, "-Duser.home=" + tmp.resolve("home"),
        "-Dfovea.root=" + System.getProperty("fovea.root")));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", ijJar + File.pathSeparator + testClasses, main));
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
