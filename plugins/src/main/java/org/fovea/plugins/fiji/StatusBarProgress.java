package org.fovea.plugins.fiji;

import ij.IJ;
import java.util.function.BooleanSupplier;
import org.fovea.models.Segmentation;

/**
 * Tile progress in the ImageJ status bar; cancels the run (by throwing
 * {@link SegmentationCancelled}) when Esc was pressed or the command was cancelled.
 *
 * @since 0.1.0
 */
public final class StatusBarProgress implements Segmentation.Progress {

  private final BooleanSupplier cancelled;

  /**
   * Forgets an Esc pressed before this run.
   *
   * @param cancelled asked after each tile whether the run was cancelled
   */
  public StatusBarProgress(BooleanSupplier cancelled) {
    this.cancelled = cancelled;
    IJ.resetEscape();
  }

  @Override
  public void tile(int done, int total) {
    if (cancelled.getAsBoolean() || IJ.escapePressed()) {
      IJ.showProgress(1.0);
      IJ.showStatus("Fovea: segmentation cancelled");
      throw new SegmentationCancelled(done, total);
    }
    IJ.showProgress(done, total);
    IJ.showStatus("Fovea: tile " + done + "/" + total + " (Esc cancels)");
  }
}
