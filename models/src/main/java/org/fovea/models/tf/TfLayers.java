package org.fovea.models.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds NHWC TensorFlow ops that compute exactly what ONNX's NCHW convolution, pooling and
 * resizing compute. All inputs and outputs here are rank-4 NHWC float tensors.
 */
final class TfLayers {

  private final Ops tf;
  private final boolean nativeDilation;

  /**
   * @param tf the graph's ops
   * @param nativeDilation true to use Conv2D's {@code dilations} attribute, false to build dilated
   *     convolutions as SpaceToBatchND, VALID convolution and BatchToSpaceND
   */
  TfLayers(Ops tf, boolean nativeDilation) {
    this.tf = tf;
    this.nativeDilation = nativeDilation;
  }

  /**
   * A 2D convolution with explicit zero padding, like ONNX Conv.
   *
   * @param x input, NHWC
   * @param w weights in ONNX layout [O, I/group, kH, kW], C order
   * @param wDims the weights' dims
   * @param bias one value per output channel, or null
   * @param pads [top, left, bottom, right]
   * @param strides [sy, sx]
   * @param dil [dy, dx]
   * @param group the number of channel groups
   * @return the output, NHWC
   */
  Operand<TFloat32> conv(Operand<TFloat32> x, float[] w, long[] wDims, float[] bias, long[] pads,
      long[] strides, long[] dil, int group) {
    int o = (int) wDims[0];
    int ig = (int) wDims[1];
    Operand<TFloat32> in = pad(x, pads, 0f);
    Operand<TFloat32> y;
    if (group == 1) {
      y = conv2d(in, hwio(w, wDims, 0, o), wDims, o, strides, dil);
    } else if (ig == 1 && o % group == 0) {
      y = depthwise(in, w, wDims, group, strides, dil);
    } else {
      int og = o / group;
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (int g = 0; g < group; g++) {
        Operand<TFloat32> xs = tf.slice(in, tf.constant(new int[] {0, 0, 0, g * ig}),
            tf.constant(new int[] {-1, -1, -1, ig}));
        parts.add(conv2d(xs, hwio(w, wDims, g * og, og), wDims, og, strides, dil));
      }
      y = tf.concat(parts, tf.constant(3));
    }
    if (bias != null) {
      y = tf.nn.biasAdd(y, tf.constant(bias));
    }
    return y;
  }

  private Operand<TFloat32> conv2d(Operand<TFloat32> x, Operand<TFloat32> k, long[] wDims,
      int outChannels, long[] strides, long[] dil) {
    List<Long> st = List.of(1L, strides[0], strides[1], 1L);
    if (nativeDilation || (dil[0] == 1 && dil[1] == 1)) {
      return tf.nn.conv2d(x, k, st, "VALID",
          Conv2d.dilations(List.of(1L, dil[0], dil[1], 1L)));
    }
    return atrous(x, dil, v -> tf.nn.conv2d(v, k, st, "VALID"));
  }

  private Operand<TFloat32> depthwise(Operand<TFloat32> x, float[] w, long[] wDims, int group,
      long[] strides, long[] dil) {
    int o = (int) wDims[0];
    int m = o / group;
    int kh = (int) wDims[2];
    int kw = (int) wDims[3];
    // ONNX output channel c*m+j reads input channel c; TF's filter is [kh, kw, c, j].
    float[] f = new float[kh * kw * o];
    for (int oc = 0; oc < o; oc++) {
      for (int y = 0; y < kh; y++) {
        for (int xx = 0; xx < kw; xx++) {
          f[(y * kw + xx) * o + oc] = w[(oc * kh + y) * kw + xx];
        }
      }
    }
    Operand<TFloat32> k = tf.constant(Shape.of(kh, kw, group, m), DataBuffers.of(f, true, false));
    List<Long> st = List.of(1L, strides[0], strides[1], 1L);
    if (dil[0] == 1 && dil[1] == 1) {
      return tf.nn.depthwiseConv2dNative(x, k, st, "VALID");
    }
    // TensorFlow's CPU depthwise kernel rejects dilations, so this form is used in every mode.
    return atrous(x, dil, v -> tf.nn.depthwiseConv2dNative(v, k, st, "VALID"));
  }

