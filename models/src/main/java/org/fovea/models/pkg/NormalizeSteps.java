package org.fovea.models.pkg;

import java.util.Set;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.stats.PlaneStatistics;
import org.fovea.ops.tiling.PlaneSource;

/**
 * The processing steps that normalize with statistics: by mean and deviation, or by range, of the
 * tensor itself or of another tensor (a {@code reference_tensor}).
 */
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

  /**
   * A step bound to the statistics of another tensor: those statistics are indexed by the groups
   * of the reference (its axes not reduced over), which must be the groups of the tensor the step
   * scales, or none (one value for the whole tensor).
   */
  interface Bound extends ProcessingStep {

    /**
     * @param axes the axes of a tensor the step will scale
     * @param shape its shape
     * @throws FoveaException when the reference's statistics do not line up with its groups
     */
    void fits(Axes axes, long[] shape);
  }

  /**
   * The groups a tensor's statistics are taken per, as text: its axes that are not reduced over,
   * with their sizes ({@code "c=3"}), a batch axis of size 1 left out; empty for one group.
   *
   * @param axes the tensor's axes
   * @param shape its shape
   * @param reduce the axes reduced over, null for all
   * @return the groups
   */
  static String groupShape(Axes axes, long[] shape, Set<Axis> reduce) {
    StringBuilder b = new StringBuilder();
    for (int j = 0; j < shape.length; j++) {
      Axis a = axes.get(j);
      if (reduce == null || reduce.contains(a) || a == Axis.BATCH && shape[j] == 1) {
        continue;
      }
      b.append(b.length() == 0 ? "" : ", ").append(a.letter()).append('=').append(shape[j]);
    }
    return b.toString();
  }

  /** Refuses a tensor whose groups are not those of the reference's statistics. */
  static void fits(String kind, String reference, Set<Axis> reduce, String refGroups, Axes axes,
      long[] shape) {
    String own = groupShape(axes, shape, reduce);
    if (!refGroups.isEmpty() && !refGroups.equals(own)) {
      throw new FoveaException("processing step '" + kind + "' takes the statistics of tensor '"
          + reference + "' per (" + refGroups + ") but scales a tensor whose statistics are per ("
          + (own.isEmpty() ? "the whole tensor" : own) + "), so they do not line up: give the"
          + " step kwarg 'axes' that reduce over the axes the two tensors do not share (such as"
          + " the channel axis), or remove the step");
    }
  }

  /** The whole image's statistics of a reference: groups, and per channel or all together. */
  private static String wholeGroups(String kind, String reference, Set<Axis> reduce,
      PlaneSource src, boolean volume) {
    if (reduce != null && (!reduce.contains(Axis.Y) || !reduce.contains(Axis.X)
        || volume && !reduce.contains(Axis.Z))) {
      throw new FoveaException("processing step '" + kind + "' takes the statistics of tensor '"
          + reference + "' per row, column or slice (its kwarg 'axes' " + reduce + " lacks "
          + (volume ? "z, " : "") + "y or x), which Fovea does not compute over a whole image:"
          + " give the step the axes " + (volume ? "z, " : "") + "y and x, or remove it");
    }
    return reduce == null || reduce.contains(Axis.CHANNEL) ? ""
        : "c=" + src.channels();
  }

  private static FoveaException unbound(String kind, String reference) {
    return new FoveaException("processing step '" + kind + "' needs the statistics of tensor '"
        + reference + "' (its kwarg 'reference_tensor'), which were not given: run the model"
        + " with Model.run, Model.runAll or a SegmentationPlan, which take them from the"
        + " reference");
  }

  /**
   * {@code scale_mean_variance}: {@code (x - mean) / (std + eps) * (refStd + eps) + refMean}, with
   * {@code mean} and {@code std} (population) of each group of the tensor itself and {@code
   * refMean}, {@code refStd} of the reference tensor, over the same axes.
   *
   * @param kind the step's name
   * @param reduce the axes to compute statistics over jointly, null for all
   * @param eps added to both deviations
   * @param reference the reference tensor's name
   * @param refGroups the groups of the reference's statistics ({@link #groupShape}), null until
   *     bound
   * @param refMean per group the reference's mean, null until bound
   * @param refStd per group the reference's deviation, null until bound
   */
  record ScaleMeanVariance(String kind, Set<Axis> reduce, double eps, String reference,
      String refGroups, double[] refMean, double[] refStd) implements ReferencingStep, Bound {

    @Override
    public boolean bound() {
      return refMean != null;
    }

    @Override
    public ProcessingStep bind(Tensor ref) {
      float[] d = ref.data();
      Statistics.Groups g = Statistics.groups(ref, reduce);
      double[] m = Statistics.mean(d, g);
      return new ScaleMeanVariance(kind, reduce, eps, reference,
          groupShape(ref.axes(), ref.shape(), reduce), m, Statistics.std(d, g, m));
    }

    @Override
    public ProcessingStep bind(PlaneSource ref, boolean volume) {
      String groups = wholeGroups(kind, reference, reduce, ref, volume);
      int n = groups.isEmpty() ? 1 : ref.channels();
      double[] m = new double[n];
      double[] s = new double[n];
      for (int c = 0; c < n; c++) {
        double[] ms = PlaneStatistics.meanStd(ref, groups.isEmpty() ? -1 : c);
        m[c] = ms[0];
        s[c] = ms[1];
      }
      return new ScaleMeanVariance(kind, reduce, eps, reference, groups, m, s);
    }

    @Override
    public void fits(Axes axes, long[] shape) {
      if (!bound()) {
        throw unbound(kind, reference);
      }
      NormalizeSteps.fits(kind, reference, reduce, refGroups, axes, shape);
    }

    @Override
    public void apply(Tensor t) {
      fits(t.axes(), t.shape());
      float[] d = t.data();
      Statistics.Groups g = Statistics.groups(t, reduce);
      double[] mean = Statistics.mean(d, g);
      double[] std = Statistics.std(d, g, mean);
      boolean one = refMean.length == 1;
      for (int i = 0; i < d.length; i++) {
        int k = g.groupOf()[i];
        int r = one ? 0 : k;
        d[i] = (float) ((d[i] - mean[k]) / (std[k] + eps) * (refStd[r] + eps) + refMean[r]);
      }
    }
  }

  /**
   * {@code scale_range} with a {@code reference_tensor}: the percentiles are the reference's;
   * binding makes it a {@link GroupAffine}.
   *
   * @param kind the step's name
   * @param reduce the axes to compute percentiles over jointly, null for all
   * @param minPercentile the percentile mapped to 0, in 0..100
   * @param maxPercentile the percentile mapped to 1, in 0..100
   * @param eps added to the range
   * @param reference the reference tensor's name
   */
  record ReferencedScaleRange(String kind, Set<Axis> reduce, double minPercentile,
      double maxPercentile, double eps, String reference) implements ReferencingStep {

    @Override
    public boolean bound() {
      return false;
    }

    @Override
    public ProcessingStep bind(Tensor ref) {
      Statistics.Groups g = Statistics.groups(ref, reduce);
      double[][] p = Statistics.percentiles(ref.data(), g, minPercentile, maxPercentile);
      double[] div = new double[p[0].length];
      for (int k = 0; k < div.length; k++) {
        div[k] = p[1][k] - p[0][k] + eps;
      }
      return new GroupAffine(kind, reference, reduce,
          groupShape(ref.axes(), ref.shape(), reduce), p[0], div);
    }

    @Override
    public ProcessingStep bind(PlaneSource ref, boolean volume) {
      String groups = wholeGroups(kind, reference, reduce, ref, volume);
      int n = groups.isEmpty() ? 1 : ref.channels();
      double[] lo = new double[n];
      double[] div = new double[n];
      for (int c = 0; c < n; c++) {
        double[] p = PlaneStatistics.percentiles(ref, groups.isEmpty() ? -1 : c, minPercentile,
            maxPercentile);
        lo[c] = p[0];
        div[c] = p[1] - p[0] + eps;
      }
      return new GroupAffine(kind, reference, reduce, groups, lo, div);
    }

    /** This tensor as it reaches the step, scaled by its own percentiles. */
    ScaleRange own() {
      return new ScaleRange(kind, reduce, minPercentile, maxPercentile, eps);
    }

    @Override
    public void apply(Tensor t) {
      throw unbound(kind, reference);
    }
  }

  /**
   * {@code (x - offset[k]) / divisor[k]} for each group {@code k} of the tensor: a step whose
   * statistics were taken from a reference tensor.
   *
   * @param kind the step this was bound from
   * @param reference the tensor the statistics are of
   * @param reduce the axes the statistics were reduced over, null for all
   * @param groups the groups of the statistics ({@link #groupShape})
   * @param offset per group
   * @param divisor per group
   */
  record GroupAffine(String kind, String reference, Set<Axis> reduce, String groups,
      double[] offset, double[] divisor) implements Bound {

    @Override
    public void fits(Axes axes, long[] shape) {
      NormalizeSteps.fits(kind, reference, reduce, groups, axes, shape);
    }

    @Override
    public void apply(Tensor t) {
      fits(t.axes(), t.shape());
      float[] d = t.data();
      Statistics.Groups g = Statistics.groups(t, reduce);
      boolean one = offset.length == 1;
      for (int i = 0; i < d.length; i++) {
        int r = one ? 0 : g.groupOf()[i];
        d[i] = (float) ((d[i] - offset[r]) / divisor[r]);
      }
    }
  }
}
