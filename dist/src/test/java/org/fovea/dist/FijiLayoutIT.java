package org.fovea.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The update-site folders that {@code mvn package} writes: what is in them, what is not, and that
 * the core part runs with only what Fiji itself ships beside it.
 */
class FijiLayoutIT {

  private static final Path DIST = Path.of(System.getProperty("fovea.dist"));
  private static final Path CORE = DIST.resolve("fiji");
  private static final Path PYTORCH = DIST.resolve("fiji-pytorch");
  private static final Path TENSORFLOW = DIST.resolve("fiji-tensorflow");
  private static final String VERSION = System.getProperty("fovea.version");

  @Test
  void coreJarsAreFoveaAndOnnxRuntimeWithTheirSmallDependencies() throws IOException {
    // onnxruntime, or onnxruntime_gpu in a -Pgpu build; zstd-jni and blosc-java: Zarr chunk codecs
    String ort = System.getProperty("fovea.ort.artifact", "onnxruntime");
    assertEquals(new TreeSet<>(List.of("blosc-java", "fovea-cli", "fovea-io", "fovea-models",
        "fovea-ops", "gson", ort, "picocli", "snakeyaml", "zstd-jni")),
        artifacts(CORE.resolve("jars")));
    assertEquals(List.of("Fovea_-" + VERSION + ".jar"), names(CORE.resolve("plugins")));
  }

  @Test
  void enginesAreSeparatePartsWithTheirNativesUnderLinux64() throws IOException {
    assertEquals(new TreeSet<>(List.of("api", "commons-codec", "commons-compress", "commons-io",
        "jna", "pytorch-engine", "pytorch-jni")), artifacts(PYTORCH.resolve("jars")));
    assertEquals(List.of("pytorch-native-cpu-2.7.1-linux-x86_64.jar"),
        names(PYTORCH.resolve("jars/linux64")));
    assertEquals(new TreeSet<>(List.of("javacpp", "ndarray", "protobuf-java", "tensorflow-core-api",
        "tensorflow-core-native")), artifacts(TENSORFLOW.resolve("jars")));
    List<String> tfNatives = names(TENSORFLOW.resolve("jars/linux64"));
    assertEquals(1, tfNatives.size(), tfNatives.toString());
    assertTrue(tfNatives.get(0).matches("tensorflow-core-native-1\\.1\\.0-linux-x86_64(-gpu)?\\.jar"),
        tfNatives.get(0));
  }

  @Test
  void noJarAppearsTwiceAndNothingFijiShipsIsIncluded() throws IOException {
    List<Path> all = jars(DIST.resolve("fiji"), PYTORCH, TENSORFLOW);
    Set<String> seen = new HashSet<>();
    for (Path p : all) {
      String name = p.getFileName().toString();
      // a native jar shares its artifact with its Java jar; the classifier tells them apart
      assertTrue(seen.add(artifact(name) + (name.contains("linux-x86_64") ? "-natives" : "")),
          "twice: " + name);
      assertTrue(!name.startsWith("ij-") && !name.startsWith("scijava") && !name.startsWith("imglib2")
          && !name.startsWith("slf4j") && !name.startsWith("parsington"), "Fiji ships " + name);
    }
    assertTrue(all.size() > 20, "only " + all.size() + " jars");
  }

