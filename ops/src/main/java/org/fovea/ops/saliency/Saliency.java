package org.fovea.ops.saliency;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;

/**
 * Saliency maps of a network's {@code bcyx} output with respect to its {@code bcyx} input (batch
 * 1): which input values drove a {@link Target}.
 *
 * <pre>{@code
 * Attribution a = Saliency.integratedGradients(net, x, Target.pixel(1, 40, 32),
 *     Baselines.zeros(x), 50, Saliency.batchFor(x));
 * double trust = a.completenessError();   // |sum(map) - (F(x) - F(0))| / |F(x) - F(0)|
 * }</pre>
 *
 * <p>Gradient methods need an engine that differentiates ({@link Network#gradients()}); {@link
 * #occlusion} needs forward passes only and runs on every engine. Many inputs (noisy copies,
 * interpolation steps, occluded copies) go through the engine as batches of {@code batch}.
 *
 * @since 0.1.0
 */
public final class Saliency {

  private Saliency() {}

  /**
   * @param x an input
   * @return a batch size whose inputs hold about four million values (1 to 64)
   */
  public static int batchFor(Tensor x) {
    return (int) Math.max(1, Math.min(64, (1L << 22) / Math.max(1, x.data().length)));
  }

  /**
   * @param net a network
   * @return its gradient capability
   * @throws FoveaException naming the engine and what to use instead when it cannot differentiate
   */
  public static Differentiable differentiable(Network net) {
    return net.gradients().orElseThrow(() -> new FoveaException(net.noGradientsReason()
        + ": use --method occlusion, which needs forward passes only, or load the same model in"
        + " PyTorch (.pt) or TensorFlow (SavedModel) format with --engine pytorch or tensorflow"));
  }

  /**
   * The target's value, by one forward pass.
   *
   * @param net the network
   * @param x the input
   * @param target the target
   * @return F(x)
   */
  public static double score(Network net, Tensor x, Target target) {
    Tensor y = net.predict(x);
    return Batches.scores(y, target.weights(y.shape()))[0];
  }

  /**
   * The gradient of the target with respect to the input (signed).
   *
   * @param net a differentiable network
   * @param x the input, batch 1
   * @param target the target
   * @return the gradient as the map
   */
  public static Attribution gradient(Network net, Tensor x, Target target) {
    Differentiable g = differentiable(net);
    Tensor y = net.predict(x);
    Tensor w = target.weights(y.shape());
    return new Attribution(g.gradient(x, w), Batches.scores(y, w)[0], Double.NaN, Double.NaN, 1);
  }

  /**
   * Gradient times input: for a linear network without bias, each value's exact contribution.
   *
   * @param net a differentiable network
   * @param x the input
   * @param target the target
   * @return {@code x * dF/dx}
   */
  public static Attribution gradientTimesInput(Network net, Tensor x, Target target) {
    Attribution a = gradient(net, x, target);
    float[] m = a.map().data();
    for (int i = 0; i < m.length; i++) {
      m[i] *= x.data()[i];
    }
    return a;
  }