  /**
   * A VALID dilated operation on an already padded input, as SpaceToBatchND, the undilated
   * operation, and BatchToSpaceND. The input is padded at the bottom and right up to a multiple
   * of the dilation and the same amount is cropped after, so any input size works.
   */
  private Operand<TFloat32> atrous(Operand<TFloat32> x, long[] dil,
      UnaryOperator<Operand<TFloat32>> valid) {
    Operand<TInt32> block = tf.constant(new int[] {(int) dil[0], (int) dil[1]});
    Operand<TInt32> hw = tf.slice(tf.shape(x), tf.constant(new int[] {1}),
        tf.constant(new int[] {2}));
    Operand<TInt32> extra = tf.math.floorMod(tf.math.neg(hw), block);
    Operand<TInt32> pads = tf.stack(List.of(tf.constant(new int[] {0, 0}), extra),
        Stack.axis(1L));
    Operand<TFloat32> s2b = tf.spaceToBatchNd(x, block, pads);
    return tf.batchToSpaceNd(valid.apply(s2b), block, pads);
  }

  /** Reorders ONNX weights [O, I, kH, kW] for outputs [from, from + n) into a TF HWIO constant. */
  private Operand<TFloat32> hwio(float[] w, long[] wDims, int from, int n) {
    int in = (int) wDims[1];
    int kh = (int) wDims[2];
    int kw = (int) wDims[3];
    float[] k = new float[kh * kw * in * n];
    for (int o = 0; o < n; o++) {
      for (int i = 0; i < in; i++) {
        for (int y = 0; y < kh; y++) {
          for (int xx = 0; xx < kw; xx++) {
            k[((y * kw + xx) * in + i) * n + o] = w[(((from + o) * in + i) * kh + y) * kw + xx];
          }
        }
      }
    }
    return tf.constant(Shape.of(kh, kw, in, n), DataBuffers.of(k, true, false));
  }

  /**
   * Max pooling like ONNX MaxPool: padding never wins (it is filled with -infinity).
   *
   * @param x input, NHWC
   * @param kernel [kH, kW]
   * @param strides [sy, sx]
   * @param pads [top, left, bottom, right]
   * @return the output, NHWC
   */
  Operand<TFloat32> maxPool(Operand<TFloat32> x, long[] kernel, long[] strides, long[] pads) {
    Operand<TFloat32> in = pad(x, pads, Float.NEGATIVE_INFINITY);
    return tf.nn.maxPool(in, tf.constant(new int[] {1, (int) kernel[0], (int) kernel[1], 1}),
        tf.constant(new int[] {1, (int) strides[0], (int) strides[1], 1}), "VALID");
  }

  /**
   * Nearest-neighbour upsampling by integer factors: {@code out[i] = in[floor(i / s)]}.
   *
   * @param x input, NHWC
   * @param sy row factor
   * @param sx column factor
   * @return the output, NHWC
   */
  Operand<TFloat32> upsampleNearest(Operand<TFloat32> x, int sy, int sx) {
    Operand<TInt32> hw = tf.slice(tf.shape(x), tf.constant(new int[] {1}),
        tf.constant(new int[] {2}));
    Operand<TInt32> size = tf.math.mul(hw, tf.constant(new int[] {sy, sx}));
    return tf.image.resizeNearestNeighbor(x, size, ResizeNearestNeighbor.alignCorners(false),
        ResizeNearestNeighbor.halfPixelCenters(false));
  }

  /** Pads rows and columns with a constant; pads are [top, left, bottom, right]. */
  Operand<TFloat32> pad(Operand<TFloat32> x, long[] pads, float value) {
    boolean any = false;
    for (long p : pads) {
      any |= p != 0;
    }
    if (!any) {
      return x;
    }
    Operand<TInt32> p = tf.constant(new int[][] {{0, 0}, {(int) pads[0], (int) pads[2]},
        {(int) pads[1], (int) pads[3]}, {0, 0}});
    return tf.pad(x, p, tf.constant(value));
  }
}
