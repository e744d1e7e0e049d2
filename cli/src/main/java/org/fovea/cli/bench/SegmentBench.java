package org.fovea.cli.bench;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ShortProcessor;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.fovea.io.ImageFiles;

/** Segmentation benchmarks: tiled vs whole-image forward, and large-image throughput and heap. */
final class SegmentBench {

  private SegmentBench() {}

  /** A 16-bit image of blurred-looking noise with a fixed seed. */
  static ImagePlus image(int size) {
    Random r = new Random(42);
    short[] px = new short[size * size];
    for (int i = 0; i < px.length; i++) {
      px[i] = (short) (200 + 40 * r.nextGaussian() + ((i / size / 64 + i % size / 64) % 3) * 300);
    }
    return new ImagePlus("bench", new ShortProcessor(size, size, px, null));
  }

  /**
   * Tiled segmentation (whole pipeline: statistics, tiles, stitching) against one forward pass of
   * the network over the same, already normalized image, in the same process.
   */
  static void tiling(Model m, int size, long tile, int runs, PrintWriter out) {
    ImagePlus imp = image(size);
    Tensor raw = new Tensor(Axes.of("bcyx"), new long[] {1, 1, size, size},
        (float[]) imp.getProcessor().convertToFloatProcessor().getPixels());
    Tensor x = m.preprocess(raw);
    m.network().predict(x); // warm-up
    Segmentation.run(m, raw, tile, null);
    double[] whole = new double[runs];
    double[] tiled = new double[runs];
    int tiles = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      m.network().predict(x);
      whole[i] = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      tiles = Segmentation.run(m, raw, tile, null).tiles();
      tiled[i] = (System.nanoTime() - t0) / 1e9;
    }
    double w = median(whole);
    double t = median(tiled);
    out.printf(Locale.ROOT, "%-12s %dx%d  whole-image forward %.2f s  tiled segment (tile %d, %d tiles)"
        + " %.2f s  ratio %.2f  device=%s%n", m.network().engine(), size, size, w, tile, tiles, t,
        t / w, m.network().device());
    out.flush();
  }

  /** Segments a large image from a TIFF file into a TIFF file, reporting throughput and heap. */
  static void large(Model m, int size, long tile, PrintWriter out) {
    try {
      Path dir = Files.createTempDirectory("fovea-bench");
      Path in = dir.resolve("large.tif");
      ImagePlus big = image(size);
      big.setCalibration(new Calibration());
      ImageFiles.saveTiff(big, in);
      big = null;
      System.gc();
      ImagePlus imp = ImageFiles.open(in);
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        p.resetPeakUsage();
      }
      long t0 = System.nanoTime();
      ImageFiles.Segmented r = ImageFiles.segmentToTiff(m, imp, tile, null, dir.resolve("out.tif"));
      double s = (System.nanoTime() - t0) / 1e9;
      long peak = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          peak += p.getPeakUsage().getUsed();
        }
      }
      out.printf(Locale.ROOT, "%-12s %dx%d  segment to TIFF %.1f s  %.2f Mpix/s  %d tiles  peak heap"
          + " %d MiB (max heap %d MiB)  device=%s%n", m.network().engine(), size, size, s,
          (double) size * size / 1e6 / s, r.tiles(), peak >> 20,
          Runtime.getRuntime().maxMemory() >> 20, m.network().device());
      out.flush();
      Files.deleteIfExists(dir.resolve("out.tif"));
      Files.deleteIfExists(in);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }
}
