package org.fovea.models.pkg;

import static org.fovea.models.pkg.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.Planes;
import org.junit.jupiter.api.Test;

/**
 * {@code scale_mean_variance} and {@code scale_range} with a {@code reference_tensor} (issue 14,
 * item 6): the expected numbers are computed here by the spec's formula, in double precision,
 * with plain loops (not the implementation's {@code Statistics}).
 */
class ReferenceStepsTest {

  private static final double EPS = 1e-6;

  /** A bcyx tensor of c channels, 3 x 4 pixels, with distinct pseudo-random values. */
  private static Tensor tensor(int c, long seed, double scale, double shift) {
    float[] v = new float[c * 12];
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * scale + shift + (i / 12) * 3.0);
    }
    return new Tensor(Axes.of("bcyx"), new long[] {1, c, 3, 4}, v);
  }

  /** {mean, population deviation} of values [from, to), by the definition. */
  private static double[] meanStd(float[] v, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += v[i];
    }
    double mean = sum / (to - from);
    double ss = 0;
    for (int i = from; i < to; i++) {
      ss += (v[i] - mean) * (v[i] - mean);
    }
    return new double[] {mean, Math.sqrt(ss / (to - from))};
  }

  /** numpy.percentile's default (linear) of values [from, to). */
  private static double percentile(float[] v, int from, int to, double p) {
    double[] s = new double[to - from];
    for (int i = from; i < to; i++) {
      s[i - from] = v[i];
    }
    Arrays.sort(s);
    double pos = p / 100 * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }

  private static void assertClose(double expected, float actual, String what) {
    assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), what);
  }

  @Test
  void scaleMeanVariancePerChannelMatchesTheFormula() {
    Tensor out = tensor(2, 1, 10, -4);
    Tensor ref = tensor(2, 2, 200, 50);
    float[] x = out.data().clone();
    // 0.5 form: ids
    ProcessingStep s = Processing.of("scale_mean_variance",
        Map.of("reference_tensor", "raw", "axes", List.of("y", "x")), out.axes());
    assertEquals("scale_mean_variance", s.kind());
    ReferencingStep r = assertInstanceOf(ReferencingStep.class, s);
    assertEquals("raw", r.reference());
    assertFalse(r.bound());
    r.bind(ref).apply(out);
    for (int c = 0; c < 2; c++) {
      double[] own = meanStd(x, c * 12, c * 12 + 12);
      double[] rs = meanStd(ref.data(), c * 12, c * 12 + 12);
      for (int i = c * 12; i < c * 12 + 12; i++) {
        double e = (x[i] - own[0]) / (own[1] + EPS) * (rs[1] + EPS) + rs[0];
        assertClose(e, out.data()[i], "element " + i);
      }
      // and so the output has the reference's mean and deviation
      double[] after = meanStd(out.data(), c * 12, c * 12 + 12);
      assertEquals(rs[0], after[0], 1e-3);
      assertEquals(rs[1], after[1], 1e-3);
    }
  }

  @Test
  void scaleMeanVarianceOverAllAxesIn04FormWithEps() {
    Tensor out = tensor(2, 3, 1, 0);
    Tensor ref = tensor(1, 4, 7, 2); // one channel: statistics over everything line up
    float[] x = out.data().clone();
    ProcessingStep s = Processing.of("scale_mean_variance", Map.of("mode", "per_dataset",
        "reference_tensor", "raw", "axes", "cyx", "eps", 0.01), out.axes());
    ((ReferencingStep) s).bind(ref).apply(out);
    double[] own = meanStd(x, 0, 24);
    double[] rs = meanStd(ref.data(), 0, 12);
    for (int i = 0; i < 24; i++) {
      assertClose((x[i] - own[0]) / (own[1] + 0.01) * (rs[1] + 0.01) + rs[0], out.data()[i],
          "element " + i);
    }
    // no axes: all of them, the same numbers
    Tensor again = new Tensor(out.axes(), out.shape(), x.clone());
    ((ReferencingStep) Processing.of("scale_mean_variance", Map.of("reference_tensor", "raw",
        "eps", 0.01), again.axes())).bind(ref).apply(again);
    assertTrue(Arrays.equals(out.data(), again.data()));
  }

  @Test
  void aWholeImageReferenceTakesTheImagesStatistics() {
    Tensor out = tensor(2, 5, 1, 0);
    Tensor ref = tensor(2, 6, 30, 5);
    Tensor viaTensor = new Tensor(out.axes(), out.shape(), out.data().clone());
    ReferencingStep s = (ReferencingStep) Processing.of("scale_mean_variance",
        Map.of("reference_tensor", "raw", "axes", "yx"), out.axes());
    s.bind(ref).apply(viaTensor);
    s.bind(Planes.of(ref), false).apply(out);
    for (int i = 0; i < 24; i++) {
      assertEquals(viaTensor.data()[i], out.data()[i], 1e-5, "element " + i);
    }
    // per row: not over a whole image
    ReferencingStep rows = (ReferencingStep) Processing.of("scale_mean_variance",
        Map.of("reference_tensor", "raw", "axes", "x"), out.axes());
    fails(() -> rows.bind(Planes.of(ref), false), "'raw'", "per row, column or slice",
        "lacks y or x");
  }

  @Test
  void referenceStatisticsMustLineUpWithTheTensor() {
    Tensor out = tensor(3, 7, 1, 0);
    Tensor ref = tensor(1, 8, 1, 0);
    ReferencingStep s = (ReferencingStep) Processing.of("scale_mean_variance",
        Map.of("reference_tensor", "raw", "axes", List.of("y", "x")), out.axes());
    String m = fails(() -> s.bind(ref).apply(out), "'scale_mean_variance'", "'raw'",
        "per (c=1)", "per (c=3)", "do not line up", "kwarg 'axes'");
    assertTrue(m.endsWith("or remove the step"), m);
  }

  @Test
  void anUnboundStepSaysWhatItNeeds() {
    Tensor out = tensor(1, 9, 1, 0);
    fails(() -> Processing.of("scale_mean_variance", Map.of("reference_tensor", "raw"),
        out.axes()).apply(out), "'scale_mean_variance' needs the statistics of tensor 'raw'",
        "reference_tensor");
    fails(() -> Processing.of("scale_range", Map.of("reference_tensor", "raw"),
        out.axes()).apply(out), "'scale_range' needs the statistics of tensor 'raw'");
  }

  @Test
  void scaleRangeWithAReferenceTakesTheReferencesPercentiles() {
    Tensor out = tensor(2, 10, 1, 0);
    Tensor ref = tensor(2, 11, 100, 20);
    float[] x = out.data().clone();
    ProcessingStep s = Processing.of("scale_range", Map.of("mode", "per_dataset", "axes", "xy",
        "min_percentile", 5, "max_percentile", 95, "reference_tensor", "raw"), out.axes());
    ProcessingStep bound = ((ReferencingStep) s).bind(ref);
    Tensor whole = new Tensor(out.axes(), out.shape(), x.clone());
    bound.apply(out);
    for (int c = 0; c < 2; c++) {
      double lo = percentile(ref.data(), c * 12, c * 12 + 12, 5);
      double hi = percentile(ref.data(), c * 12, c * 12 + 12, 95);
      for (int i = c * 12; i < c * 12 + 12; i++) {
        assertClose((x[i] - lo) / (hi - lo + EPS), out.data()[i], "element " + i);
      }
    }
    // bound to the whole image: the same
    ((ReferencingStep) s).bind(Planes.of(ref), false).apply(whole);
    for (int i = 0; i < 24; i++) {
      assertEquals(out.data()[i], whole.data()[i], 1e-5, "element " + i);
    }
  }

  @Test
  void fittingToAWholeImageRefusesStatisticsPerRow() {
    // per-row statistics of an input are not the whole image's per-channel ones: refused
    Tensor img = tensor(1, 12, 1, 0);
    fails(() -> Fitting.fit(List.of(Processing.of("zero_mean_unit_variance",
        Map.of("axes", List.of("x")), img.axes())), Planes.of(img)),
        "'zero_mean_unit_variance' takes statistics per row or column", "lacks y or x");
    assertEquals(1, Fitting.fit(List.of(Processing.of("zero_mean_unit_variance",
        Map.of("axes", List.of("y", "x")), img.axes())), Planes.of(img)).size());
  }

  @Test
  void badKwargsAreOneSentenceNamingTheField() {
    Axes a = Axes.of("bcyx");
    String m = fails(() -> Processing.of("scale_mean_variance", Map.of(), a),
        "kwarg 'reference_tensor' is missing");
    assertTrue(m.endsWith("fix the kwargs of this step"), m);
    fails(() -> Processing.of("scale_mean_variance", Map.of("reference_tensor", " "), a),
        "kwarg 'reference_tensor' is empty");
    fails(() -> Processing.of("scale_mean_variance", Map.of("reference_tensor", "r", "eps", -1),
        a), "kwarg 'eps' is -1.0", "larger than 0 and at most 0.1");
    fails(() -> Processing.of("scale_mean_variance", Map.of("reference_tensor", "r", "eps", 0),
        a), "kwarg 'eps' is 0.0");
    fails(() -> Processing.of("scale_mean_variance", Map.of("reference_tensor", "r", "eps", 0.5),
        a), "kwarg 'eps' is 0.5");
    fails(() -> Processing.of("scale_mean_variance", Map.of("reference_tensor", "r", "mode",
        "fixed"), a), "kwarg 'mode' is 'fixed'", "per_sample or per_dataset");
    fails(() -> Processing.of("scale_mean_variance", Map.of("reference_tensor", "r", "axes",
        List.of("w")), a), "kwarg 'axes'", "'w'");
    fails(() -> Processing.create("scale_mean_variance", Map.of("reference_tensor", "r"), a,
        null, "rdf.yaml at p (inputs[0].preprocessing[0], scale_mean_variance)"),
        "inputs[0].preprocessing[0]", "only in an output's postprocessing");
  }
}
