package org.fovea.cli;

import java.io.PrintWriter;
import org.fovea.models.Segmentation;

/** A one-line text progress bar on standard error, drawn only for runs of several tiles. */
final class ProgressBar implements Segmentation.Progress {

  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String label;
  private final long start = System.nanoTime();
  private boolean drawn;

  ProgressBar(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  @Override
  public void tile(int done, int total) {
    if (total < 4) {
      return;
    }
    int n = done * WIDTH / total;
    double s = (System.nanoTime() - start) / 1e9;
    double eta = done == 0 ? 0 : s * (total - done) / done;
    err.printf("\r%s [%s%s] %d/%d tiles, ETA %.0f s ", label, "#".repeat(n), " ".repeat(WIDTH - n),
        done, total, eta);
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
