package org.fovea.models.pkg;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.function.Executable;

/** Helpers for the package tests: fixture folders, zips and failure messages. */
final class Fixtures {

  private Fixtures() {}

  /**
   * @param name a folder under {@code src/test/resources/pkg}
   * @return its path in the test classes
   */
  static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/pkg/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Copies a folder tree.
   *
   * @param from source folder
   * @param to target folder (created)
   * @return {@code to}
   */
  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  /**
   * Zips a folder tree.
   *
   * @param dir the folder
   * @param zip the archive to write
   * @param prefix a folder name to put everything in, or empty for the top level
   * @return the archive
   */
  static Path zip(Path dir, Path zip, String prefix) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
        Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted().toList()) {
        if (Files.isRegularFile(p)) {
          out.putNextEntry(new ZipEntry(prefix + dir.relativize(p).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(p));
          out.closeEntry();
        }
      }
    }
    return zip;
  }

  /**
   * Writes a zip of the given entries, in order.
   *
   * @param zip the archive
   * @param entries name to content
   * @return the archive
   */
  static Path zipOf(Path zip, List<Map.Entry<String, String>> entries) throws IOException {
    try (OutputStream os = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (Map.Entry<String, String> e : entries) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return zip;
  }

  /**
   * @param code code that must fail
   * @param mustContain texts the message must contain
   * @return the message
   */
  static String fails(Executable code, Object... mustContain) {
    FoveaException e = assertThrows(FoveaException.class, code);
    String m = e.getMessage();
    for (Object s : mustContain) {
      assertTrue(m.contains(String.valueOf(s)), () -> "message lacks '" + s + "': " + m);
    }
    return m;
  }

  /**
   * @param dir a folder
   * @return the regular files under it
   */
  static List<Path> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
