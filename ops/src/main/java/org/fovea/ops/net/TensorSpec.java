package org.fovea.ops.net;

import java.util.Arrays;

/**
 * What a network accepts or returns on one tensor: its axes, the sizes it allows and the halo.
 *
 * <p>For an input, the allowed size of axis {@code i} is {@code min[i] + n * step[i]} for
 * {@code n >= 0}; a step of 0 fixes the size to {@code min[i]}. For an output whose size follows
 * an input ({@link #reference()} not null), the size of an axis is {@code inputSize * scale[i] +
 * offset[i]}, where the input size is that of the axis with the same letter in the referenced
 * input (axes it lacks take {@code min[i]}). The halo is, per axis, how many border pixels of an
 * output are not trustworthy because the network's receptive field reaches beyond its input.
 *
 * @param name the tensor's name in the model
 * @param axes its axes, outermost first
 * @param min minimum (or fixed) size per axis
 * @param step size step per axis, 0 for a fixed size
 * @param halo per axis, the border width (in this tensor's pixels) to discard when tiling
 * @param reference for outputs: the input whose size this one follows, else null
 * @param scale for outputs: size factor per axis relative to the reference
 * @param offset for outputs: size offset per axis relative to the reference
 * @since 0.1.0
 */
public record TensorSpec(String name, Axes axes, long[] min, long[] step, long[] halo,
    String reference, double[] scale, long[] offset) {

  /** Validates that every per-axis array has one entry per axis. */
  public TensorSpec {
    int n = axes.size();
    check(name, "min", min.length, n);
    check(name, "step", step.length, n);
    check(name, "halo", halo.length, n);
    if (reference != null) {
      check(name, "scale", scale.length, n);
      check(name, "offset", offset.length, n);
    }
    for (int i = 0; i < n; i++) {
      if (min[i] < 0 || step[i] < 0 || halo[i] < 0) {
        throw new IllegalArgumentException("tensor '" + name + "': negative min, step or halo on axis '"
            + axes.get(i).letter() + "'");
      }
    }
    min = min.clone();
    step = step.clone();
    halo = halo.clone();
    scale = scale == null ? null : scale.clone();
    offset = offset == null ? null : offset.clone();
  }

  private static void check(String name, String what, int len, int n) {
    if (len != n) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': " + what + " has " + len + " entries for " + n + " axes");
    }
  }

  /**
   * An input (or an output of fixed size rule) with sizes {@code min + n * step} and no halo.
   *
   * @param name tensor name
   * @param axes axes letters such as {@code "bcyx"}
   * @param min minimum sizes
   * @param step size steps
   * @return the spec
   */
  public static TensorSpec input(String name, String axes, long[] min, long[] step) {
    return new TensorSpec(name, Axes.of(axes), min, step, new long[min.length], null, null, null);
  }

  /**
   * An output whose size follows an input's.
   *
   * @param name tensor name
   * @param axes axes letters
   * @param reference the input it follows
   * @param scale size factor per axis
   * @param offset size offset per axis
   * @param halo halo per axis
   * @return the spec
   */
  public static TensorSpec output(String name, String axes, String reference, double[] scale,
      long[] offset, long[] halo) {
    int n = axes.length();
    return new TensorSpec(name, Axes.of(axes), new long[n], new long[n], halo, reference, scale,
        offset);
  }

  /**
   * @param i axis position
   * @param size a wanted size
   * @return whether the size is allowed on that axis
   */
  public boolean allows(int i, long size) {
    if (size < min[i]) {
      return false;
    }
    return step[i] == 0 ? size == min[i] : (size - min[i]) % step[i] == 0;
  }

  /**
   * @param i axis position
   * @param size a wanted size
   * @return the smallest allowed size that is at least {@code size} (the fixed size if fixed)
   */
  public long atLeast(int i, long size) {
    if (step[i] == 0 || size <= min[i]) {
      return min[i];
    }
    return min[i] + ((size - min[i] + step[i] - 1) / step[i]) * step[i];
  }

  /**
   * @param shape a tensor's shape
   * @return null when the shape is allowed, else a sentence that says which axis is wrong and why
   */
  public String checkShape(long[] shape) {
    if (shape.length != axes.size()) {
      return "tensor '" + name + "' needs " + axes.size() + " axes (" + axes + "), got shape "
          + Arrays.toString(shape);
    }
    for (int i = 0; i < shape.length; i++) {
      if (!allows(i, shape[i])) {
        String rule = step[i] == 0 ? "exactly " + min[i] : min[i] + " + n*" + step[i];
        return "tensor '" + name + "' axis '" + axes.get(i).letter() + "' has size " + shape[i]
            + " but the model needs " + rule + " (nearest: " + atLeast(i, shape[i]) + ")";
      }
    }
    return null;
  }

  /**
   * @param a an axis
   * @return the halo on that axis, 0 when absent
   */
  public long halo(Axis a) {
    int i = axes.indexOf(a);
    return i < 0 ? 0 : halo[i];
  }

  @Override
  public long[] min() {
    return min.clone();
  }

  @Override
  public long[] step() {
    return step.clone();
  }

  @Override
  public long[] halo() {
    return halo.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && name.equals(t.name) && axes.equals(t.axes)
        && Arrays.equals(min, t.min) && Arrays.equals(step, t.step) && Arrays.equals(halo, t.halo);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + axes.hashCode();
  }

  @Override
  public String toString() {
    return name + "[" + axes + " min=" + Arrays.toString(min) + " step=" + Arrays.toString(step)
        + " halo=" + Arrays.toString(halo) + "]";
  }
}