  /**
   * SmoothGrad: the mean gradient over noisy copies of the input.
   *
   * @param net a differentiable network
   * @param x the input
   * @param target the target
   * @param noise the noise's standard deviation as a fraction of the input's range (max - min)
   * @param samples how many noisy copies
   * @param seed the noise's seed
   * @param batch copies per engine call
   * @return the mean gradient
   */
  public static Attribution smoothGrad(Network net, Tensor x, Target target, double noise,
      int samples, long seed, int batch) {
    if (samples < 1 || !(noise >= 0)) {
      throw new FoveaException("SmoothGrad needs at least 1 sample and a noise level of 0 or more"
          + " (got " + samples + " samples, noise " + noise + ")");
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (float v : x.data()) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double sigma = noise * (hi - lo);
    Random r = new Random(seed);
    List<Tensor> copies = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      float[] d = x.data().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] += (float) (sigma * r.nextGaussian());
      }
      copies.add(new Tensor(x.axes(), x.shape(), d));
    }
    Tensor w = outputWeights(net, x, target);
    Tensor sum = gradientSum(differentiable(net), copies, w, batch);
    scale(sum, 1.0 / samples);
    return new Attribution(sum, score(net, x, target), Double.NaN, Double.NaN, samples);
  }

  /**
   * Integrated Gradients (Sundararajan et al. 2017) with the midpoint rule: {@code (x - b) *
   * mean_k dF/dx(b + a_k (x - b))}, {@code a_k = (k + 1/2) / steps}. Its completeness error tells
   * how well the steps resolve the path.
   *
   * @param net a differentiable network
   * @param x the input
   * @param target the target
   * @param baseline the baseline, shaped like the input (see {@link Baselines})
   * @param steps the number of points on the path
   * @param batch points per engine call
   * @return the attribution, with F(x), F(b) and the completeness error
   */
  public static Attribution integratedGradients(Network net, Tensor x, Target target,
      Tensor baseline, int steps, int batch) {
    if (steps < 1) {
      throw new FoveaException("Integrated Gradients needs at least 1 step (got " + steps + ")");
    }
    if (!java.util.Arrays.equals(x.shape(), baseline.shape())) {
      throw new FoveaException("the baseline image has shape "
          + java.util.Arrays.toString(baseline.shape()) + " but the input has "
          + java.util.Arrays.toString(x.shape()) + ": give a baseline of the input's size");
    }
    // F(x) and F(baseline): in one call, or one at a time for a model that takes one input
    Tensor y = net.predict(batch >= 2 ? Batches.stack(List.of(x, baseline)) : x);
    Tensor w1 = target.weights(Batches.item(y, 0).shape());
    double[] f = batch >= 2 ? Batches.scores(y, w1)
        : new double[] {Batches.scores(y, w1)[0], Batches.scores(net.predict(baseline), w1)[0]};
    List<Tensor> path = new ArrayList<>();
    for (int k = 0; k < steps; k++) {
      double a = (k + 0.5) / steps;
      float[] d = new float[x.data().length];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (baseline.data()[i] + a * (x.data()[i] - baseline.data()[i]));
      }
      path.add(new Tensor(x.axes(), x.shape(), d));
    }
    Tensor g = gradientSum(differentiable(net), path, w1, batch);
    float[] m = g.data();
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) ((double) m[i] / steps * (x.data()[i] - baseline.data()[i]));
    }
    Attribution a = new Attribution(g, f[0], f[1], Double.NaN, steps + 2L);
    double delta = f[0] - f[1];
    double err = Math.abs(a.sum() - delta) / Math.abs(delta);
    return new Attribution(g, f[0], f[1], err, steps + 2L);
  }

  /**
   * Occlusion (Zeiler and Fergus 2014): how much the target drops when a window of the input is
   * set to a baseline value, averaged over the windows that cover each pixel. Forward passes
   * only, in batches: runs on every engine.
   *
   * @param net any network
   * @param x the input
   * @param target the target
   * @param window the window's side in pixels
   * @param stride the step between windows
   * @param value the value written into the window
   * @param batch occluded copies per engine call
   * @return {@code F(x) - F(occluded)} per pixel (the same on every channel)
   */
  public static Attribution occlusion(Network net, Tensor x, Target target, int window,
      int stride, float value, int batch) {
    if (window < 1 || stride < 1) {
      throw new FoveaException("occlusion needs a window and a stride of at least 1 pixel (got "
          + window + " and " + stride + ")");
    }
    long[] s = x.shape();
    int c = (int) s[1];
    int h = (int) s[2];
    int wd = (int) s[3];
    List<Integer> ys = starts(h, window, stride);
    List<Integer> xs = starts(wd, window, stride);
    Tensor y0 = net.predict(x);
    Tensor w = target.weights(y0.shape());
    double f = Batches.scores(y0, w)[0];
    double[] drop = new double[h * wd];
    int[] count = new int[h * wd];
    List<int[]> boxes = new ArrayList<>();
    for (int yy : ys) {
      for (int xx : xs) {
        boxes.add(new int[] {yy, xx});
      }
    }
    for (int from = 0; from < boxes.size(); from += batch) {
      List<int[]> part = boxes.subList(from, Math.min(boxes.size(), from + batch));
      List<Tensor> copies = new ArrayList<>();
      for (int[] b : part) {
        float[] d = x.data().clone();
        for (int ch = 0; ch < c; ch++) {
          for (int r = b[0]; r < Math.min(h, b[0] + window); r++) {
            java.util.Arrays.fill(d, (ch * h + r) * wd + b[1],
                (ch * h + r) * wd + Math.min(wd, b[1] + window), value);
          }
        }
        copies.add(new Tensor(x.axes(), s, d));
      }
      double[] fo = Batches.scores(net.predict(Batches.stack(copies)), w);
      for (int i = 0; i < part.size(); i++) {
        int[] b = part.get(i);
        for (int r = b[0]; r < Math.min(h, b[0] + window); r++) {
          for (int q = b[1]; q < Math.min(wd, b[1] + window); q++) {
            drop[r * wd + q] += f - fo[i];
            count[r * wd + q]++;
          }
        }
      }
    }
    float[] m = new float[x.data().length];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < h * wd; i++) {
        m[ch * h * wd + i] = count[i] == 0 ? 0f : (float) (drop[i] / count[i]);
      }
    }
    return new Attribution(new Tensor(x.axes(), s, m), f, Double.NaN, Double.NaN,
        boxes.size() + 1L);
  }

  /**
   * The effective receptive field (Luo et al. 2016) of one output pixel: {@code |dF/dx|} for a
   * pixel target, scaled so that its largest value is 1.
   *
   * @param net a differentiable network
   * @param x the input (Luo et al. use a constant or typical image)
   * @param target a {@link Target.Kind#PIXEL} target
   * @return the normalized absolute gradient
   */
  public static Attribution effectiveField(Network net, Tensor x, Target target) {
    Attribution a = gradient(net, x, target);
    absolute(a.map());
    float max = 0;
    for (float v : a.map().data()) {
      max = Math.max(max, v);
    }
    if (max > 0) {
      scale(a.map(), 1.0 / max);
    }
    return a;
  }

  /**
   * Replaces each value by its absolute value.
   *
   * @param t a tensor, changed in place
   * @return the same tensor
   */
  public static Tensor absolute(Tensor t) {
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.abs(d[i]);
    }
    return t;
  }

  /** @return the target's output weights for this input (one forward pass) */
  static Tensor outputWeights(Network net, Tensor x, Target target) {
    return target.weights(net.predict(x).shape());
  }

  /** @return the sum of the gradients of all inputs, run in batches */
  static Tensor gradientSum(Differentiable g, List<Tensor> inputs, Tensor w, int batch) {
    int b = Math.max(1, batch);
    Tensor first = inputs.get(0);
    float[] sum = new float[first.data().length];
    double[] acc = new double[sum.length];
    for (int from = 0; from < inputs.size(); from += b) {
      List<Tensor> part = inputs.subList(from, Math.min(inputs.size(), from + b));
      Tensor grad = g.gradient(Batches.stack(part), Batches.repeat(w, part.size()));
      int n = sum.length;
      for (int k = 0; k < part.size(); k++) {
        for (int i = 0; i < n; i++) {
          acc[i] += grad.data()[k * n + i];
        }
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] = (float) acc[i];
    }
    return new Tensor(first.axes(), first.shape(), sum);
  }

  private static void scale(Tensor t, double f) {
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (d[i] * f);
    }
  }

  /** Window starts from 0 by {@code stride}, the last one flush with the end. */
  private static List<Integer> starts(int size, int window, int stride) {
    List<Integer> s = new ArrayList<>();
    int last = Math.max(0, size - window);
    for (int p = 0; p < last; p += stride) {
      s.add(p);
    }
    s.add(last);
    return s;
  }
}
