package org.fovea.cli;

import java.io.PrintWriter;
import org.fovea.io.batch.Batch;

/**
 * A one-line progress bar of a batch on standard error: files finished, failures, and the time
 * left, estimated from the files processed so far (skipped files cost nothing).
 */
final class BatchProgress implements Batch.Listener {

  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String label;
  private final long start = System.nanoTime();
  private int processed;
  private int failed;
  private int skipped;
  private boolean drawn;

  BatchProgress(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  @Override
  public void finished(Batch.Row row, int finished, int total) {
    switch (row.status()) {
      case SKIPPED -> skipped++;
      case FAILED -> {
        failed++;
        processed++;
      }
      default -> processed++;
    }
    int n = finished * WIDTH / total;
    double s = (System.nanoTime() - start) / 1e9;
    double eta = processed == 0 ? 0 : s / processed * (total - finished);
    err.printf("\r%s [%s%s] %d/%d files, %d failed, %d skipped, ETA %.0f s ", label,
        "#".repeat(n), " ".repeat(WIDTH - n), finished, total, failed, skipped, eta);
    err.flush();
    drawn = true;
  }

  void done() {
    if (drawn) {
      err.println();
      err.flush();
    }
  }
}
