package org.fovea.models.pkg;

import java.util.Arrays;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * A processing parameter that is either one value for the whole tensor or one value per index
 * along an axis (for example one gain per channel).
 *
 * @param values one value, or one per index along {@code along}
 * @param along the axis the values run along (unused for a single value)
 * @param what the parameter's name and where it comes from, for messages
 */
record PerAxis(double[] values, Axis along, String what) implements java.io.Serializable {

  /** @return whether the parameter is a single value */
  boolean scalar() {
    return values.length == 1;
  }

  /**
   * @param t the tensor the parameter is about to be applied to
   * @return a lookup from element index to the parameter's value there
   * @throws FoveaException when the number of values does not match the axis
   */
  Lookup on(Tensor t) {
    if (scalar()) {
      return new Lookup(values, 1, 1);
    }
    long[] ss = Statistics.strideAndSize(t, along);
    if (ss == null || ss[1] != values.length) {
      String has = ss == null ? "the tensor " + t + " has no axis '" + along.letter() + "'"
          : "axis '" + along.letter() + "' of " + t + " has size " + ss[1];
      throw new FoveaException(what + " gives " + values.length + " values "
          + Arrays.toString(values) + " but " + has + "; give one value or one per index of that "
          + "axis");
    }
    return new Lookup(values, ss[0], ss[1]);
  }

  /** A resolved per-axis parameter. */
  static final class Lookup {
    private final double[] v;
    private final long stride;
    private final long size;

    /**
     * @param v the values
     * @param stride the stride of the axis they run along
     * @param size the size of that axis
     */
    Lookup(double[] v, long stride, long size) {
      this.v = v;
      this.stride = stride;
      this.size = size;
    }

    /**
     * @param i an element's index in C order
     * @return the parameter's value there
     */
    double at(int i) {
      return v.length == 1 ? v[0] : v[(int) ((i / stride) % size)];
    }
  }
}
