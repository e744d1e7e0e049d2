package org.fovea.plugins.fiji;

import org.fovea.ops.net.FoveaException;

/**
 * Thrown from the progress callback to stop a segmentation between two tiles.
 *
 * @since 0.1.0
 */
public final class SegmentationCancelled extends FoveaException {

  private static final long serialVersionUID = 1L;

  /**
   * @param done tiles finished before the cancellation
   * @param total tiles in all
   */
  public SegmentationCancelled(int done, int total) {
    super("segmentation cancelled after " + done + " of " + total + " tiles; no output was made");
  }
}
