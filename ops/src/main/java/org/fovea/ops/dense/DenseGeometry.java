package org.fovea.ops.dense;

import java.util.Arrays;
import java.util.Locale;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.FieldReport;

/**
 * Where the dense outputs of a strided network stand, per spatial axis, from its receptive field.
 *
 * <p>A network of total stride {@code S} computes output {@code u} from input pixels {@code u S +
 * lo .. u S + hi}. Its dense map {@code D[x]} (one value per input position: output {@code x / S} of
 * the input shifted by {@code x mod S}) then sees {@code x + lo .. x + hi}, centred on {@code x +
 * (lo + hi) / 2}. The dense output for input pixel {@code i} is {@code D[i - floor((lo + hi) / 2)]}:
 * its field is centred on {@code i} when the receptive field is odd, and on {@code i + 1/2} when it
 * is even (a half pixel that no integer shift removes, reported by {@link #halfPixel(int)}).
 * {@link #before(int)} and {@link #after(int)} are how far the field of output {@code i} reaches
 * before and after {@code i}: the context a tile needs.
 *
 * @param stride total stride per spatial axis
 * @param lo first input pixel of output 0's field, per axis (negative: padding)
 * @param hi last input pixel of output 0's field, per axis
 * @since 0.3.0
 */
public record DenseGeometry(long[] stride, long[] lo, long[] hi) {

  /** Copies and checks the arrays. */
  public DenseGeometry {
    stride = stride.clone();
    lo = lo.clone();
    hi = hi.clone();
    if (lo.length != stride.length || hi.length != stride.length) {
      throw new IllegalArgumentException("stride, lo and hi need one entry per axis");
    }
    for (int a = 0; a < stride.length; a++) {
      if (stride[a] < 1 || hi[a] < lo[a]) {
        throw new IllegalArgumentException("axis " + a + ": stride " + stride[a] + ", field "
            + lo[a] + ".." + hi[a]);
      }
    }
  }

  /**
   * @param report the receptive-field analysis of the network
   * @return the geometry of its dense output
   * @throws FoveaException when the network's field depends on the output position (it up-samples)
   *     or its stride is not a whole number
   */
  public static DenseGeometry of(FieldReport report) {
    int n = report.inputSize().length;
    long[] s = new long[n];
    long[] lo = new long[n];
    long[] hi = new long[n];
    for (int a = 0; a < n; a++) {
      AxisField f = report.output().axis(a);
      if (f.period() != 1 || f.strideDen() != 1) {
        throw new FoveaException(report.source() + " has a stride of " + f.strideNum() + "/"
            + f.strideDen() + " on spatial axis " + a + " (it resizes its features): dense"
            + " prediction needs a network with a whole-number stride and no up-sampling");
      }
      s[a] = f.strideNum();
      lo[a] = f.first(0);
      hi[a] = f.last(0);
    }
    return new DenseGeometry(s, lo, hi);
  }

  /** @return the number of spatial axes */
  public int axes() {
    return stride.length;
  }

  @Override
  public long[] stride() {
    return stride.clone();
  }

  @Override
  public long[] lo() {
    return lo.clone();
  }

  @Override
  public long[] hi() {
    return hi.clone();
  }

  /** @return the receptive field's size on axis a */
  public long rf(int a) {
    return hi[a] - lo[a] + 1;
  }

  /** @return how far the field of a dense output reaches before its pixel on axis a */
  public long before(int a) {
    return (rf(a) - 1) / 2;
  }

  /** @return how far the field of a dense output reaches after its pixel on axis a */
  public long after(int a) {
    return rf(a) - 1 - before(a);
  }

  /** @return {@code floor((lo + hi) / 2)}: dense output i is D[i - offset] */
  public long offset(int a) {
    return Math.floorDiv(lo[a] + hi[a], 2);
  }

  /** @return whether dense output i stands for a field centred half a pixel after i */
  public boolean halfPixel(int a) {
    return (rf(a) - 1) % 2 != 0;
  }

  /** @return whether the network is strided on some axis */
  public boolean strided() {
    return Arrays.stream(stride).anyMatch(s -> s > 1);
  }

  /** @return a sentence for the log: stride, field and the half pixels that remain */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (int a = 0; a < stride.length; a++) {
      b.append(a == 0 ? "" : "; ").append(String.format(Locale.ROOT,
          "axis %d: stride %d, receptive field %d px, reach %d before and %d after%s", a,
          stride[a], rf(a), before(a), after(a),
          halfPixel(a) ? ", each output centred half a pixel after its pixel (even field)" : ""));
    }
    return b.toString();
  }
}
