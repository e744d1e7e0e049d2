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
  @Test
  void regionsInAnyOrderSomeBandsGatheredSomeWrittenAtOnceAndOneLeftOut() throws Exception {
    // 12 planes of 1500 x 1000, tiles of 500: bands of 3 MB, 24 of them, more than
    // TiffPlanesWriter.GATHER_BYTES together, so some bands are written row by row; the regions
    // come in a shuffled order and one is never written (it reads back as zeros)
    int w = 1500;
    int h = 1000;
    int planes = 12;
    int tile = 500;
    assertTrue(24L * 4 * tile * w > TiffPlanesWriter.GATHER_BYTES);
    java.util.List<int[]> regions = new java.util.ArrayList<>();
    for (int p = 0; p < planes; p++) {
      for (int y0 = 0; y0 < h; y0 += tile) {
        for (int x0 = 0; x0 < w; x0 += tile) {
          regions.add(new int[] {p, y0, x0});
        }
      }
    }
    java.util.Collections.shuffle(regions, new java.util.Random(3));
    int[] missing = regions.remove(regions.size() / 2);
    Path dest = tmp.resolve("s.tif");
    try (TiffPlanesWriter t = new TiffPlanesWriter(dest, w, h, planes, 1, 1, new Calibration())) {
      for (int[] r : regions) {
        float[] src = new float[tile * tile + 5];
        for (int y = 0; y < tile; y++) {
          for (int x = 0; x < tile; x++) {
            src[5 + y * tile + x] = value(r[0], r[1] + y, r[2] + x);
          }
        }
        t.write(r[0], r[1], r[2], tile, tile, src, 5);
      }
      t.commit();
    }
    ImagePlus imp = new Opener().openImage(dest.toString());
    assertEquals(planes, imp.getStackSize());
    for (int p = 0; p < planes; p++) {
      float[] px = (float[]) imp.getStack().getProcessor(p + 1).getPixels();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          boolean out = p == missing[0] && y / tile * tile == missing[1]
              && x / tile * tile == missing[2];
          assertEquals(out ? 0f : value(p, y, x), px[y * w + x], 0f, p + ": " + x + "," + y);
        }
      }
    }
  }
}
