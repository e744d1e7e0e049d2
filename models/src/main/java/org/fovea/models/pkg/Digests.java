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
final class Digests {

  private Digests() {}

  /**
   * @param file a file
   * @return its SHA-256, lowercase hex
   * @throws FoveaException when the file cannot be read
   */
  static String sha256(Path file) {
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
}
