package org.fovea.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum the Fiji updater records for a file in {@code db.xml.gz} and compares with the file
 * it downloads, as {@code net.imagej.updater.util.UpdaterUtil.getDigest} (imagej-updater, read at
 * commit {@code ea5f12ef}) defines it: SHA-1, written as 40 lowercase hex digits, of
 *
 * <ul>
 *   <li>a file other than a {@code .jar}: its path inside Fiji.app ({@code /}-separated, ASCII),
 *       then its bytes;
 *   <li>a {@code .jar}: for every entry (directories too), sorted by name: the name (ASCII), then
 *       the content, where {@code *.properties} entries lose their comment lines (see {@link
 *       #withoutComments}, so that the date {@code pom.properties} carries does not count) and
 *       {@code META-INF/MANIFEST.MF} adds nothing (the updater keeps only a {@code Main-Class}
 *       line, but compares the upper-cased line with the mixed-case {@code "Main-Class:"}, so no
 *       line is ever kept).
 * </ul>
 *
 * @since 0.3.0
 */
public final class UpdaterChecksum {

  private UpdaterChecksum() {}

  /**
   * @param fijiPath the file's path inside Fiji.app, such as {@code jars/x-1.0.jar}
   * @param file the file
   * @return the updater's checksum of it
   * @throws IOException when the file cannot be read
   */
  public static String of(String fijiPath, Path file) throws IOException {
    MessageDigest sha1 = sha1();
    if (fijiPath.endsWith(".jar")) {
      try (JarFile jar = new JarFile(file.toFile())) {
        List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()));
        entries.sort((a, b) -> a.getName().compareTo(b.getName()));
        for (JarEntry e : entries) {
          sha1.update(e.getName().getBytes(StandardCharsets.US_ASCII));
          if (e.getName().equals("META-INF/MANIFEST.MF")) {
            continue;
          }
          try (InputStream in = jar.getInputStream(e)) {
            if (e.getName().endsWith(".properties")) {
              sha1.update(withoutComments(in.readAllBytes()));
            } else {
              update(sha1, in); // native libraries inside the engines' jars are hundreds of MB
            }
          }
        }
      }
    } else {
      sha1.update(fijiPath.getBytes(StandardCharsets.US_ASCII));
      try (InputStream in = Files.newInputStream(file)) {
        update(sha1, in);
      }
    }
    return HexFormat.of().formatHex(sha1.digest());
  }

  /**
   * A {@code .properties} entry as the updater hashes it ({@code SkipHashedLines}): a {@code #}
   * at the start of a line drops the line's text up to, not including, its {@code \n}. Its reader
   * has two quirks, reproduced here: a byte read at a line start that is not {@code #} ends the
   * line start even when it is a {@code \n} (so after an empty line, or after a comment line
   * that was only {@code #} characters, the next line's {@code #} is kept), and a comment cut by
   * the end of the file ends the content.
   *
   * @param in the entry's bytes
   * @return the bytes the updater hashes
   */
  static byte[] withoutComments(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    boolean lineStart = true;
    int i = 0;
    while (i < in.length) {
      byte b = in[i++];
      if (!lineStart || b != '#') {
        out.write(b);
        lineStart = !lineStart && b == '\n';
        continue;
      }
      // a comment: further '#' are read at a line start too; the first other byte ends the
      // line start; the comment ends at the next '\n', which is kept
      while (i < in.length && in[i] == '#') {
        i++;
      }
      if (i == in.length) {
        break;
      }
      if (in[i] == '\n') {
        i++;
        out.write('\n');
        lineStart = false;
        continue;
      }
      while (i < in.length && in[i] != '\n') {
        i++;
      }
      if (i == in.length) {
        break;
      }
      i++;
      out.write('\n');
      lineStart = true;
    }
    return out.toByteArray();
  }

  private static void update(MessageDigest d, InputStream in) throws IOException {
    byte[] buf = new byte[1 << 16];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      d.update(buf, 0, n);
    }
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
    }
  }
}
