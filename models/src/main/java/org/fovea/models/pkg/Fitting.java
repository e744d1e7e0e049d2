package org.fovea.models.pkg;

import java.util.ArrayList;
import java.util.List;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.stats.PlaneStatistics;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.Planes;

/**
 * Fits a tensor's pre-processing to a whole image once, so that the tiles of that image are
 * normalized with the whole image's statistics: {@code scale_range} and {@code
 * zero_mean_unit_variance} become fixed per-channel affine maps computed from the whole source
 * (read in strips, never copied whole); the other steps are pointwise and stay as they are.
 *
 * @since 0.1.0
 */
public final class Fitting {

  private Fitting() {}

  /**
   * @param steps a tensor's pre-processing
   * @param src the whole image (one plane, all channels), unnormalized
   * @return steps that give every region of {@code src} the values the original steps give it as
   *     part of the whole image
   * @throws FoveaException for a step that takes statistics per row or column (axes without y
   *     or x), which are not the whole image's
   */
  public static List<ProcessingStep> fit(List<ProcessingStep> steps, PlaneSource src) {
    List<ProcessingStep> fitted = new ArrayList<>();
    for (ProcessingStep s : steps) {
      java.util.Set<Axis> reduce = s instanceof NormalizeSteps.ScaleRange r ? r.reduce()
          : s instanceof NormalizeSteps.ZeroMeanUnitVariance z ? z.reduce() : null;
      if (reduce != null && (!reduce.contains(Axis.Y) || !reduce.contains(Axis.X))) {
        // per row or column: the per-channel whole-image statistics below would be other numbers
        throw new FoveaException("processing step '" + s.kind() + "' takes statistics per row or"
            + " column (its kwarg 'axes' " + reduce + " lacks y or x), which Fovea does not"
            + " compute over a whole image: give the step the axes y and x, or remove it");
      }
      List<ProcessingStep> before = List.copyOf(fitted);
      PlaneSource seen = before.isEmpty() ? src : Planes.mapped(src, t -> {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
          d[i] = Float.isFinite(d[i]) ? d[i] : Float.NaN; // missing, as in every tile
        }
        Processing.applyAll(before, t);
        return t;
      });
      if (s instanceof NormalizeSteps.ScaleRange r) {
        fitted.add(affine(r.kind(), seen, r.reduce() == null || r.reduce().contains(Axis.CHANNEL),
            ch -> {
              double[] p = PlaneStatistics.percentiles(seen, ch, r.minPercentile(), r.maxPercentile());
              return new double[] {p[0], p[1] - p[0] + r.eps()};
            }));
      } else if (s instanceof NormalizeSteps.ZeroMeanUnitVariance z) {
        fitted.add(affine(z.kind(), seen, z.reduce() == null || z.reduce().contains(Axis.CHANNEL),
            ch -> {
              double[] m = PlaneStatistics.meanStd(seen, ch);
              return new double[] {m[0], m[1] + z.eps()};
            }));
      } else {
        fitted.add(s);
      }
    }
    return fitted;
  }

  /**
   * @param step a processing step
   * @return whether it takes statistics of the tensor it runs on (percentiles, mean, deviation),
   *     which differ between a tile and the whole image ({@code scale_mean_variance} takes its
   *     own tensor's mean and deviation besides its reference's)
   * @since 0.3.0
   */
  public static boolean takesStatistics(ProcessingStep step) {
    return step instanceof NormalizeSteps.ScaleRange
        || step instanceof NormalizeSteps.ZeroMeanUnitVariance
        || step instanceof NormalizeSteps.ScaleMeanVariance;
  }

  /**
   * @param step a pre-processing step
   * @return whether it takes statistics over each z-slice on its own (its axes lack z), which a
   *     volume fitted as a whole cannot reproduce
   * @since 0.3.0
   */
  public static boolean perSlice(ProcessingStep step) {
    java.util.Set<Axis> reduce = step instanceof NormalizeSteps.ScaleRange r ? r.reduce()
        : step instanceof NormalizeSteps.ZeroMeanUnitVariance z ? z.reduce() : null;
    return reduce != null && !reduce.contains(Axis.Z);
  }

  /** Statistics of one channel (or all, for -1): {offset, divisor}. */
  private interface Stat {
    double[] of(int channel);
  }

  private static ProcessingStep affine(String kind, PlaneSource src, boolean joint, Stat stat) {
    int c = src.channels();
    double[] offset = new double[c];
    double[] divisor = new double[c];
    double[] all = joint ? stat.of(-1) : null;
    for (int ch = 0; ch < c; ch++) {
      double[] s = joint ? all : stat.of(ch);
      offset[ch] = s[0];
      divisor[ch] = s[1];
    }
    return new FittedAffine(kind, offset, divisor);
  }

  /**
   * {@code (x - offset[c]) / divisor[c]} per channel of a {@code bcyx} (or any channel-bearing)
   * tensor, computed in double precision as the unfitted steps do.
   *
   * @param kind the step this was fitted from
   * @param offset per channel
   * @param divisor per channel
   */
  record FittedAffine(String kind, double[] offset, double[] divisor) implements ProcessingStep {
    @Override
    public void apply(Tensor t) {
      int ci = t.axes().indexOf(Axis.CHANNEL);
      long[] shape = t.shape();
      long inner = 1;
      for (int i = ci + 1; i < shape.length; i++) {
        inner *= shape[i];
      }
      long c = ci < 0 ? 1 : shape[ci];
      float[] d = t.data();
      double[] chunk = new double[CHUNK];
      for (int start = 0, ch = 0; start < d.length; start += inner, ch = (int) ((ch + 1) % c)) {
        double o = offset[ch];
        // a multiplication by the reciprocal, in double: the float results equal the division's
        // (none differed in 5 million random cases) in about half the time (5.5 -> 3.0 ns a value)
        double inv = 1 / divisor[ch];
        int end = (int) (start + inner);
        // float -> double, the arithmetic, double -> float as three loops over a small chunk: the
        // same values, but HotSpot 17's C2 compiles the one-loop form about six times slower
        // (3.5 -> 0.6 ns a value; bench/tile-cpu-steps.groovy)
        for (int s = start; s < end; s += CHUNK) {
          int n = Math.min(CHUNK, end - s);
          for (int i = 0; i < n; i++) {
            chunk[i] = d[s + i];
          }
          for (int i = 0; i < n; i++) {
            chunk[i] = (chunk[i] - o) * inv;
          }
          for (int i = 0; i < n; i++) {
            d[s + i] = (float) chunk[i];
          }
        }
      }
    }

    private static final int CHUNK = 1024;
  }
}
