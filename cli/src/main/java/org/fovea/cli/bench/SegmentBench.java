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
import java.util.List;
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

  /**
   * Tiled segmentation of a SIZE x SIZE image into a TIFF, with the tiles one after another and
   * pipelined (the next tile read and normalized, the previous written, while the engine runs),
   * against the engine's forward time alone on the same tiles; medians, measured in turn.
   */
  static void toTiff(Model m, int size, long tile, int runs, PrintWriter out) {
    ImagePlus imp = image(size);
    String before = System.getProperty("fovea.pipeline");
    try {
      Path dir = Files.createTempDirectory("fovea-bench");
      Path dest = dir.resolve("out.tif");
      // the tiles the engine sees, recorded once
      Recording rec = new Recording(m.network());
      System.setProperty("fovea.pipeline", "1");
      ImageFiles.segmentToTiff(Model.of(m.pkg(), rec, m.format(), false), imp, tile, null, dest);
      List<Tensor> tiles = rec.inputs;
      double[] alone = new double[runs];
      double[] serial = new double[runs];
      double[] piped = new double[runs];
      int n = 0;
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        for (Tensor x : tiles) {
          m.network().predict(x);
        }
        alone[i] = (System.nanoTime() - t0) / 1e9;
        System.setProperty("fovea.pipeline", "1");
        // each segmentation writes a new file: replacing the last one would add the freeing of
        // its blocks (~90 ms for 200 MB, inside the rename) to the time measured
        Files.deleteIfExists(dest);
        t0 = System.nanoTime();
        n = ImageFiles.segmentToTiff(m, imp, tile, null, dest).tiles();
        serial[i] = (System.nanoTime() - t0) / 1e9;
        System.setProperty("fovea.pipeline", "2");
        Files.deleteIfExists(dest);
        t0 = System.nanoTime();
        ImageFiles.segmentToTiff(m, imp, tile, null, dest);
        piped[i] = (System.nanoTime() - t0) / 1e9;
      }
      Files.deleteIfExists(dest);
      Files.deleteIfExists(dir);
      double a = median(alone);
      double s = median(serial);
      double p = median(piped);
      out.printf(Locale.ROOT, "%-12s %dx%d, tile %d, %d tiles: engine alone on the tiles %.2f s;"
          + " segment to TIFF one tile after another %.2f s (%.3f of the engine alone),"
          + " pipelined %.2f s (%.3f)  device=%s%n", m.network().engine(), size, size, tile, n, a,
          s, s / a, p, p / a, m.network().device());
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      if (before == null) {
        System.clearProperty("fovea.pipeline");
      } else {
        System.setProperty("fovea.pipeline", before);
      }
    }
  }

  /** Keeps a copy of every input it passes to the network; closes nothing (the model owns it). */
  private static final class Recording extends org.fovea.ops.net.ForwardingNetwork {
    final List<Tensor> inputs = new java.util.ArrayList<>();

    Recording(org.fovea.ops.net.Network n) {
      super(n);
    }

    @Override
    public java.util.Map<String, Tensor> predict(java.util.Map<String, Tensor> in) {
      synchronized (inputs) {
        in.values().forEach(t -> inputs.add(new Tensor(t.axes(), t.shape(), t.data().clone())));
      }
      return delegate.predict(in);
    }

    @Override
    public void close() {}
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
