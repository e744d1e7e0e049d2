package org.fovea.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.fovea.ops.net.FoveaException;

/**
 * A class path as one small jar whose manifest lists the entries ({@code Class-Path}), so that an
 * executor's command line stays short.
 *
 * <p>This is not cosmetic: ONNX Runtime 1.29's native environment setup crashes the JVM
 * (SIGSEGV, no error file) on a thread with the default 1 MiB stack when the process's command
 * line is long (measured: a 2,200-character class path works, 5,700 crashes); Spark's standalone
 * worker otherwise passes the whole class path to {@code java -cp}.
 *
 * @since 0.1.0
 */
public final class ClassPathJar {

  private ClassPathJar() {}

  /**
   * Writes (once per distinct class path) {@code fovea-classpath-HASH.jar} into a folder.
   *
   * @param classPath entries separated by {@link File#pathSeparator}
   * @param dir the folder (on a multi-machine cluster: one every worker sees at the same path)
   * @return the jar
   */
  public static Path write(String classPath, Path dir) {
    StringBuilder urls = new StringBuilder();
    for (String e : classPath.split(File.pathSeparator)) {
      if (!e.isBlank()) {
        urls.append(urls.length() == 0 ? "" : " ")
            .append(Path.of(e).toAbsolutePath().toUri().toASCIIString());
      }
    }
    try {
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(urls.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
      Files.createDirectories(dir);
      Path jar = dir.resolve("fovea-classpath-" + hash + ".jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
      Manifest m = new Manifest();
      m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      m.getMainAttributes().put(Attributes.Name.CLASS_PATH, urls.toString());
      Path tmp = Files.createTempFile(dir, ".fovea-classpath", ".part");
      try (OutputStream o = Files.newOutputStream(tmp); JarOutputStream j = new JarOutputStream(o, m)) {
        j.flush();
      }
      Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return jar;
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new FoveaException("could not write the executors' class path jar in " + dir + " ("
          + e.getMessage() + "): check that the folder is writable", e);
    }
  }
}