  @Test
  void pluginJarDeclaresTheMenuEntriesAndTheSciJavaCommands() throws IOException {
    try (ZipFile z = new ZipFile(CORE.resolve("plugins/Fovea_-" + VERSION + ".jar").toFile())) {
      String config = new String(z.getInputStream(z.getEntry("plugins.config")).readAllBytes(),
          StandardCharsets.UTF_8);
      for (String entry : List.of("\"Fovea Segment\"", "\"Fovea About\"",
          "\"Fovea Receptive Field Table\"")) {
        assertTrue(config.contains(entry), entry + " missing from plugins.config:\n" + config);
      }
      String index = new String(z.getInputStream(
          z.getEntry("META-INF/json/org.scijava.plugin.Plugin")).readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(index.contains("org.fovea.plugins.fiji.AboutFovea"), index);
      assertTrue(index.contains("org.fovea.plugins.fiji.SegmentImage"), index);
    }
  }

  @Test
  void everyExampleMacroIsInMacrosAndScripts() throws IOException {
    List<String> macros = names(Path.of(System.getProperty("fovea.root")).resolve("macros"));
    assertTrue(!macros.isEmpty());
    assertEquals(macros, names(CORE.resolve("macros/Fovea")));
    assertEquals(macros, names(CORE.resolve("scripts/Plugins/Fovea/Examples")));
  }

  @Test
  void coreAloneRunsOnnxModelsAndNamesTheMissingEngines() throws Exception {
    Run doctor = fovea(List.of(CORE), "doctor");
    assertEquals(0, doctor.code(), doctor.text());
    assertTrue(doctor.text().matches("(?s).*\\nonnxruntime +1\\.29\\.0 +onnx +ok +cpu.*"),
        doctor.text());
    assertTrue(doctor.text().contains("pytorch cannot run: pytorch is not installed: copy the"
        + " fiji-pytorch part"), doctor.text());
    assertTrue(doctor.text().contains("tensorflow cannot run: TensorFlow Java is not installed"),
        doctor.text());

    Path out = Files.createTempDirectory("fovea-dist").resolve("p.tif");
    Run seg = fovea(List.of(CORE), "segment", "--tile", "256", "-o", out.toString());
    assertEquals(0, seg.code(), seg.text());
    assertTrue(seg.text().contains("engine=onnxruntime device=cpu tiles=4"), seg.text());
    assertTrue(Files.size(out) > 512 * 512 * 3 * 4, "output too small");
  }

  @Test
  void withBothEnginePartsEveryEngineLoads() throws Exception {
    Run doctor = fovea(List.of(CORE, PYTORCH, TENSORFLOW), "doctor");
    assertEquals(0, doctor.code(), doctor.text());
    for (String e : List.of("onnxruntime", "pytorch", "tensorflow")) {
      assertTrue(doctor.text().matches("(?s).*\\n" + e + " +\\S+ +\\S+ +ok +cpu.*"), doctor.text());
    }
  }

  private record Run(int code, String text) {}

  /** Runs the command line from the given parts plus the jars Fiji itself ships. */
  private static Run fovea(List<Path> parts, String... args) throws Exception {
    List<String> cp = new ArrayList<>();
    for (Path p : jars(parts.toArray(Path[]::new))) {
      cp.add(p.toString());
    }
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String n = Path.of(e).getFileName().toString();
      if (n.matches("(ij|scijava-common|parsington|imglib2|slf4j-api)-[0-9].*\\.jar")) {
        cp.add(e);
      }
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Xmx1g", "-Dfovea.root=" + System.getProperty("fovea.root"),
        "-Duser.home=" + System.getProperty("user.home"), "-cp", String.join(File.pathSeparator, cp),
        "org.fovea.cli.FoveaCli"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fovea " + String.join(" ", args) + " hung");
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static List<Path> jars(Path... parts) throws IOException {
    List<Path> l = new ArrayList<>();
    for (Path part : parts) {
      try (Stream<Path> s = Files.walk(part)) {
        s.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(l::add);
      }
    }
    return l;
  }

  private static Set<String> artifacts(Path dir) throws IOException {
    Set<String> s = new TreeSet<>();
    try (Stream<Path> l = Files.list(dir)) {
      l.filter(f -> f.toString().endsWith(".jar"))
          .forEach(f -> s.add(artifact(f.getFileName().toString())));
    }
    return s;
  }

  /** {@code name-1.2.3(-classifier).jar} to {@code name}: everything before the first "-digit". */
  private static String artifact(String jar) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-[0-9]").matcher(jar);
    return m.find() ? jar.substring(0, m.start()) : jar.replace(".jar", "");
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> l = Files.list(dir)) {
      return l.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
