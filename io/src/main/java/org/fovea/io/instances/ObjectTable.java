package org.fovea.io.instances;

import org.fovea.models.AtomicFiles;
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
    AtomicFiles.write(dest, tmp -> {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(HEADER);
        w.write('\n');
        for (ObjectStats o : objects) {
          w.write(row(o));
          w.write('\n');
        }
      }
    });
  }
}
