package org.fovea.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrows between the modules point one way ({@code ops → models → io → cli | plugins}, {@code
 * cluster → io}, {@code site} on top): no production class imports a module above its own or
 * beside it, and the modules import no engine, UI or command-line library they must not. The
 * README's architecture picture states the same; this test reads every production source file of
 * every module, so an upward import fails the build. (It lives in {@code dist}, the last module of
 * the build, which sees them all.)
 */
class ModuleArrowsTest {

  /** Per module: the Fovea packages (and other libraries) its production code may import. */
  private static final Map<String, List<String>> ALLOWED = Map.of(
      "ops", List.of("org.fovea.ops"),
      "models", List.of("org.fovea.ops", "org.fovea.models"),
      "io", List.of("org.fovea.ops", "org.fovea.models", "org.fovea.io"),
      "cli", List.of("org.fovea.ops", "org.fovea.models", "org.fovea.io", "org.fovea.cli"),
      "plugins", List.of("org.fovea.ops", "org.fovea.models", "org.fovea.io", "org.fovea.plugins"),
      "cluster", List.of("org.fovea.ops", "org.fovea.models", "org.fovea.io", "org.fovea.cluster"),
      "site", List.of("org.fovea.ops", "org.fovea.models", "org.fovea.io", "org.fovea.cli",
          "org.fovea.plugins", "org.fovea.site"),
      // the update-site builder reads jars and writes db.xml.gz: it uses no Fovea code
      "dist", List.of("org.fovea.dist"));

  /** Libraries a module must not import at all, by module. */
  private static final Map<String, List<String>> FORBIDDEN = Map.of(
      "ops", List.of("ai.djl", "ai.onnxruntime", "org.tensorflow", "ij.", "org.scijava",
          "picocli"),
      "models", List.of("ij.", "org.scijava", "picocli"),
      "io", List.of("org.scijava", "picocli", "org.apache.spark"),
      "cli", List.of("org.scijava", "org.apache.spark"),
      "plugins", List.of("picocli", "org.apache.spark"),
      "cluster", List.of("org.scijava"));

  private static final Pattern IMPORT = Pattern.compile(
      "^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  private static final Pattern QUALIFIED = Pattern.compile("\\b(org\\.fovea\\.[a-z]+(?:\\.[a-z]+)?)\\.[A-Z]");

  private static Path root() {
    return Path.of(System.getProperty("fovea.root"));
  }

  @Test
  void noModuleImportsAModuleAboveIt() {
    List<String> wrong = new ArrayList<>();
    for (var e : ALLOWED.entrySet()) {
      Path src = root().resolve(e.getKey()).resolve("src/main/java");
      for (Path f : javaFiles(src)) {
        String text = read(f);
        List<String> used = new ArrayList<>();
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          used.add(m.group(1));
        }
        Matcher q = QUALIFIED.matcher(text);
        while (q.find()) {
          used.add(q.group(1) + ".");
        }
        for (String u : used) {
          if (u.startsWith("org.fovea.") && e.getValue().stream().noneMatch(u::startsWith)) {
            wrong.add(root().relativize(f) + " uses " + u);
          }
          for (String bad : FORBIDDEN.getOrDefault(e.getKey(), List.of())) {
            if (u.startsWith(bad)) {
              wrong.add(root().relativize(f) + " imports " + u);
            }
          }
        }
      }
    }
    assertEquals(List.of(), wrong, "imports against the module arrows");
  }

  @Test
  void everyModuleIsChecked() {
    // a new module must be given its arrows here
    List<String> modules = new ArrayList<>();
    try (Stream<Path> s = Files.list(root())) {
      s.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).forEach(
          p -> modules.add(p.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    modules.removeAll(ALLOWED.keySet());
    assertEquals(List.of(), modules, "modules without arrows in ModuleArrowsTest");
  }

  private static List<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
