package org.fovea.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.fovea.ops.net.FoveaException;

/**
 * {@code failures.csv}: the files of a job that failed, with their sentences; written only when
 * some failed (atomically), removed when a later run has none.
 *
 * @since 0.1.0
 */
public final class Failures {

  private Failures() {}

  /**
   * @param dest the CSV file
   * @param results the job's results
   */
  public static void write(Path dest, List<FileResult> results) {
    List<FileResult> failed = results.stream().filter(FileResult::failed).toList();
    try {
      if (failed.isEmpty()) {
        Files.deleteIfExists(dest);
        return;
      }
      StringBuilder b = new StringBuilder("file,error\n");
      for (FileResult r : failed) {
        b.append(quote(r.file())).append(',').append(quote(r.error())).append('\n');
      }
      org.fovea.models.AtomicFiles.writeString(dest, b);
    } catch (IOException e) {
      throw new FoveaException("could not write " + dest + " (" + e.getMessage() + "): check that"
          + " the folder is writable", e);
    }
  }

  private static String quote(String s) {
    return "\"" + (s == null ? "" : s.replace("\"", "\"\"")) + "\"";
  }
}
