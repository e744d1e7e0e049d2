package org.fovea.ops.saliency;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;

/**
 * Compares an engine's gradient with central finite differences {@code (F(x + h e_i) - F(x - h
 * e_i)) / 2h} at a few input values: the largest gradients and some chosen at random.
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
   * @param step the finite-difference step {@code h}
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
    List<Tensor> probes = new ArrayList<>();
    for (int i : idx) {
      for (int sign : new int[] {1, -1}) {
        float[] d = x.data().clone();
        d[i] += (float) (sign * step);
        probes.add(new Tensor(x.axes(), x.shape(), d));
      }
    }
    double worst = -1;
    int wi = -1;
    double we = 0;
    double wf = 0;
    int batch = Saliency.batchFor(x);
    for (int from = 0; from < probes.size(); from += 2 * Math.max(1, batch / 2)) {
      List<Tensor> part = probes.subList(from, Math.min(probes.size(),
          from + 2 * Math.max(1, batch / 2)));
      double[] f = Batches.scores(net.predict(Batches.stack(part)), w);
      for (int k = 0; k < part.size(); k += 2) {
        int i = idx.get((from + k) / 2);
        // the step actually taken, after rounding to float
        double hp = (double) part.get(k).data()[i] - x.data()[i];
        double hm = (double) x.data()[i] - part.get(k + 1).data()[i];
        double fd = (f[k] - f[k + 1]) / (hp + hm);
        double err = Math.abs(fd - gd[i]) / (scale == 0 ? 1 : scale);
        if (err > worst) {
          worst = err;
          wi = i;
          we = gd[i];
          wf = fd;
        }
      }
    }
    return new Result(idx.size(), worst, wi, we, wf);
  }
}
