package org.fovea.io.zarr;

import org.fovea.models.AtomicFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.fovea.ops.net.FoveaException;

/**
 * File operations of a folder store: atomic file writes and the swap of a finished store into
 * place.
 *
 * @since 0.1.0
 */
public final class Store {

  static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
      .disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

  private Store() {}

  /**
   * Writes a file under a hidden temporary name in its folder, then renames it.
   *
   * @param p the file
   * @param bytes its content
   * @throws IOException when it cannot be written
   */
  public static void writeAtomically(Path p, byte[] bytes) throws IOException {
    AtomicFiles.writeBytes(p, bytes);
  }

  /**
   * @param dest where a store will go
   * @return a fresh hidden folder name beside it, to build the store in
   */
  public static Path temporaryFor(Path dest) {
    return AtomicFiles.temporaryFor(dest);
  }

  /**
   * Moves a finished store from its temporary folder to its place; a store already there is
   * replaced only after the new one is in place beside it, so a failure never loses it.
   *
   * @param tmp the finished store
   * @param dest its final path
   */
  public static void commit(Path tmp, Path dest) {
    Path abs = dest.toAbsolutePath();
    Path old = null;
    try {
      if (Files.exists(abs)) {
        old = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid()
            + "." + System.nanoTime() + ".old");
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        if (old != null) {
          Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
          old = null;
        }
        throw e;
      }
      if (old != null) {
        deleteTree(old);
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new FoveaException("cannot move the finished store to " + dest + ": write it on the"
          + " same file system as its folder", e);
    } catch (IOException e) {
      throw new FoveaException("could not finish " + dest + " (" + e.getMessage() + "): check"
          + " that the folder is writable", e);
    }
  }

  /**
   * Deletes a folder and everything in it (no error when it is absent).
   *
   * @param dir the folder
   */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          Files.delete(f);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new FoveaException("could not delete " + dir + " (" + e.getMessage() + ")", e);
    }
  }
}
