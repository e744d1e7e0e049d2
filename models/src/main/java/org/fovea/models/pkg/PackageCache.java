package org.fovea.models.pkg;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.Consumer;
import org.fovea.ops.net.FoveaException;

/**
 * The folder where zipped packages (and zipped TensorFlow SavedModels) are extracted, one
 * sub-folder per archive named after the first 16 hex digits of its SHA-256.
 *
 * <p>The folder is {@code <fovea.cache>/packages} when the system property {@code fovea.cache} is
 * set, else {@code $FOVEA_CACHE/packages}, else {@code ~/.cache/fovea/packages}. An archive is extracted into a temporary folder that
 * is renamed when complete, so a sub-folder that exists is always complete and is reused.
 */
final class PackageCache {

  private PackageCache() {}

  /** @return the folder that holds extracted archives */
  static Path root() {
    return org.fovea.models.engine.NativeCache.root().resolve("packages").toAbsolutePath()
        .normalize();
  }

  /**
   * Extracts an archive, or finds it already extracted.
   *
   * @param zip the archive
   * @param beforeWrite called with the checked entries before anything is written, to refuse an
   *     archive that lacks what the caller needs
   * @return the folder holding the archive's content
   * @throws FoveaException when the archive is unsafe, unreadable or refused by {@code
   *     beforeWrite}
   */
  static Path extract(Path zip, Consumer<List<SafeZip.Entry>> beforeWrite) {
    String hash = Digests.sha256(zip).substring(0, 16);
    Path root = root();
    Path dest = root.resolve(hash);
    if (Files.isDirectory(dest)) {
      return dest;
    }
    List<SafeZip.Entry> entries = SafeZip.inspect(zip, SafeZip.MAX_BYTES, SafeZip.MAX_ENTRIES);
    beforeWrite.accept(entries);
    Path tmp;
    try {
      Files.createDirectories(root);
      tmp = Files.createTempDirectory(root, ".tmp-" + hash + "-");
    } catch (IOException e) {
      throw new FoveaException("cannot create a folder in " + root + " to extract " + zip + " ("
          + e.getMessage() + "); make it writable or set the system property fovea.cache to a "
          + "writable folder", e);
    }
    try {
      SafeZip.extract(zip, tmp, SafeZip.MAX_BYTES, SafeZip.MAX_ENTRIES);
      try {
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dest);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      if (Files.isDirectory(dest)) {
        // another process extracted the same archive at the same time: use its copy
        return dest;
      }
      throw new FoveaException("cannot move the extracted " + zip + " to " + dest + " ("
          + e.getMessage() + "); check that " + root + " is writable", e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
    return dest;
  }

  /**
   * Deletes a folder tree, ignoring failures.
   *
   * @param dir the folder
   */
  static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          Files.deleteIfExists(f);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a leftover temporary folder is harmless: it is never used
    }
  }
}
