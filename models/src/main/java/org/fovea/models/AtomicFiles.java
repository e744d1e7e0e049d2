package org.fovea.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.fovea.ops.net.FoveaException;

/**
 * The one way Fovea writes a file: under a hidden temporary name in the destination's folder
 * (so the rename is atomic), then renamed over the destination. A reader sees the old file or
 * the whole new one, never half of it; a failed write leaves no temporary file behind.
 *
 * <pre>{@code
 * AtomicFiles.write(dest, tmp -> new FileSaver(imp).saveAsTiff(tmp.toString()));
 * }</pre>
 *
 * @since 0.2.0
 */
public final class AtomicFiles {

  /** Writes the content of a file at the path it is given. */
  @FunctionalInterface
  public interface Content {
    /**
     * @param tmp where to write (a fresh name; the file does not exist yet)
     * @throws IOException when writing fails
     */
    void writeTo(Path tmp) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * A fresh temporary name for a destination; the temporary files (or Zarr folders) of the same
   * destination left by a process that no longer runs (killed, or its machine rebooted) are
   * removed first, so an interrupted run's debris goes with the next run.
   *
   * @param dest the destination
   * @return a fresh hidden name beside it: {@code .NAME.PID.THREAD.NANOS.part}
   */
  public static Path temporaryFor(Path dest) {
    Path abs = dest.toAbsolutePath();
    removeStale(abs);
    return abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
        + Thread.currentThread().getId() + "." + System.nanoTime() + ".part");
  }

  /**
   * Removes {@code .NAME.PID.*.part} beside {@code dest} whose process is gone. A live process's
   * files (this one's included: another thread may be writing) are left alone.
   */
  static void removeStale(Path dest) {
    Path dir = dest.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    String prefix = "." + dest.getFileName() + ".";
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
      String n = p.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(".part");
    })) {
      for (Path p : s) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dot = rest.indexOf('.');
        long pid;
        try {
          pid = Long.parseLong(dot < 0 ? rest : rest.substring(0, dot));
        } catch (NumberFormatException e) {
          continue; // not one of ours
        }
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          deleteTree(p);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // cleaning is a courtesy: the write itself goes on
    }
  }

  /** Deletes a file, or a folder and everything in it (an unfinished Zarr store). */
  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (var s = Files.walk(p)) {
        for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(q);
        }
      }
    } else {
      Files.deleteIfExists(p);
    }
  }

  /**
   * @param dest the destination (its folder is created when missing)
   * @param content writes the file
   * @throws FoveaException naming the file when it cannot be written
   */
  public static void write(Path dest, Content content) {
    Path tmp = temporaryFor(dest);
    try {
      Files.createDirectories(tmp.getParent());
      content.writeTo(tmp);
      if (!Files.exists(tmp)) {
        throw new IOException("nothing was written");
      }
      move(tmp, dest);
    } catch (IOException e) {
      throw new FoveaException("could not write " + dest + " (" + e.getMessage() + "): check that"
          + " the folder is writable and the disk has space", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the write's own outcome is the one to report
      }
    }
  }

  /**
   * @param dest the destination
   * @param text its content, UTF-8
   */
  public static void writeString(Path dest, CharSequence text) {
    write(dest, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
  }

  /**
   * @param dest the destination
   * @param bytes its content
   */
  public static void writeBytes(Path dest, byte[] bytes) {
    write(dest, tmp -> Files.write(tmp, bytes));
  }

  /**
   * Renames a finished temporary file over its destination, atomically where the file system
   * can.
   *
   * @param tmp the finished file, in the destination's folder
   * @param dest the destination
   * @throws IOException when the rename fails
   */
  public static void move(Path tmp, Path dest) throws IOException {
    try {
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
