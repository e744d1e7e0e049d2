package org.fovea.models.pkg;

import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/** The processing steps that need no statistics: linear maps, clipping, thresholds, softmax. */
final class SimpleSteps {

  private SimpleSteps() {}

  /**
   * {@code x * gain + offset}.
   *
   * @param gain the gain
   * @param offset the offset
   */
  record ScaleLinear(PerAxis gain, PerAxis offset) implements ProcessingStep {
    @Override
    public String kind() {
      return "scale_linear";
    }

    @Override
    public void apply(Tensor t) {
      float[] d = t.data();
      PerAxis.Lookup g = gain.on(t);
      PerAxis.Lookup o = offset.on(t);
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (d[i] * g.at(i) + o.at(i));
      }
    }
  }

  /**
   * Limits values to {@code [min, max]}.
   *
   * @param min the lower bound, or negative infinity
   * @param max the upper bound, or positive infinity
   */
  record Clip(double min, double max) implements ProcessingStep {
    @Override
    public String kind() {
      return "clip";
    }

    @Override
    public void apply(Tensor t) {
      float[] d = t.data();
      for (int i = 0; i < d.length; i++) {
        if (d[i] < min) {
          d[i] = (float) min;
        } else if (d[i] > max) {
          d[i] = (float) max;
        }
      }
    }
  }

  /**
   * {@code x > threshold ? 1 : 0}.
   *
   * @param threshold the threshold
   */
  record Binarize(PerAxis threshold) implements ProcessingStep {
    @Override
    public String kind() {
      return "binarize";
    }

    @Override
    public void apply(Tensor t) {
      float[] d = t.data();
      PerAxis.Lookup th = threshold.on(t);
      for (int i = 0; i < d.length; i++) {
        d[i] = d[i] > th.at(i) ? 1f : 0f;
      }
    }
  }

  /** {@code 1 / (1 + exp(-x))}. */
  record Sigmoid() implements ProcessingStep {
    @Override
    public String kind() {
      return "sigmoid";
    }

    @Override
    public void apply(Tensor t) {
      float[] d = t.data();
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (1.0 / (1.0 + Math.exp(-(double) d[i])));
      }
    }
  }

  /**
   * {@code exp(x) / sum(exp(x))} along one axis.
   *
   * @param axis the axis to normalize along
   */
  record Softmax(Axis axis) implements ProcessingStep {
    @Override
    public String kind() {
      return "softmax";
    }

    @Override
    public void apply(Tensor t) {
      long[] ss = Statistics.strideAndSize(t, axis);
      if (ss == null) {
        throw new FoveaException("softmax along axis '" + axis.letter() + "' cannot run on "
            + t + ", which lacks that axis; give the step an axis the tensor has");
      }
      float[] d = t.data();
      int stride = (int) ss[0];
      int size = (int) ss[1];
      int block = stride * size;
      double[] e = new double[size];
      for (int outer = 0; outer < d.length; outer += block) {
        for (int inner = 0; inner < stride; inner++) {
          int base = outer + inner;
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < size; k++) {
            max = Math.max(max, d[base + k * stride]);
          }
          double sum = 0;
          for (int k = 0; k < size; k++) {
            e[k] = Math.exp(d[base + k * stride] - max);
            sum += e[k];
          }
          for (int k = 0; k < size; k++) {
            d[base + k * stride] = (float) (e[k] / sum);
          }
        }
      }
    }
  }

  /**
   * Rounds values as a cast to another data type would (format 0.5 {@code ensure_dtype}): float
   * types leave values as they are, integer types truncate toward zero and saturate at the type's
   * range (NaN becomes 0), {@code bool} gives 1 for any non-zero value.
   *
   * @param dtype the data type, such as {@code float32} or {@code uint8}
   * @param min the smallest value of the type
   * @param max the largest value of the type
   */
  record EnsureDtype(String dtype, double min, double max) implements ProcessingStep {
    @Override
    public String kind() {
      return "ensure_dtype";
    }

    @Override
    public void apply(Tensor t) {
      if (dtype.startsWith("float")) {
        return;
      }
      float[] d = t.data();
      boolean bool = dtype.equals("bool");
      for (int i = 0; i < d.length; i++) {
        double v = d[i];
        if (bool) {
          d[i] = v != 0 ? 1f : 0f;
        } else {
          d[i] = Double.isNaN(v) ? 0f : (float) Math.max(min, Math.min(max, v < 0 ? Math.ceil(v)
              : Math.floor(v)));
        }
      }
    }
  }
}
