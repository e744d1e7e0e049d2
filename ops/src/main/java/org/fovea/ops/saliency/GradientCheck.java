package org.fovea.ops.saliency;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;

/**
 * Compares an engine's gradient with finite differences at a few input values: the largest
 * gradients and some chosen at random. Each value is tried with the steps {@code h}, {@code h/3}
 * and {@code h/10}, each as a central difference {@code (F(x + h e_i) - F(x - h e_i)) / 2h} and as
 * the forward and backward ones {@code (F(x + h e_i) - F(x)) / h}, {@code (F(x) - F(x - h e_i)) /
 * h}, and the closest counts: float32 rounding spoils the smallest steps, and a ReLU kink inside
 * a step spoils the central difference, but a network of ReLUs and linear layers is linear on the
 * kink-free side, so one one-sided difference is then exact (a correct PyTorch gradient was refused
 * when a kink lay within 0.001 of the input value and only central differences counted). A
 * gradient that ignores a dilation is off by far more than any of them.
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
    probes.add(x); // F(x), for the one-sided differences
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
    double f0 = f[0];
    for (int k = 0; k < idx.size(); k++) {
      int i = idx.get(k);
      double best = Double.POSITIVE_INFINITY;
      double bestFd = 0;
      for (int j = 0; j < hs.length; j++) {
        int p = 1 + k * per + 2 * j;
        // the step actually taken, after rounding to float
        double hp = (double) probes.get(p).data()[i] - x.data()[i];
        double hm = (double) x.data()[i] - probes.get(p + 1).data()[i];
        double[] fds = {(f[p] - f[p + 1]) / (hp + hm), (f[p] - f0) / hp, (f0 - f[p + 1]) / hm};
        for (double fd : fds) {
          double err = Math.abs(fd - gd[i]) / (scale == 0 ? 1 : scale);
          if (err < best) {
            best = err;
            bestFd = fd;
          }
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
