package org.fovea.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import ij.measure.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming TIFF writer: what ImageJ reads back, and nothing left under a temporary name. */
class TiffPlanesWriterTest {

  @TempDir
  Path tmp;

  private static float value(int c, int y, int x) {
    return c * 1_000_000f + y * 1000f + x % 1000;
  }

  @Test
  void regionsWrittenPastSeveralBackgroundFlushesReadBackExactly() throws Exception {
    // two planes of 3000 x 3000 floats (72 MB): more than TiffPlanesWriter.FLUSH_BYTES, so
    // flushes start in the background while later regions are written
    int w = 3000;
    int h = 3000;
    assertTrue(2L * 4 * w * h > TiffPlanesWriter.FLUSH_BYTES);
    Path dest = tmp.resolve("p.tif");
    int tile = 700;
    try (TiffPlanesWriter t = new TiffPlanesWriter(dest, w, h, 2, 1, 1, new Calibration())) {
      for (int y0 = 0; y0 < h; y0 += tile) {
        for (int x0 = 0; x0 < w; x0 += tile) {
          int th = Math.min(tile, h - y0);
          int tw = Math.min(tile, w - x0);
          for (int c = 0; c < 2; c++) {
            float[] src = new float[th * tw];
            for (int y = 0; y < th; y++) {
              for (int x = 0; x < tw; x++) {
                src[y * tw + x] = value(c, y0 + y, x0 + x);
              }
            }
            t.write(c, y0, x0, th, tw, src, 0);
          }
        }
      }
      assertTrue(Files.notExists(dest), "the final name appears only at commit");
      t.commit();
    }
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "no temporary file left");
    }
    ImagePlus imp = new Opener().openImage(dest.toString());
    assertEquals(w, imp.getWidth());
    assertEquals(h, imp.getHeight());
    assertEquals(2, imp.getStackSize());
    for (int c = 0; c < 2; c++) {
      float[] px = (float[]) imp.getStack().getProcessor(c + 1).getPixels();
      for (int y = 0; y < h; y += 7) {
        for (int x = 0; x < w; x += 3) {
          assertEquals(value(c, y, x), px[y * w + x], 0f, c + ": " + x + "," + y);
        }
      }
    }
  }
}
