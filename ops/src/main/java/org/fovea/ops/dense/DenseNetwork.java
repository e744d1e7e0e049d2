package org.fovea.ops.dense;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * A strided network made dense: one output per input pixel, each from the same weights as the
 * network's own outputs, centred on its pixel as {@link DenseGeometry} says. Takes and gives
 * {@code bcyx} tensors of any spatial size; the output has the input's height and width.
 *
 * <p>Two ways to get there, equal to 1e-5 away from the image border:
 * <ul>
 *   <li>{@link Method#SHIFT_STITCH}: {@code S_y * S_x} passes of the network itself over the input
 *       shifted by {@code (dy, dx)}, interleaved. Needs nothing but the network; the reference and
 *       the fallback.
 *   <li>{@link Method#ATROUS}: one pass of the network rewritten with strides moved into the
 *       dilations of later layers (done on the graph by the caller, for instance {@code
 *       AtrousRewrite} of the models module); the rewritten network gives the dense map {@code D}.
 * </ul>
 * Either way the input is first extended by the receptive field's reach (mirrored), so that every
 * output whose pixel lies in the input sees real or mirrored pixels and no engine padding. A tiler
 * gives each tile at least {@link DenseGeometry#before} / {@link DenseGeometry#after} of real
 * context (the output spec's halo), so tiled equals whole.
 *
 * @since 0.3.0
 */
public final class DenseNetwork implements Network {

  /** How the dense map is computed. */
  public enum Method {
    /** One pass of the rewritten, dilated network. */
    ATROUS("atrous"),
    /** One pass of the strided network per shift, interleaved. */
    SHIFT_STITCH("shift-stitch"),
    /**
     * Not dense: one pass of the strided network, its outputs interpolated bilinearly between the
     * pixels they stand for (the usual way to bring a coarse output to the image's size; the
     * comparison that shows what dense prediction adds).
     */
    UPSAMPLE("upsample");

    private final String key;

    Method(String key) {
      this.key = key;
    }

    /** @return the name users type, such as {@code shift-stitch} */
    public String key() {
      return key;
    }

    /**
     * @param key {@code atrous} or {@code shift-stitch}
     * @return the method
     * @throws FoveaException for another word
     */
    public static Method of(String key) {
      for (Method m : values()) {
        if (m.key.equalsIgnoreCase(key)) {
          return m;
        }
      }
      throw new FoveaException("unknown dense method '" + key + "': use atrous or shift-stitch");
    }
  }

  private final Network inner;
  private final Method method;
  private final DenseGeometry geometry;
  private final TensorSpec input;
  private final TensorSpec output;
  private final TensorSpec innerInput;

  private DenseNetwork(Network inner, Method method, DenseGeometry geometry, TensorSpec coarseIn,
      TensorSpec coarseOut) {
    if (geometry.axes() != 2 || !coarseIn.axes().toString().equals("bcyx")
        || !coarseOut.axes().toString().equals("bcyx")) {
      throw new FoveaException("dense prediction runs 2D networks with bcyx axes; this one has "
          + coarseIn.axes() + " -> " + coarseOut.axes());
    }
    this.inner = inner;
    this.method = method;
    this.geometry = geometry;
    this.innerInput = inner.inputs().get(0);
    long[] min = coarseIn.min();
    long[] step = coarseIn.step();
    for (int a = 2; a < 4; a++) {
      min[a] = 1;
      step[a] = 1;
    }
    this.input = new TensorSpec(coarseIn.name(), coarseIn.axes(), min, step, new long[4], null,
        null, null);
    double[] scale = {1, 0, 1, 1};
    long[] offset = new long[4];
    int c = coarseOut.axes().indexOf(Axis.CHANNEL);
    if (coarseOut.reference() != null) {
      scale[1] = coarseOut.scale()[c];
      offset[1] = coarseOut.offset()[c];
    } else {
      offset[1] = coarseOut.min()[c];
    }
    long h = Math.max(Math.max(geometry.before(0), geometry.after(0)),
        Math.max(geometry.before(1), geometry.after(1)));
    this.output = new TensorSpec(coarseOut.name(), coarseOut.axes(), new long[4], new long[4],
        new long[] {0, 0, h, h}, coarseIn.name(), scale, offset);
  }

  /**
   * @param coarse the strided network; the dense network closes it
   * @param geometry its receptive-field geometry
   * @return the network computing dense outputs by shift-and-stitch
   */
  public static DenseNetwork shiftStitch(Network coarse, DenseGeometry geometry) {
    return new DenseNetwork(coarse, Method.SHIFT_STITCH, geometry, coarse.inputs().get(0),
        coarse.outputs().get(0));
  }

  /**
   * @param coarse the strided network; the returned network closes it
   * @param geometry its receptive-field geometry
   * @return the network that interpolates the strided outputs bilinearly to every pixel
   */
  public static DenseNetwork upsampled(Network coarse, DenseGeometry geometry) {
    return new DenseNetwork(coarse, Method.UPSAMPLE, geometry, coarse.inputs().get(0),
        coarse.outputs().get(0));
  }

  /**
   * @param rewritten the à trous network, whose output is the dense map on its input grid; the
   *     dense network closes it
   * @param geometry the receptive-field geometry of the original, strided network
   * @param coarseIn the original network's input spec
   * @param coarseOut the original network's output spec
   * @return the network computing dense outputs in one pass
   */
  public static DenseNetwork atrous(Network rewritten, DenseGeometry geometry, TensorSpec coarseIn,
      TensorSpec coarseOut) {
    return new DenseNetwork(rewritten, Method.ATROUS, geometry, coarseIn, coarseOut);
  }

  /** @return how the dense map is computed */
  public Method method() {
    return method;
  }

  /** @return the geometry of the dense outputs */
  public DenseGeometry geometry() {
    return geometry;
  }

  @Override
  public List<TensorSpec> inputs() {
    return List.of(input);
  }

  @Override
  public List<TensorSpec> outputs() {
    return List.of(output);
  }

  @Override
  public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
    Tensor x = inputs.get(input.name());
    if (x == null) {
      throw new FoveaException("no tensor given for the input '" + input.name() + "'");
    }
    String bad = input.checkShape(x.shape());
    if (bad != null) {
      throw new FoveaException(bad);
    }
    return Map.of(output.name(), dense(x));
  }

  /**
   * @param x a {@code bcyx} input
   * @return the dense output, {@code bcyx} with the input's height and width
   */
  public Tensor dense(Tensor x) {
    long h = x.shape()[2];
    long w = x.shape()[3];
    long[] s = geometry.stride();
    // S - 1 pixels more than the reach on each side: every shifted pass starts at dy < S, and its
    // first outputs that are kept still see no engine padding
    Tensor e = extend(x, geometry.before(0) + s[0] - 1, geometry.after(0) + s[0] - 1,
        geometry.before(1) + s[1] - 1, geometry.after(1) + s[1] - 1);
    // output i is D[i + off]: D[x] sees extended pixels x + lo .. x + hi, and output i sees
    // i - before .. i + after of the input, which is i + S - 1 .. of the extension
    long off0 = s[0] - 1 - geometry.lo()[0];
    long off1 = s[1] - 1 - geometry.lo()[1];
    if (method == Method.ATROUS) {
      Tensor d = single(inner, innerInput, e);
      need(d, h - 1 + off0, w - 1 + off1);
      Tensor out = Tensor.zeros(d.axes(), d.shape()[0], d.shape()[1], h, w);
      place(d, out, 1, 1, 0, 0, off0, off1);
      return out;
    }
    long ly = e.shape()[2] - (s[0] - 1);
    long lx = e.shape()[3] - (s[1] - 1);
    // each pass a multiple of the stride (zeros after the end, which no kept output sees): the
    // padding of SAME layers, which depends on the size, is then the same as in the geometry
    long py = passSize(innerInput, 2, ly, s[0]);
    long px = passSize(innerInput, 3, lx, s[1]);
    if (method == Method.UPSAMPLE) {
      Tensor crop = e.box(new long[4], new long[] {e.shape()[0], e.shape()[1], ly, lx});
      Tensor c = single(inner, innerInput, py == ly && px == lx ? crop : zeroPad(crop, py, px));
      need(c, Math.floorDiv(h - 1 + off0, s[0]), Math.floorDiv(w - 1 + off1, s[1]));
      return bilinear(c, h, w, s, off0, off1);
    }
    Tensor out = null;
    for (long dy = 0; dy < s[0]; dy++) {
      for (long dx = 0; dx < s[1]; dx++) {
        Tensor crop = e.box(new long[] {0, 0, dy, dx},
            new long[] {e.shape()[0], e.shape()[1], ly, lx});
        Tensor c = single(inner, innerInput, py == ly && px == lx ? crop : zeroPad(crop, py, px));
        need(c, Math.floorDiv(h - 1 + off0 - dy, s[0]), Math.floorDiv(w - 1 + off1 - dx, s[1]));
        if (out == null) {
          out = Tensor.zeros(c.axes(), c.shape()[0], c.shape()[1], h, w);
        }
        place(c, out, s[0], s[1], dy, dx, off0, off1);
      }
    }
    return out;
  }

  /**
   * Output i lies at D index i + off, which is coarse index (i + off) / S: interpolated between
   * the two coarse outputs around it (the last one repeated past the end).
   */
  private static Tensor bilinear(Tensor c, long h, long w, long[] s, long off0, long off1) {
    Tensor out = Tensor.zeros(c.axes(), c.shape()[0], c.shape()[1], h, w);
    int ch = (int) c.shape()[2];
    int cw = (int) c.shape()[3];
    int[] x0 = new int[(int) w];
    float[] fx = new float[(int) w];
    for (int j = 0; j < w; j++) {
      long q = j + off1;
      x0[j] = (int) Math.min(q / s[1], cw - 1);
      fx[j] = x0[j] + 1 < cw ? (float) (q - x0[j] * s[1]) / s[1] : 0f;
    }
    float[] cd = c.data();
    float[] od = out.data();
    for (long p = 0; p < c.shape()[0] * c.shape()[1]; p++) {
      for (int i = 0; i < h; i++) {
        long q = i + off0;
        int y0 = (int) Math.min(q / s[0], ch - 1);
        float fy = y0 + 1 < ch ? (float) (q - y0 * s[0]) / s[0] : 0f;
        int r0 = (int) (p * ch * cw + (long) y0 * cw);
        int r1 = y0 + 1 < ch ? r0 + cw : r0;
        int o = (int) (p * h * w + (long) i * w);
        for (int j = 0; j < w; j++) {
          int a = x0[j];
          int b = a + 1 < cw ? a + 1 : a;
          float top = cd[r0 + a] + fx[j] * (cd[r0 + b] - cd[r0 + a]);
          float bottom = cd[r1 + a] + fx[j] * (cd[r1 + b] - cd[r1 + a]);
          od[o + j] = top + fy * (bottom - top);
        }
      }
    }
    return out;
  }

  /** Value o of a pass at shift d is D[stride * o + d], which is output {@code i = that - off}. */
  private static void place(Tensor src, Tensor out, long sy, long sx, long dy, long dx, long off0,
      long off1) {
    long n = out.shape()[0] * out.shape()[1];
    int h = (int) out.shape()[2];
    int w = (int) out.shape()[3];
    int ch = (int) src.shape()[2];
    int cw = (int) src.shape()[3];
    float[] sd = src.data();
    float[] od = out.data();
    for (long p = 0; p < n; p++) {
      long sbase = p * ch * cw;
      long obase = p * h * w;
      for (long o = 0; o < ch; o++) {
        long i = sy * o + dy - off0;
        if (i < 0 || i >= h) {
          continue;
        }
        for (long q = 0; q < cw; q++) {
          long j = sx * q + dx - off1;
          if (j >= 0 && j < w) {
            od[(int) (obase + i * w + j)] = sd[(int) (sbase + o * cw + q)];
          }
        }
      }
    }
  }

  private void need(Tensor t, long lastY, long lastX) {
    if (t.shape()[2] <= lastY || t.shape()[3] <= lastX) {
      throw new FoveaException(String.format(Locale.ROOT, "the %s pass of %s gave %dx%d outputs"
          + " where %dx%d are needed: its receptive field does not match the graph's", method.key,
          inner.engine(), t.shape()[3], t.shape()[2], lastX + 1, lastY + 1));
    }
  }

  /** The smallest size from {@code n} on that the network takes and that is a multiple of s. */
  private static long passSize(TensorSpec in, int axis, long n, long s) {
    long p = in.atLeast(axis, n);
    for (int i = 0; i < 4096 && p % s != 0; i++) {
      p = in.atLeast(axis, p + 1);
    }
    if (p % s != 0) {
      throw new FoveaException("the network takes no input size near " + n + " that is a"
          + " multiple of its stride " + s + ": it cannot be made dense");
    }
    return p;
  }

  private static Tensor single(Network net, TensorSpec in, Tensor x) {
    Map<String, Tensor> out = net.predict(Map.of(in.name(), x));
    return out.get(net.outputs().get(0).name());
  }

  /** Mirrors the input past its border (without repeating the edge), clamped for tiny inputs. */
  static Tensor extend(Tensor x, long top, long bottom, long left, long right) {
    long[] sh = x.shape();
    long h = sh[2];
    long w = sh[3];
    long eh = h + top + bottom;
    long ew = w + left + right;
    Tensor e = Tensor.zeros(x.axes(), sh[0], sh[1], eh, ew);
    float[] src = x.data();
    float[] dst = e.data();
    int[] cols = new int[(int) ew];
    for (int j = 0; j < ew; j++) {
      cols[j] = (int) reflect(j - left, w);
    }
    for (long p = 0; p < sh[0] * sh[1]; p++) {
      for (long i = 0; i < eh; i++) {
        long row = p * h * w + reflect(i - top, h) * w;
        int base = (int) (p * eh * ew + i * ew);
        for (int j = 0; j < ew; j++) {
          dst[base + j] = src[(int) (row + cols[j])];
        }
      }
    }
    return e;
  }

  static long reflect(long i, long n) {
    if (n == 1) {
      return 0;
    }
    long period = 2 * (n - 1);
    long m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }

  private static Tensor zeroPad(Tensor t, long h, long w) {
    Tensor p = Tensor.zeros(t.axes(), t.shape()[0], t.shape()[1], h, w);
    int th = (int) t.shape()[2];
    int tw = (int) t.shape()[3];
    for (long q = 0; q < t.shape()[0] * t.shape()[1]; q++) {
      for (int i = 0; i < th; i++) {
        System.arraycopy(t.data(), (int) (q * th * tw + (long) i * tw), p.data(),
            (int) (q * h * w + i * w), tw);
      }
    }
    return p;
  }

  @Override
  public String engine() {
    return inner.engine();
  }

  @Override
  public String noGradientsReason() {
    return "the dense (" + method.key + ") form of a strided network has no gradients: run it"
        + " with dense prediction off (--dense off)";
  }

  @Override
  public String device() {
    return inner.device();
  }

  @Override
  public boolean concurrent() {
    return inner.concurrent();
  }

  @Override
  public void close() {
    inner.close();
  }

  @Override
  public String toString() {
    return "dense (" + method.key + ") " + inner.engine() + " network, " + geometry.describe();
  }
}
