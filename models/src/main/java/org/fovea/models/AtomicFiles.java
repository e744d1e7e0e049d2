package org.fovea.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
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
   * @param dest the destination
   * @return a fresh hidden name beside it: {@code .NAME.PID.NANOS.part}
   */
  public static Path temporaryFor(Path dest) {
    Path abs = dest.toAbsolutePath();
    return abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
        + Thread.currentThread().getId() + "." + System.nanoTime() + ".part");
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
