package org.fovea.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.fovea.ops.instances.BlockInstances;
import org.fovea.ops.instances.Box;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.Instances;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.Nms;
import org.fovea.ops.instances.SyntheticNuclei;
import org.fovea.ops.net.Tensor;

/**
 * {@code fovea bench instances}: the instance step on a synthetic probability map (whole image,
 * then block-wise on one and on every core) and greedy box NMS with the spatial grid against all
 * pairs, side by side in one process.
 *
 * @since 0.1.0
 */
final class InstancesBench {

  private InstancesBench() {}

  /**
   * @param size the map is size × size
   * @param nuclei discs drawn
   * @param boxes NMS candidates
   * @param runs timed repetitions (the median is printed)
   * @param out where to print
   */
  static void run(int size, int nuclei, int boxes, int runs, PrintWriter out) {
    out.printf(Locale.ROOT, "instances: %dx%d synthetic probabilities, %d discs (radius 4-10),"
        + " %d cores, %d runs (median)%n", size, size, nuclei,
        Runtime.getRuntime().availableProcessors(), runs);
    out.flush();
    Tensor p = SyntheticNuclei.probabilities(size, size, nuclei, 4, 10, 42);
    InstanceParams params = InstanceParams.defaults();
    LabelImage[] res = new LabelImage[3];
    double whole = median(runs, () -> res[0] = Instances.fromSemantic(p, params));
    double wholeCpu = lastCpu;
    double seq = median(runs, () -> res[1] = BlockInstances.fromSemantic(p, params, 1024, 64,
        false));
    double seqCpu = lastCpu;
    double par = median(runs, () -> res[2] = BlockInstances.fromSemantic(p, params, 1024, 64,
        true));
    boolean same = Arrays.equals(res[0].labels(), res[1].labels())
        && Arrays.equals(res[0].labels(), res[2].labels());
    out.printf(Locale.ROOT, "%-34s %10s %12s %8s%n", "INSTANCE STEP", "SECONDS", "CPU SECONDS",
        "OBJECTS");
    out.printf(Locale.ROOT, "%-34s %10.3f %12.3f %8d%n", "whole image", whole, wholeCpu,
        res[0].count());
    out.printf(Locale.ROOT, "%-34s %10.3f %12.3f %8d%n", "blocks 1024, overlap 64, 1 thread",
        seq, seqCpu, res[1].count());
    out.printf(Locale.ROOT, "%-34s %10.3f %12s %8d%n", "blocks 1024, overlap 64, all cores",
        par, "-", res[2].count());
    out.printf(Locale.ROOT, "block results equal the whole-image result: %s; ratios whole/blocks:"
        + " 1 thread %.2fx (CPU %.2fx), all cores %.2fx%n", same, whole / seq, wholeCpu / seqCpu,
        whole / par);
    out.flush();
    List<Box> b = new ArrayList<>();
    double[] s = candidates(size, boxes, b);
    int[][] kept = new int[2][];
    double grid = median(runs, () -> kept[0] = Nms.greedy(b, s, 0.5, 0));
    double gridCpu = lastCpu;
    double all = median(1, () -> kept[1] = allPairs(b, s, 0.5));
    double allCpu = lastCpu;
    out.printf(Locale.ROOT, "%-34s %10s %12s %8s%n", "GREEDY NMS, " + boxes + " BOXES, IOU 0.5",
        "SECONDS", "CPU SECONDS", "KEPT");
    out.printf(Locale.ROOT, "%-34s %10.3f %12.3f %8d%n", "spatial grid", grid, gridCpu,
        kept[0].length);
    out.printf(Locale.ROOT, "%-34s %10.3f %12.3f %8d%n", "all pairs (1 run)", all, allCpu,
        kept[1].length);
    out.printf(Locale.ROOT, "same boxes kept: %s; ratio all-pairs/grid: %.1fx (CPU %.1fx)%n",
        Arrays.equals(kept[0], kept[1]), all / grid, allCpu / gridCpu);
    out.flush();
  }

  /** Detections like a detector's: 2-3 jittered boxes around each of boxes/2.5 nuclei. */
  private static double[] candidates(int size, int n, List<Box> out) {
    Random r = new Random(7);
    double[] s = new double[n];
    double cx = 0;
    double cy = 0;
    double rad = 0;
    for (int i = 0; i < n; i++) {
      if (i % 5 == 0 || i % 5 == 2) {
        cx = r.nextDouble() * size;
        cy = r.nextDouble() * size;
        rad = 4 + 6 * r.nextDouble();
      }
      double jx = r.nextGaussian() * 1.5;
      double jy = r.nextGaussian() * 1.5;
      double jr = rad * (1 + 0.15 * r.nextGaussian());
      out.add(new Box(cx + jx - jr, cy + jy - jr, cx + jx + jr, cy + jy + jr));
      s[i] = r.nextDouble();
    }
    return s;
  }

  /** The textbook loop: every candidate against every box kept so far. */
  static int[] allPairs(List<Box> b, double[] s, double thr) {
    Integer[] order = new Integer[b.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (p, q) -> s[p] != s[q] ? Double.compare(s[q], s[p]) : p - q);
    int[] kept = new int[order.length];
    int k = 0;
    for (int i : order) {
      boolean keep = true;
      for (int j = 0; j < k && keep; j++) {
        keep = b.get(kept[j]).iou(b.get(i)) <= thr;
      }
      if (keep) {
        kept[k++] = i;
      }
    }
    return Arrays.copyOf(kept, k);
  }

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** CPU seconds of this thread in the last {@link #median} (the run with the median wall time). */
  private static double lastCpu;

  private static double median(int runs, Runnable task) {
    double[][] t = new double[runs][2];
    for (int i = 0; i < runs; i++) {
      long c0 = CPU.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      task.run();
      t[i][0] = (System.nanoTime() - t0) / 1e9;
      t[i][1] = (CPU.getCurrentThreadCpuTime() - c0) / 1e9;
    }
    Arrays.sort(t, (a, b) -> Double.compare(a[0], b[0]));
    lastCpu = t[runs / 2][1];
    return t[runs / 2][0];
  }
}
