package org.fovea.plugins.instances;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.fovea.ops.instances.ObjectStats;
import org.fovea.ops.net.FoveaException;

/**
 * Object measurements as CSV: one row per object.
 *
 * @since 0.1.0
 */
public final class ObjectTable {

  /** The header row. */
  public static final String HEADER = "label,area,centroid_x,centroid_y,bbox_x,bbox_y,bbox_width,"
      + "bbox_height,mean_intensity,score";

  private ObjectTable() {}

  /**
   * @param o one object
   * @return its CSV row (centroid with pixel centres at whole coordinates)
   */
  public static String row(ObjectStats o) {
    return String.format(Locale.ROOT, "%d,%d,%.3f,%.3f,%d,%d,%d,%d,%.6g,%.6g", o.label(), o.area(),
        o.centroidX(), o.centroidY(), o.minX(), o.minY(), o.width(), o.height(), o.meanIntensity(),
        o.score());
  }

  /**
   * Writes the table atomically (temporary name in the same folder, then rename).
   *
   * @param objects the rows
   * @param dest the CSV file
   */
  public static void write(List<ObjectStats> objects, Path dest) {
    Path dir = dest.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + dest.getFileName() + "." + ProcessHandle.current().pid() + "."
        + System.nanoTime() + ".part");
    try {
      Files.createDirectories(dir);
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(HEADER);
        w.write('\n');
        for (ObjectStats o : objects) {
          w.write(row(o));
          w.write('\n');
        }
      }
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the original failure is the one to report
      }
      throw new FoveaException("could not write " + dest + " (" + e.getMessage() + "): check that"
          + " the folder is writable and the disk has space", e);
    }
  }
}
