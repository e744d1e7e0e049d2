package org.fovea.cli.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.fovea.io.zarr.Compressor;
import org.fovea.io.zarr.Compressors;
import org.fovea.io.zarr.DType;
import org.fovea.io.zarr.OmeZarr;
import org.fovea.io.zarr.Store;
import org.fovea.io.zarr.ZarrArray;
import org.fovea.io.zarr.ZarrSegmentation;

/**
 * Zarr streaming against in-memory tiled segmentation on the same float32 image, and out-of-core
 * throughput and peak heap on images larger than the heap.
 */
final class ZarrBench {

  static final int CHUNK = 1024;

  private ZarrBench() {}

  /**
   * Writes a {@code size x size} float32 image as an OME-Zarr image, chunk by chunk (never whole
   * in memory): noise on a pattern of 64-pixel blocks, seeded per chunk.
   */
  static Path makeImage(Path dir, int size, Compressor comp) {
    Path p = dir.resolve("bench-" + size + ".zarr");
    ZarrArray a = OmeZarr.create(p, "bench", java.util.List.of("y", "x"),
        new long[] {size, size}, new int[] {CHUNK, CHUNK}, DType.FLOAT32, comp, null);
    long n = (size + CHUNK - 1) / CHUNK;
    float[] c = new float[CHUNK * CHUNK];
    for (long cy = 0; cy < n; cy++) {
      for (long cx = 0; cx < n; cx++) {
        Random r = new Random(cy * 1_000_003L + cx);
        for (int y = 0; y < CHUNK; y++) {
          long gy = cy * CHUNK + y;
          for (int x = 0; x < CHUNK; x++) {
            long gx = cx * CHUNK + x;
            c[y * CHUNK + x] =
                (float) (200 + 40 * r.nextGaussian() + ((gy / 64 + gx / 64) % 3) * 300);
          }
        }
        a.writeChunk(new long[] {cy, cx}, c);
      }
    }
    return p;
  }

  /**
   * Zarr in, Zarr out against the same image in memory, tiled in memory, alternating, medians; or,
   * when the image and its probabilities do not fit the heap, the Zarr run alone.
   */
  static void compare(Model m, int size, long tile, int runs, String compressor, PrintWriter out) {
    Compressor comp = Compressors.named(compressor);
    Path dir;
    try {
      dir = Files.createTempDirectory(Path.of(System.getProperty("fovea.bench.dir",
          System.getProperty("java.io.tmpdir"))), "fovea-zarr-bench");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try {
      long t0 = System.nanoTime();
      Path in = makeImage(dir, size, comp);
      out.printf(Locale.ROOT, "wrote %s (%dx%d float32, %s, chunks %d) in %.1f s, %d MiB on disk%n",
          in.getFileName(), size, size, compressor, CHUNK, (System.nanoTime() - t0) / 1e9,
          du(in) >> 20);
      out.flush();
      int classes = m.outputChannels(1);
      double need = 4.0 * size * size * (2 + classes) * 2;
      boolean inMemory = need < Runtime.getRuntime().maxMemory();
      Tensor raw = null;
      if (inMemory) {
        raw = new Tensor(Axes.of("bcyx"), new long[] {1, 1, size, size}, new float[size * size]);
        OmeZarr.open(in).array().read(new long[2], new int[] {size, size}, raw.data());
      }
      Path dest = dir.resolve("out.zarr");
      // warm-up: engine start and first forwards
      Tensor warm = new Tensor(Axes.of("bcyx"), new long[] {1, 1, 512, 512}, new float[512 * 512]);
      Segmentation.run(m, warm, tile, null);
      double[] mem = new double[runs];
      double[] zarr = new double[runs];
      long peak = 0;
      int tiles = 0;
      for (int i = 0; i < runs; i++) {
        if (inMemory) {
          long s = System.nanoTime();
          Segmentation.run(m, raw, tile, null);
          mem[i] = (System.nanoTime() - s) / 1e9;
        }
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          p.resetPeakUsage();
        }
        long s = System.nanoTime();
        tiles = ZarrSegmentation.segment(m, in, dest, tile, comp, null).tiles();
        zarr[i] = (System.nanoTime() - s) / 1e9;
        long pk = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          if (p.getType() == MemoryType.HEAP) {
            pk += p.getPeakUsage().getUsed();
          }
        }
        peak = Math.max(peak, pk);
        long bytes = du(dest);
        Store.deleteTree(dest);
        if (i == runs - 1) {
          out.printf(Locale.ROOT, "output %d MiB on disk%n", bytes >> 20);
        }
      }
      double mpix = (double) size * size / 1e6;
      double z = median(zarr);
      out.printf(Locale.ROOT, "%-12s %dx%d  tile %d, %d tiles  zarr->zarr %.1f s (%.2f Mpix/s,"
          + " peak heap %d MiB of %d MiB)", m.network().engine(), size, size, tile, tiles, z,
          mpix / z, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
      if (inMemory) {
        double mm = median(mem);
        out.printf(Locale.ROOT, "  in-memory tiled %.1f s (%.2f Mpix/s)  throughput ratio"
            + " zarr/in-memory %.2f%n", mm, mpix / mm, mm / z);
      } else {
        out.printf(Locale.ROOT, "  (in-memory comparison skipped: the image and its"
            + " probabilities, %d MiB, do not fit the heap)%n", (long) (need / 2) >> 20);
      }
      out.flush();
    } finally {
      Store.deleteTree(dir);
    }
  }

  private static long du(Path p) {
    try (var s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
