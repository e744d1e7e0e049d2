package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import java.awt.event.KeyEvent;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Cancelling between tiles, by the command's flag or by Esc. */
class StatusBarProgressTest {

  @Test
  void aCancelFlagStopsTheRunBetweenTiles() {
    // setup: 96x96 in 32-pixel tiles is 9 tiles; the flag turns on after the 2nd
    ImagePlus crop = Probabilities.sampleCrop(0, 0, 96, 96);
    AtomicInteger asked = new AtomicInteger();
    StatusBarProgress p = new StatusBarProgress(() -> asked.incrementAndGet() > 2);
    // process
    SegmentationCancelled e = assertThrows(SegmentationCancelled.class, () -> Segmenter.segment(
        crop, new Segmenter.Settings("nuclei-dilated", "onnx", 32, "cpu"), p));
    // test
    assertEquals("segmentation cancelled after 3 of 9 tiles; no output was made", e.getMessage());
  }

  @Test
  void escapeCancelsButAnEscapeFromBeforeTheRunIsForgotten() {
    IJ.setKeyDown(KeyEvent.VK_ESCAPE);
    StatusBarProgress p = new StatusBarProgress(() -> false);
    p.tile(1, 4);
    IJ.setKeyDown(KeyEvent.VK_ESCAPE);
    SegmentationCancelled e = assertThrows(SegmentationCancelled.class, () -> p.tile(2, 4));
    assertTrue(e.getMessage().contains("after 2 of 4"));
    IJ.resetEscape();
  }
}
