package org.fovea.io.batch;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fovea.ops.net.FoveaException;

/**
 * Folders of small synthetic nucleus-like images for batch benchmarks: bright discs on a noisy,
 * sloped background, 32-bit TIFF, reproducible from a seed.
 *
 * @since 0.1.0
 */
public final class SyntheticImages {

  private SyntheticImages() {}

  /**
   * @param dir the folder (created)
   * @param n how many images ({@code img000.tif}, ...)
   * @param size width and height in pixels
   * @param seed the random seed
   * @return the files, in order
   */
  public static List<Path> write(Path dir, int n, int size, long seed) {
    Random rnd = new Random(seed);
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new FoveaException("cannot create " + dir + " (" + e.getMessage() + ")", e);
    }
    for (int i = 0; i < n; i++) {
      float[] px = new float[size * size];
      int discs = Math.max(1, size * size / 1500);
      for (int k = 0; k < px.length; k++) {
        px[k] = 100 + 0.1f * (k % size) + 8 * (float) rnd.nextGaussian();
      }
      for (int d = 0; d < discs; d++) {
        int cx = rnd.nextInt(size);
        int cy = rnd.nextInt(size);
        int r = 4 + rnd.nextInt(6);
        for (int y = Math.max(0, cy - r); y < Math.min(size, cy + r + 1); y++) {
          for (int x = Math.max(0, cx - r); x < Math.min(size, cx + r + 1); x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
              px[y * size + x] += 300;
            }
          }
        }
      }
      Path f = dir.resolve(String.format("img%03d.tif", i));
      if (!new FileSaver(new ImagePlus(f.getFileName().toString(),
          new FloatProcessor(size, size, px))).saveAsTiff(f.toString())) {
        throw new FoveaException("cannot write " + f + ": check that the folder is writable");
      }
      files.add(f);
    }
    return files;
  }
}
