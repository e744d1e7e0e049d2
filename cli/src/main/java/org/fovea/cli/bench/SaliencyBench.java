package org.fovea.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.fovea.models.Model;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.saliency.Baselines;
import org.fovea.ops.saliency.Saliency;
import org.fovea.ops.saliency.Target;

/**
 * {@code fovea bench saliency}: Integrated Gradients against the bare engine cost of as many
 * batched forward+backward passes, and batched against one-at-a-time occlusion, measured side by
 * side in one process on one engine.
 */
final class SaliencyBench {

  private SaliencyBench() {}

  static void run(Model m, int size, int runs, PrintWriter out) {
    Network net = m.network();
    Tensor x = Tensor.zeros(Axes.of("bcyx"), 1, 1, size, size);
    Random r = new Random(3);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = r.nextFloat();
    }
    Target t = Target.roi(1, size / 4, size / 4, size / 2, size / 2);
    int steps = 50;
    int batch = Saliency.batchFor(x);
    Tensor w1 = t.weights(new long[] {1, m.outputChannels(1), size, size});
    if (net.gradients().isPresent()) {
      Differentiable g = net.gradients().get();
      Tensor zeros = Baselines.zeros(x);
      double ig = median(runs, () -> Saliency.integratedGradients(net, x, t, zeros, steps, batch));
      double raw = median(runs, () -> {
        for (int from = 0; from < steps; from += batch) {
          int n = Math.min(batch, steps - from);
          Tensor xs = stack(x, n);
          g.gradient(xs, stack(w1, n));
        }
        return null;
      });
      out.printf(Locale.ROOT, "%-11s %dx%d integrated gradients, %d steps (batches of %d):"
          + " %.0f ms; %d batched forward+backward passes: %.0f ms; ratio %.2f%n", net.engine(),
          size, size, steps, batch, ig, steps, raw, ig / raw);
    } else {
      out.printf(Locale.ROOT, "%-11s has no gradients: %s%n", net.engine(),
          net.noGradientsReason());
    }
    double batched = median(runs, () -> Saliency.occlusion(net, x, t, 15, 8, 0f, batch));
    double single = median(runs, () -> Saliency.occlusion(net, x, t, 15, 8, 0f, 1));
    out.printf(Locale.ROOT, "%-11s %dx%d occlusion, window 15, stride 8: batched (%d per call)"
        + " %.0f ms, one at a time %.0f ms; one-at-a-time/batched %.2f%n", net.engine(), size,
        size, batch, batched, single, single / batched);
    out.flush();
  }

  private static Tensor stack(Tensor t, int n) {
    long[] s = t.shape();
    s[0] = n;
    float[] d = new float[t.data().length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(t.data(), 0, d, i * t.data().length, t.data().length);
    }
    return new Tensor(t.axes(), s, d);
  }

  /** One warm-up call, then the median of {@code runs} timed calls, in milliseconds. */
  private static double median(int runs, Supplier<?> f) {
    f.get();
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < Math.max(1, runs); i++) {
      long t0 = System.nanoTime();
      f.get();
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    Collections.sort(ms);
    return ms.get(ms.size() / 2);
  }
}
