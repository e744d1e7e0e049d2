package org.fovea.ops.rf;

import java.util.Arrays;

/**
 * The sliding window of a convolution, transposed convolution, pooling or padding layer, per
 * spatial axis (in the order of the model's spatial axes).
 *
 * <p>For a convolution, output {@code v} reads inputs {@code v * stride - padBegin + j * dilation}
 * for {@code j = 0 .. kernel - 1}. For a transposed convolution, input {@code x} writes outputs
 * {@code x * stride - padBegin + j * dilation}. With a {@link PadMode} other than {@link
 * PadMode#EXPLICIT}, the pads are computed from the input size and {@code padBegin}/{@code padEnd}
 * are ignored.
 *
 * @param kernel kernel size per axis, at least 1
 * @param stride stride per axis, at least 1
 * @param dilation dilation per axis, at least 1
 * @param padBegin explicit padding before the first input per axis (negative crops)
 * @param padEnd explicit padding after the last input per axis (negative crops)
 * @param mode how the pads are chosen
 * @param ceil for pooling: round the output size up (PyTorch's and ONNX's {@code ceil_mode})
 * @param outputPadding for transposed convolutions: extra outputs at the end per axis
 * @since 0.1.0
 */
public record Window(long[] kernel, long[] stride, long[] dilation, long[] padBegin,
    long[] padEnd, PadMode mode, boolean ceil, long[] outputPadding) {

  /** Validates that every array has one entry per axis and that sizes are positive. */
  public Window {
    int n = kernel.length;
    if (stride.length != n || dilation.length != n || padBegin.length != n || padEnd.length != n
        || outputPadding.length != n) {
      throw new IllegalArgumentException("window arrays differ in length: kernel "
          + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride));
    }
    for (int a = 0; a < n; a++) {
      if (kernel[a] < 1 || stride[a] < 1 || dilation[a] < 1 || outputPadding[a] < 0) {
        throw new IllegalArgumentException("window with kernel " + Arrays.toString(kernel)
            + ", stride " + Arrays.toString(stride) + ", dilation " + Arrays.toString(dilation)
            + ": sizes must be positive");
      }
    }
    kernel = kernel.clone();
    stride = stride.clone();
    dilation = dilation.clone();
    padBegin = padBegin.clone();
    padEnd = padEnd.clone();
    outputPadding = outputPadding.clone();
  }

  /**
   * @param kernel kernel per axis
   * @param stride stride per axis
   * @param dilation dilation per axis
   * @param padBegin pads before per axis
   * @param padEnd pads after per axis
   * @return a window with explicit padding
   */
  public static Window explicit(long[] kernel, long[] stride, long[] dilation, long[] padBegin,
      long[] padEnd) {
    return new Window(kernel, stride, dilation, padBegin, padEnd, PadMode.EXPLICIT, false,
        new long[kernel.length]);
  }

  /**
   * @param kernel kernel per axis
   * @param stride stride per axis
   * @param dilation dilation per axis
   * @param mode {@link PadMode#SAME_UPPER}, {@link PadMode#SAME_LOWER} or {@link PadMode#VALID}
   * @return a window whose pads follow from the input size
   */
  public static Window auto(long[] kernel, long[] stride, long[] dilation, PadMode mode) {
    int n = kernel.length;
    return new Window(kernel, stride, dilation, new long[n], new long[n], mode, false, new long[n]);
  }

  /**
   * @param begin pads before per axis (negative crops)
   * @param end pads after per axis (negative crops)
   * @return the window of a padding layer: kernel 1, stride 1
   */
  public static Window padding(long[] begin, long[] end) {
    long[] one = new long[begin.length];
    Arrays.fill(one, 1);
    return explicit(one, one, one, begin, end);
  }

  /** @return the number of spatial axes */
  public int axes() {
    return kernel.length;
  }

  /**
   * @param a axis
   * @return the extent of the dilated kernel, {@code dilation * (kernel - 1) + 1}
   */
  public long span(int a) {
    return dilation[a] * (kernel[a] - 1) + 1;
  }

  /**
   * The pads of a convolution or pooling on an input of size {@code n}.
   *
   * @param a axis
   * @param n input size on that axis
   * @return {@code {begin, end}}
   */
  public long[] pads(int a, long n) {
    return switch (mode) {
      case EXPLICIT -> new long[] {padBegin[a], padEnd[a]};
      case VALID -> new long[] {0, 0};
      default -> {
        long out = Math.floorDiv(n + stride[a] - 1, stride[a]);
        long total = Math.max(0, (out - 1) * stride[a] + span(a) - n);
        long begin = mode == PadMode.SAME_UPPER ? total / 2 : total - total / 2;
        yield new long[] {begin, total - begin};
      }
    };
  }

  /**
   * The output size of a convolution or pooling (PyTorch's rule for {@code ceil}: a last window
   * that would start in the end padding is dropped).
   *
   * @param a axis
   * @param n input size
   * @return the output size, possibly below 1 for a too small input
   */
  public long outSize(int a, long n) {
    if (mode == PadMode.SAME_UPPER || mode == PadMode.SAME_LOWER) {
      return Math.floorDiv(n + stride[a] - 1, stride[a]);
    }
    long[] p = pads(a, n);
    long room = n + p[0] + p[1] - span(a);
    if (room < 0) {
      return 0;
    }
    if (!ceil) {
      return room / stride[a] + 1;
    }
    long out = Math.floorDiv(room + stride[a] - 1, stride[a]) + 1;
    return (out - 1) * stride[a] >= n + p[0] ? out - 1 : out;
  }

  /**
   * The pads of a transposed convolution on an input of size {@code n}; for the SAME modes the
   * output size is {@code n * stride} and, as the ONNX specification says, {@link
   * PadMode#SAME_UPPER} puts the larger half at the end.
   *
   * @param a axis
   * @param n input size
   * @return {@code {begin, end}}
   */
  public long[] transposedPads(int a, long n) {
    return switch (mode) {
      case EXPLICIT -> new long[] {padBegin[a], padEnd[a]};
      case VALID -> new long[] {0, 0};
      default -> {
        long total = Math.max(0, stride[a] * (n - 1) + outputPadding[a] + span(a) - n * stride[a]);
        long begin = mode == PadMode.SAME_UPPER ? total / 2 : total - total / 2;
        yield new long[] {begin, total - begin};
      }
    };
  }

  /**
   * @param a axis
   * @param n input size
   * @return the output size of a transposed convolution
   */
  public long transposedOutSize(int a, long n) {
    long[] p = transposedPads(a, n);
    return (n - 1) * stride[a] - p[0] - p[1] + span(a) + outputPadding[a];
  }

  @Override
  public long[] kernel() {
    return kernel.clone();
  }

  @Override
  public long[] stride() {
    return stride.clone();
  }

  @Override
  public long[] dilation() {
    return dilation.clone();
  }

  @Override
  public long[] padBegin() {
    return padBegin.clone();
  }

  @Override
  public long[] padEnd() {
    return padEnd.clone();
  }

  @Override
  public long[] outputPadding() {
    return outputPadding.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Window w && Arrays.equals(kernel, w.kernel)
        && Arrays.equals(stride, w.stride)
        && Arrays.equals(dilation, w.dilation) && Arrays.equals(padBegin, w.padBegin)
        && Arrays.equals(padEnd, w.padEnd) && mode == w.mode && ceil == w.ceil
        && Arrays.equals(outputPadding, w.outputPadding);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(kernel) * 31 + Arrays.hashCode(stride);
  }

  @Override
  public String toString() {
    return "Window[k=" + Arrays.toString(kernel) + " s=" + Arrays.toString(stride) + " d="
        + Arrays.toString(dilation) + " pads=" + Arrays.toString(padBegin) + "/"
        + Arrays.toString(padEnd) + " " + mode + (ceil ? " ceil" : "") + "]";
  }
}
