package org.fovea.cli.bench;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;
import org.fovea.io.ImageFiles;
import org.fovea.io.instances.VolumeExtraction;
import org.fovea.models.Model;
import org.fovea.ops.instances.InstanceParams;

/**
 * {@code fovea bench volume}: a z-stack through a 3D model, tiled segmentation and then the 3D
 * instance step, with each phase's time and the peak heap. The stack is the shipped synthetic
 * sample mirrored side by side up to the size asked for (real texture, no file read in the timed
 * part).
 *
 * @since 0.3.0
 */
final class VolumeBench {

  private VolumeBench() {}

  /**
   * @param model a loaded 3D background/interior/boundary model
   * @param sample the z-stack tiled up to the size (its depth is kept)
   * @param size the stack is size x size in x/y
   * @param tile tile core size (0: the memory budget's)
   * @param runs timed runs (the median is printed)
   * @param out where to print
   */
  static void run(Model model, Path sample, int size, long tile, int runs, PrintWriter out) {
    ImagePlus src = ImageFiles.open(sample);
    ImagePlus imp = mirrored(src, size);
    out.printf(Locale.ROOT, "volume: %dx%dx%d (%s mirrored), model %s, engine %s, %d cores,"
        + " max heap %d MiB, %d runs (median)%n", size, size, imp.getNSlices(),
        sample.getFileName(), model.pkg().name(), model.network().engine(),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, runs);
    out.flush();
    double[] segment = new double[runs];
    double[] total = new double[runs];
    long peak = 0;
    int objects = 0;
    int tiles = 0;
    for (int r = 0; r < runs; r++) {
      System.gc();
      resetPeaks();
      long t0 = System.nanoTime();
      long[] seg = {0};
      VolumeExtraction.Result res = VolumeExtraction.run(model, imp, InstanceParams.byDimension(),
          tile, (done, all) -> {
            if (done == all) {
              seg[0] = System.nanoTime();
            }
          });
      long t1 = System.nanoTime();
      segment[r] = (seg[0] - t0) / 1e9;
      total[r] = (t1 - t0) / 1e9;
      peak = Math.max(peak, peakHeap());
      objects = res.objects().size();
      tiles = res.tiles();
    }
    java.util.Arrays.sort(segment);
    java.util.Arrays.sort(total);
    double s = segment[runs / 2];
    double t = total[runs / 2];
    out.printf(Locale.ROOT, "%-40s %10s%n", "PHASE", "SECONDS");
    out.printf(Locale.ROOT, "%-40s %10.2f%n", "segmentation (" + tiles + " tiles)", s);
    out.printf(Locale.ROOT, "%-40s %10.2f%n", "instances (watershed, " + objects + " objects)",
        t - s);
    out.printf(Locale.ROOT, "%-40s %10.2f%n", "total", t);
    out.printf(Locale.ROOT, "peak heap %d MiB (input %d MiB as 16-bit, probabilities %d MiB)%n",
        peak >> 20, (long) size * size * imp.getNSlices() * 2 >> 20,
        (long) size * size * imp.getNSlices() * 4 * model.outputChannels(1) >> 20);
    out.flush();
  }

  /** The stack mirrored in x and y up to size x size, every slice; calibration kept. */
  static ImagePlus mirrored(ImagePlus src, int size) {
    int w = src.getWidth();
    int h = src.getHeight();
    ImageStack out = new ImageStack(size, size);
    for (int z = 1; z <= src.getStackSize(); z++) {
      ImageProcessor ip = src.getStack().getProcessor(z);
      ImageProcessor o = ip.createProcessor(size, size);
      for (int y = 0; y < size; y++) {
        int sy = reflect(y, h);
        for (int x = 0; x < size; x++) {
          o.set(x, y, ip.get(reflect(x, w), sy));
        }
      }
      out.addSlice(o);
    }
    ImagePlus imp = new ImagePlus("bench-volume", out);
    imp.setCalibration(src.getCalibration().copy());
    return imp;
  }

  private static int reflect(int i, int n) {
    int p = 2 * (n - 1);
    int m = i % p;
    return m < n ? m : p - m;
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long pk = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        pk += p.getPeakUsage().getUsed();
      }
    }
    return pk;
  }
}
