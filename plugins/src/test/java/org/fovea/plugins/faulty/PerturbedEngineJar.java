package org.fovea.plugins.faulty;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A deliberately faulty engine as a third party would ship it: a jar with one {@code
 * EngineProvider}, {@code perturbed}, that runs ONNX weights on the real ONNX Runtime and adds 0.01
 * to every output. It is compiled when a test asks for it, so that it is on no class path unless a
 * test puts it there (the other tests never see it, and ImageJ loads it from its {@code jars/}).
 */
public final class PerturbedEngineJar {

  /** The engine's name, for {@code --engine} and {@code -Dfovea.engine}. */
  public static final String ENGINE = "perturbed";

  private static final String SOURCE = """
      package perturbed;

      import java.nio.file.Path;
      import java.util.EnumSet;
      import java.util.LinkedHashMap;
      import java.util.List;
      import java.util.Map;
      import java.util.Set;
      import org.fovea.models.engine.EngineProvider;
      import org.fovea.models.engine.OnnxRuntimeEngine;
      import org.fovea.models.pkg.WeightFormat;
      import org.fovea.ops.net.Network;
      import org.fovea.ops.net.Tensor;
      import org.fovea.ops.net.TensorSpec;

      public final class PerturbedEngine implements EngineProvider {
        private final OnnxRuntimeEngine ort = new OnnxRuntimeEngine();

        public String name() { return "perturbed"; }
        public Set<WeightFormat> formats() { return EnumSet.of(WeightFormat.ONNX); }
        public int rank(WeightFormat f) { return 100; }
        public String version() { return "onnxruntime " + ort.version() + " + 0.01"; }
        public String unavailableReason() { return ort.unavailableReason(); }
        public List<String> devices() { return List.of("cpu"); }

        public Network load(Path w, List<TensorSpec> in, List<TensorSpec> out, String device) {
          Network n = ort.load(w, in, out, device);
          return new Network() {
            public List<TensorSpec> inputs() { return n.inputs(); }
            public List<TensorSpec> outputs() { return n.outputs(); }
            public Map<String, Tensor> predict(Map<String, Tensor> x) {
              Map<String, Tensor> r = new LinkedHashMap<>();
              n.predict(x).forEach((k, t) -> {
                float[] d = t.data().clone();
                for (int i = 0; i < d.length; i++) {
                  d[i] += 0.01f;
                }
                r.put(k, new Tensor(t.axes(), t.shape(), d));
              });
              return r;
            }
            public String engine() { return "perturbed"; }
            public String device() { return n.device(); }
            public void close() { n.close(); }
          };
        }
      }
      """;

  private PerturbedEngineJar() {}

  /** @return the class path the tests run with */
  public static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /**
   * Compiles the engine against the test class path and packs it with its service file.
   *
   * @param dir a scratch folder
   * @return the jar
   * @throws IOException when a file cannot be written
   */
  public static Path build(Path dir) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/perturbed"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path file = src.resolve("PerturbedEngine.java");
    Files.writeString(file, SOURCE);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", testClassPath(),
        file.toString());
    if (rc != 0) {
      throw new IllegalStateException("the perturbed engine did not compile");
    }
    Path jar = dir.resolve("perturbed_engine.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> s = Files.walk(classes)) {
      for (Path c : s.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace(File.separator,
            "/")));
        Files.copy(c, out);
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("META-INF/services/org.fovea.models.engine.EngineProvider"));
      OutputStream o = out;
      o.write("perturbed.PerturbedEngine\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /**
   * @param jar the engine jar
   * @return the test class path with the jar after it
   */
  public static String classPathWith(Path jar) {
    return String.join(File.pathSeparator, List.of(testClassPath(), jar.toString()));
  }
}
