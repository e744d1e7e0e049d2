package org.fovea.ops.rf;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * Measures how far a network's outputs reach before and after themselves by perturbation, on any
 * {@link Network}: one line of input pixels across a spatial axis is changed by small and large
 * values of both signs, at several neighbouring positions (phases), and every output that changes
 * at all sees that line. The maximum over lines and amplitudes is a lower bound of the true reach
 * that meets it in practice (a change dies only where every path through the weights, activations
 * and pooling cancels it); the analytic reach of {@link ReceptiveFields} is an upper bound.
 *
 * <p>{@link #measure(Network)} doubles the input while a changed output touches the border of the
 * output, so that the field is not cut by the image border.
 *
 * @since 0.1.0
 */
public final class EmpiricalReach {

  /** The amplitudes added to the perturbed line. */
  private static final float[] AMPLITUDES = {1f, -1f, 1000f, -1000f};
  private static final long MAX_SIZE = 2048;

  /**
   * What was measured.
   *
   * @param axes the spatial axes, in the input's order
   * @param before per spatial axis, how far an output sees before the input pixels it stands for
   * @param after per spatial axis, how far it sees after them
   * @param inputSize the spatial input size the measurement settled on
   * @param predictions how many forward passes it took
   * @param clipped whether a changed output lay on the output's border, so that the field may
   *     reach further than measured
   */
  public record Reach(List<Axis> axes, long[] before, long[] after, long[] inputSize,
      int predictions, boolean clipped) {

    /** Copies the arrays. */
    public Reach {
      axes = List.copyOf(axes);
      before = before.clone();
      after = after.clone();
      inputSize = inputSize.clone();
    }

    @Override
    public long[] before() {
      return before.clone();
    }

    @Override
    public long[] after() {
      return after.clone();
    }

    @Override
    public long[] inputSize() {
      return inputSize.clone();
    }
  }

  private EmpiricalReach() {}

  /**
   * Measures from a 128-pixel input (48 voxels per axis for a volume, whose passes cost the cube),
   * doubled up to 2048 (192 for a volume) while a changed output touches the
   * output's border (unless the field covers the whole input at two sizes in a row, as for a
   * network with global pooling or instance normalization), perturbing as many neighbouring lines
   * as the input's size step, at least 8 (2 for a volume).
   *
   * @param net a network with one image input
   * @return the reach
   * @throws FoveaException when the network has no spatial axes or no output ever changes
   */
  public static Reach measure(Network net) {
    TensorSpec in = net.inputs().get(0);
    int spatial = in.axes().spatial().size();
    // every output phase of a strided network needs its own perturbed line; a volume's passes
    // cost the cube, so it perturbs 2 lines (not 8) when its size step allows
    int phases = spatial >= 3 ? 2 : 8;
    for (int i = 0; i < in.axes().size(); i++) {
      if (in.axes().get(i).isSpatial()) {
        phases = (int) Math.max(phases, Math.min(64, in.step()[i]));
      }
    }
    boolean wholeBefore = false;
    long max = spatial >= 3 ? 192 : MAX_SIZE;
    for (long size = spatial >= 3 ? 48 : 128; ; size *= 2) {
      long[] sizes = new long[spatial];
      Arrays.fill(sizes, size);
      Reach r = measureAt(net, sizes, phases, null);
      boolean whole = whole(r);
      if (!r.clipped() || size * 2 > max || (whole && wholeBefore)) {
        return r; // a field that covers the whole input at two sizes will not end at a larger one
      }
      wholeBefore = whole;
    }
  }

  /**
   * Measures at one input size.
   *
   * @param net a network with one image input
   * @param size the spatial input size per spatial axis (rounded up to an allowed size)
   * @param phases how many neighbouring lines around the middle to perturb per axis: at least the
   *     network's total stride, so that every output phase is seen
   * @param stride per spatial axis, the input pixels per output that define which input pixels an
   *     output stands for; null for the ratio of input to output size
   * @return the reach
   * @throws FoveaException when the network has no spatial axes or no output ever changes
   */
  public static Reach measureAt(Network net, long[] size, int phases, double[] stride) {
    TensorSpec in = net.inputs().get(0);
    TensorSpec out = net.outputs().get(0);
    List<Axis> spatial = in.axes().spatial();
    if (spatial.isEmpty()) {
      throw new FoveaException("input '" + in.name() + "' (" + in.axes() + ") has no spatial axes:"
          + " the reach is measured along y, x or z");
    }
    long[] shape = shape(in, size);
    Tensor base = noise(in.axes(), shape);
    Tensor base0 = net.predict(base);
    int predictions = 1;
    long[] before = new long[spatial.size()];
    long[] after = new long[spatial.size()];
    boolean clipped = false;
    for (int s = 0; s < spatial.size(); s++) {
      Axis axis = spatial.get(s);
      int ia = in.axes().indexOf(axis);
      int oa = out.axes().indexOf(axis);
      if (oa < 0) {
        throw new FoveaException("output '" + out.name() + "' lacks the input's axis '"
            + axis.letter() + "': the reach is measured on outputs with the input's spatial axes");
      }
      long n = shape[ia];
      long m = base0.shape()[oa];
      double st = stride == null ? (double) n / m : stride[s];
      before[s] = Long.MIN_VALUE;
      after[s] = Long.MIN_VALUE;
      for (int j = 0; j < phases; j++) {
        long p = n / 2 - phases / 2 + j;
        for (float amp : AMPLITUDES) {
          boolean[] changed = changed(base0, net.predict(perturb(base, ia, p, amp)), oa);
          predictions++;
          for (int u = 0; u < m; u++) {
            if (changed[u]) {
              long start = (long) Math.floor(u * st + 1e-9);
              long end = (long) Math.ceil((u + 1) * st - 1e-9) - 1;
              before[s] = Math.max(before[s], start - p);
              after[s] = Math.max(after[s], p - end);
              clipped |= u == 0 || u == m - 1;
            }
          }
        }
      }
      if (before[s] == Long.MIN_VALUE) {
        throw new FoveaException("no output of the " + net.engine() + " network changed when"
            + " input line " + (n / 2) + " on axis '" + axis.letter() + "' changed: the reach"
            + " cannot be measured, check that the network depends on its input");
      }
    }
    long[] used = spatial.stream().mapToLong(a -> shape[in.axes().indexOf(a)]).toArray();
    return new Reach(spatial, before, after, used, predictions, clipped);
  }

  /** @return whether on some axis every output saw the middle lines: the field spans the input */
  private static boolean whole(Reach r) {
    for (int s = 0; s < r.before.length; s++) {
      if (r.before[s] + r.after[s] >= r.inputSize[s] - 1) {
        return true;
      }
    }
    return false;
  }

  private static long[] shape(TensorSpec in, long[] size) {
    long[] shape = new long[in.axes().size()];
    int s = 0;
    for (int i = 0; i < shape.length; i++) {
      Axis a = in.axes().get(i);
      shape[i] = in.atLeast(i, a.isSpatial() ? size[s++] : 1);
    }
    return shape;
  }

  private static Tensor noise(Axes axes, long[] shape) {
    Tensor t = Tensor.zeros(axes, shape);
    Random r = new Random(12345);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return t;
  }

  /** A copy of the tensor with amp added to every element whose coordinate on axis ia is p. */
  private static Tensor perturb(Tensor base, int ia, long p, float amp) {
    float[] d = base.data().clone();
    long[] st = base.strides();
    long[] shape = base.shape();
    for (int i = 0; i < d.length; i++) {
      if ((i / st[ia]) % shape[ia] == p) {
        d[i] += amp;
      }
    }
    return new Tensor(base.axes(), shape, d);
  }

  private static boolean[] changed(Tensor a, Tensor b, int oa) {
    if (!Arrays.equals(a.shape(), b.shape())) {
      throw new FoveaException("the network's output shape changed from "
          + Arrays.toString(a.shape()) + " to " + Arrays.toString(b.shape())
          + " for inputs of one shape: the reach cannot be measured");
    }
    long[] st = a.strides();
    long m = a.shape()[oa];
    boolean[] c = new boolean[(int) m];
    float[] x = a.data();
    float[] y = b.data();
    for (int i = 0; i < x.length; i++) {
      if (Float.compare(x[i], y[i]) != 0) {
        c[(int) ((i / st[oa]) % m)] = true;
      }
    }
    return c;
  }
}
