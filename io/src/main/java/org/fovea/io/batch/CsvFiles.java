package org.fovea.io.batch;

import org.fovea.models.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.fovea.ops.net.FoveaException;

/** Small CSV files written atomically, with RFC 4180 quoting. */
final class CsvFiles {

  private CsvFiles() {}

  /** @return the field, quoted when it holds a comma, a quote or a line break */
  static String field(String s) {
    if (s == null) {
      return "";
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  /** Writes rows (already joined) under a temporary name, then renames. */
  static void write(Path dest, String header, List<String> rows) {
    StringBuilder b = new StringBuilder(header).append('\n');
    rows.forEach(r -> b.append(r).append('\n'));
    AtomicFiles.writeString(dest, b);
  }
}
