package org.fovea.cli.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.fovea.ops.instances.star.StarNms;
import org.fovea.ops.instances.star.StarOverlap;
import org.fovea.ops.instances.star.StarPolygon;

/**
 * {@code fovea bench star-nms --candidates N}: greedy NMS of N star-convex candidates with the grid index
 * against the all-pairs reference, in one process, on the same candidates.
 *
 * <p>The candidates imitate a network's proposals: N / 10 nuclei at random places in a SIZE x SIZE
 * image, each proposed 10 times with the centre moved by up to 3 pixels and the 32 radii (4 to 14
 * pixels, wobbling) scaled by 0.8 to 1.2, with random scores.
 *
 * @since 0.1.0
 */
final class StarNmsBench {

  private StarNmsBench() {}

  static void run(int count, int size, int runs, PrintWriter out) {
    List<StarPolygon> c = candidates(count, size, new Random(42));
    out.printf(Locale.ROOT, "star NMS: %d candidates (32 rays) in %dx%d, threshold 0.4,"
        + " %d cores%n", c.size(), size, size, Runtime.getRuntime().availableProcessors());
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (StarOverlap o : StarOverlap.values()) {
      double[] grid = new double[runs];
      double[] gridCpu = new double[runs];
      int[] kept = null;
      for (int r = 0; r < runs; r++) {
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        kept = StarNms.greedy(c.size(), c::get, size, size, 0.4, o, 32).indices();
        grid[r] = (System.nanoTime() - t0) / 1e9;
        gridCpu[r] = (cpu.getCurrentThreadCpuTime() - c0) / 1e9;
      }
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      int[] ref = StarNms.allPairs(c.size(), c::get, size, size, 0.4, o).indices();
      double all = (System.nanoTime() - t0) / 1e9;
      double allCpu = (cpu.getCurrentThreadCpuTime() - c0) / 1e9;
      Arrays.sort(grid);
      Arrays.sort(gridCpu);
      double med = grid[runs / 2];
      double medCpu = gridCpu[runs / 2];
      // CPU time of the thread as well as wall time: on a shared machine the wall time also
      // counts the time other processes held the cores
      out.printf(Locale.ROOT, "  %-7s kept %d; grid index median %.3f s wall, %.3f s CPU (of %d);"
          + " all pairs %.3f s wall, %.3f s CPU; all-pairs/indexed %.1fx wall, %.1fx CPU;"
          + " same result: %s%n", o.name().toLowerCase(Locale.ROOT), kept.length, med, medCpu,
          runs, all, allCpu, all / med, allCpu / medCpu, Arrays.equals(kept, ref));
    }
  }

  static List<StarPolygon> candidates(int count, int size, Random rnd) {
    List<StarPolygon> c = new ArrayList<>(count);
    int objects = Math.max(1, count / 10);
    double[] ox = new double[objects];
    double[] oy = new double[objects];
    float[][] shape = new float[objects][32];
    for (int i = 0; i < objects; i++) {
      ox[i] = size * rnd.nextDouble();
      oy[i] = size * rnd.nextDouble();
      float base = 4 + 10 * rnd.nextFloat();
      for (int k = 0; k < 32; k++) {
        shape[i][k] = base * (float) (1 + 0.15 * Math.sin(2 * Math.PI * k / 16 + i));
      }
    }
    for (int j = 0; j < count; j++) {
      int i = j % objects;
      float s = 0.8f + 0.4f * rnd.nextFloat();
      float[] r = new float[32];
      for (int k = 0; k < 32; k++) {
        r[k] = shape[i][k] * s;
      }
      c.add(new StarPolygon(ox[i] + 6 * rnd.nextDouble() - 3, oy[i] + 6 * rnd.nextDouble() - 3,
          r, rnd.nextDouble()));
    }
    c.sort(Comparator.comparingDouble(StarPolygon::score).reversed());
    return c;
  }
}
