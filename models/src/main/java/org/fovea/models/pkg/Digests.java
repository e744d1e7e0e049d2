package org.fovea.models.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.fovea.ops.net.FoveaException;

/** SHA-256 checksums of files. */
public final class Digests {

  private Digests() {}

  /**
   * @param file a file
   * @return its SHA-256, lowercase hex
   * @throws FoveaException when the file cannot be read
   */
  public static String sha256(Path file) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int r; (r = in.read(buf)) >= 0; ) {
        md.update(buf, 0, r);
      }
    } catch (IOException e) {
      throw new FoveaException("cannot read " + file + " (" + e.getMessage()
          + "); check that the file exists and is readable", e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Checks a file against an expected SHA-256.
   *
   * @param file the file
   * @param expected the expected hex digest (any case)
   * @param what how to call the file in the message, such as {@code weights file}
   * @param rdf the description that gives the digest
   * @throws FoveaException on mismatch
   */
  static void verify(Path file, String expected, String what, Path rdf) {
    String found = sha256(file);
    String want = expected.trim().toLowerCase(java.util.Locale.ROOT);
    if (!found.equals(want)) {
      throw new FoveaException(what + " " + file + " does not match the sha256 in rdf.yaml at "
          + rdf + " (expected " + want + ", found " + found + "): the file is corrupt or was "
          + "replaced; re-download or re-export the package");
    }
  }

  /**
   * The SHA-256 of a weights file, or of a weights folder (a SavedModel): the digest of each file's
   * relative path and SHA-256, in path order.
   *
   * @param weights a file or folder
   * @return the hex digest
   * @throws FoveaException when it cannot be read
   */
  public static String fingerprint(Path weights) {
    if (!Files.isDirectory(weights)) {
      return sha256(weights);
    }
    try (java.util.stream.Stream<Path> s = Files.walk(weights)) {
      StringBuilder all = new StringBuilder();
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        all.append(weights.relativize(f).toString().replace('\\', '/')).append('\0')
            .append(sha256(f)).append('\n');
      }
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(
          all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new FoveaException("cannot read " + weights + " (" + e.getMessage()
          + "); check that the folder exists and is readable", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
  }
}
