package org.fovea.ops.saliency;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;

/**
 * Compares an engine's gradient with central finite differences {@code (F(x + h e_i) - F(x - h
 * e_i)) / 2h} at a few input values: the largest gradients and some chosen at random. Each value
 * is tried with {@code h}, {@code h/3} and {@code h/10} and the closest difference counts, so
 * that neither a ReLU kink inside the step nor float32 rounding is taken for a wrong gradient; a
 * gradient that ignores a dilation is off by far more than either.
 *
 * @since 0.1.0
 */
public final class GradientCheck {

  /**
   * The outcome.
   *
   * @param points input values checked
   * @param maxError the largest {@code |engine - finite difference|}, relative to the largest
   *     absolute gradient
   * @param worstIndex the input value (flat index) with that error
   * @param engine the engine's gradient there
   * @param finite the finite difference there
   */
  public record Result(int points, double maxError, int worstIndex, double engine,
      double finite) {

    /**
     * @param tolerance the largest relative error accepted
     * @return whether the engine's gradient agrees
     */
    public boolean passes(double tolerance) {
      return maxError <= tolerance;
    }
  }

  private GradientCheck() {}

  /**
   * @param net a differentiable network
   * @param x the input
   * @param target the target
   * @param points how many input values to check (half the largest gradients, half random)
   * @param step the largest finite-difference step {@code h}
   * @param seed for the random choice
   * @return the largest relative error
   */
  public static Result check(Network net, Tensor x, Target target, int points, double step,
      long seed) {
    Differentiable g = Saliency.differentiable(net);
    Tensor w = Saliency.outputWeights(net, x, target);
    Tensor grad = g.gradient(x, w);
    float[] gd = grad.data();
    double scale = 0;
    for (float v : gd) {
      scale = Math.max(scale, Math.abs(v));
    }
    List<Integer> idx = new ArrayList<>();
    Integer[] order = new Integer[gd.length];
    for (int i = 0; i < gd.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(Math.abs(gd[b]), Math.abs(gd[a])));
    for (int i = 0; i < Math.min(gd.length, (points + 1) / 2); i++) {
      idx.add(order[i]);
    }
    Random r = new Random(seed);
    while (idx.size() < Math.min(points, gd.length)) {
      int i = r.nextInt(gd.length);
      if (!idx.contains(i)) {
        idx.add(i);
      }
    }
    // each value is probed with three steps (h, h/3, h/10): a large step may straddle a ReLU's
    // kink, a small one drowns in float32 rounding; the step that agrees best is kept
    double[] hs = {step, step / 3, step / 10};
    List<Tensor> probes = new ArrayList<>();
    for (int i : idx) {
      for (double h : hs) {
        for (int sign : new int[] {1, -1}) {
          float[] d = x.data().clone();
          d[i] += (float) (sign * h);
          probes.add(new Tensor(x.axes(), x.shape(), d));
        }
      }
    }
    double[] f = new double[probes.size()];
    int batch = Math.max(2, Saliency.batchFor(x));
    for (int from = 0; from < probes.size(); from += batch) {
      List<Tensor> part = probes.subList(from, Math.min(probes.size(), from + batch));
      double[] fp = Batches.scores(net.predict(Batches.stack(part)), w);
      System.arraycopy(fp, 0, f, from, fp.length);
    }
    double worst = -1;
    int wi = -1;
    double we = 0;
    double wf = 0;
    int per = 2 * hs.length;
    for (int k = 0; k < idx.size(); k++) {
      int i = idx.get(k);
      double best = Double.POSITIVE_INFINITY;
      double bestFd = 0;
      for (int j = 0; j < hs.length; j++) {
        int p = k * per + 2 * j;
        // the step actually taken, after rounding to float
        double hp = (double) probes.get(p).data()[i] - x.data()[i];
        double hm = (double) x.data()[i] - probes.get(p + 1).data()[i];
        double fd = (f[p] - f[p + 1]) / (hp + hm);
        double err = Math.abs(fd - gd[i]) / (scale == 0 ? 1 : scale);
        if (err < best) {
          best = err;
          bestFd = fd;
        }
      }
      if (best > worst) {
        worst = best;
        wi = i;
        we = gd[i];
        wf = bestFd;
      }
    }
    return new Result(idx.size(), worst, wi, we, wf);
  }
}
