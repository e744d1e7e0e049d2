package org.fovea.models.pkg;

import java.util.Set;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;

/** The processing steps that normalize with statistics: by mean and deviation, or by range. */
final class NormalizeSteps {

  private NormalizeSteps() {}

  /**
   * {@code (x - mean) / (std + eps)} with the statistics of each group of the tensor (the axes not
   * reduced over are computed separately).
   *
   * @param kind the step's name
   * @param reduce the axes to compute statistics over jointly, null for all
   * @param eps added to the deviation
   */
  record ZeroMeanUnitVariance(String kind, Set<Axis> reduce, double eps) implements ProcessingStep {
    @Override
    public void apply(Tensor t) {
      float[] d = t.data();
      Statistics.Groups g = Statistics.groups(t, reduce);
      double[] mean = Statistics.mean(d, g);
      double[] std = Statistics.std(d, g, mean);
      for (int i = 0; i < d.length; i++) {
        int k = g.groupOf()[i];
        d[i] = (float) ((d[i] - mean[k]) / (std[k] + eps));
      }
    }
  }

  /**
   * {@code (x - mean) / (std + eps)} with a given mean and deviation, one value or one per index
   * along an axis.
   *
   * @param kind the step's name
   * @param mean the mean
   * @param std the deviation
   * @param eps added to the deviation
   */
  record FixedZeroMeanUnitVariance(String kind, PerAxis mean, PerAxis std, double eps)
      implements ProcessingStep {
    @Override
    public void apply(Tensor t) {
      float[] d = t.data();
      PerAxis.Lookup m = mean.on(t);
      PerAxis.Lookup s = std.on(t);
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) ((d[i] - m.at(i)) / (s.at(i) + eps));
      }
    }
  }

  /**
   * {@code (x - lo) / (hi - lo + eps)} where {@code lo} and {@code hi} are percentiles of each
   * group of the tensor, as numpy computes them.
   *
   * @param kind the step's name
   * @param reduce the axes to compute percentiles over jointly, null for all
   * @param minPercentile the percentile mapped to 0, in 0..100
   * @param maxPercentile the percentile mapped to 1, in 0..100
   * @param eps added to the range
   */
  record ScaleRange(String kind, Set<Axis> reduce, double minPercentile, double maxPercentile,
      double eps) implements ProcessingStep {
    @Override
    public void apply(Tensor t) {
      float[] d = t.data();
      Statistics.Groups g = Statistics.groups(t, reduce);
      double[][] p = Statistics.percentiles(d, g, minPercentile, maxPercentile);
      for (int i = 0; i < d.length; i++) {
        int k = g.groupOf()[i];
        double lo = p[0][k];
        d[i] = (float) ((d[i] - lo) / (p[1][k] - lo + eps));
      }
    }
  }
}
