package org.fovea.models.pkg;

import static org.fovea.models.pkg.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/** Processing steps against numbers computed by hand. */
class ProcessingTest {

  private static final double EPS = 1e-6;

  private static Tensor tensor(String axes, long[] shape, float... v) {
    return new Tensor(Axes.of(axes), shape, v.clone());
  }

  private static void assertValues(double[] expected, Tensor t) {
    assertEquals(expected.length, t.data().length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], t.data()[i], 1e-5 * Math.max(1, Math.abs(expected[i])),
          "element " + i);
    }
  }

  @Test
  void percentileIsNumpysLinearMethod() {
    // sorted [1, 1, 3, 4, 5], n = 5, position p/100 * 4
    double[] s = {1, 1, 3, 4, 5};
    assertEquals(1.0, Statistics.percentile(s, 0, 5, 0), 0);
    assertEquals(1.0, Statistics.percentile(s, 0, 5, 25), 0); // position 1
    assertEquals(1.64, Statistics.percentile(s, 0, 5, 33), 1e-12); // 1.32: 1 + 0.32 * (3 - 1)
    assertEquals(3.0, Statistics.percentile(s, 0, 5, 50), 0); // position 2
    assertEquals(4.6, Statistics.percentile(s, 0, 5, 90), 1e-12); // 3.6: 4 + 0.6 * (5 - 4)
    assertEquals(5.0, Statistics.percentile(s, 0, 5, 100), 0);
    // 1..10: position 0.95 * 9 = 8.55 -> 9 + 0.55; numpy prints 9.549999999999999
    double[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(9.55, Statistics.percentile(ten, 0, 10, 95), 1e-12);
    assertEquals(9.549999999999999, Statistics.percentile(ten, 0, 10, 95), 0);
    assertEquals(1.9, Statistics.percentile(ten, 0, 10, 10), 1e-12);
    assertEquals(7.0, Statistics.percentile(new double[] {7}, 0, 1, 40), 0);
  }

  @Test
  void scaleRangePerChannelOverXy() {
    // c0 holds 1..10 shuffled, c1 holds 0, 10, ..., 90 shuffled; shape b=1 c=2 y=2 x=5
    float[] v = {3, 1, 10, 2, 9, 4, 8, 5, 7, 6, 90, 0, 40, 10, 20, 80, 30, 70, 50, 60};
    Tensor t = tensor("bcyx", new long[] {1, 2, 2, 5}, v);
    ProcessingStep s = Processing.of("scale_range",
        Map.of("mode", "per_sample", "axes", "xy", "min_percentile", 10, "max_percentile", 95),
        t.axes());
    assertEquals("scale_range", s.kind());
    s.apply(t);
    // c0: lo = 1.9, hi = 9.55; c1: lo = 9, hi = 85.5
    double[] e = new double[20];
    for (int i = 0; i < 10; i++) {
      e[i] = (v[i] - 1.9) / (9.55 - 1.9 + EPS);
      e[10 + i] = (v[10 + i] - 9.0) / (85.5 - 9.0 + EPS);
    }
    assertValues(e, t);
    assertEquals(-0.9 / (7.65 + EPS), t.data()[1], 1e-6); // the value 1 of c0
  }

  @Test
  void scaleRangeDefaultsAndPerBatchItem() {
    // 0.5 ids: [x] only; defaults 0 and 100 are min and max of each row
    Tensor t = tensor("byx", new long[] {2, 1, 3}, 2, 4, 6, 10, 0, 5);
    Processing.of("scale_range", Map.of("axes", List.of("x")), t.axes()).apply(t);
    assertValues(new double[] {0, 2 / (4 + EPS), 4 / (4 + EPS), 10 / (10 + EPS), 0,
        5 / (10 + EPS)}, t);
  }

  @Test
  void zeroMeanUnitVariancePerChannel() {
    // c0: 2 4 4 4 5 5 7 9 (mean 5, population std 2); c1: seven 0s and an 8 (mean 1, std sqrt 7)
    float[] v = {2, 4, 4, 4, 5, 5, 7, 9, 0, 0, 0, 8, 0, 0, 0, 0};
    Tensor t = tensor("cyx", new long[] {2, 2, 4}, v);
    Processing.of("zero_mean_unit_variance", Map.of("axes", "yx"), t.axes()).apply(t);
    double[] e = new double[16];
    for (int i = 0; i < 8; i++) {
      e[i] = (v[i] - 5) / (2 + EPS);
      e[8 + i] = (v[8 + i] - 1) / (Math.sqrt(7) + EPS);
    }
    assertValues(e, t);
  }

  @Test
  void zeroMeanUnitVarianceOverAllAxesByDefault() {
    Tensor t = tensor("cx", new long[] {2, 2}, 1, 3, 5, 7); // mean 4, var (9+1+1+9)/4 = 5
    Processing.of("zero_mean_unit_variance", Map.of("eps", "1e-3"), t.axes()).apply(t);
    double sd = Math.sqrt(5) + 1e-3;
    assertValues(new double[] {-3 / sd, -1 / sd, 1 / sd, 3 / sd}, t);
  }

  @Test
  void fixedZeroMeanUnitVariancePerChannel() {
    Tensor t = tensor("bcx", new long[] {1, 2, 2}, 5, 1, 5, 2);
    Processing.of("zero_mean_unit_variance",
        Map.of("mode", "fixed", "mean", List.of(1, 2), "std", List.of(2, 4), "axes", "x"),
        t.axes()).apply(t);
    assertValues(new double[] {4 / (2 + EPS), 0, 3 / (4 + EPS), 0}, t);
    // per_dataset with given statistics is fixed too; 0.5 kind with a scalar
    Tensor u = tensor("x", new long[] {2}, 3, 5);
    Processing.of("fixed_zero_mean_unit_variance", Map.of("mean", 1, "std", 0.5), u.axes())
        .apply(u);
    assertValues(new double[] {2 / (0.5 + EPS), 4 / (0.5 + EPS)}, u);
  }

  @Test
  void perChannelListMustMatchTheAxis() {
    Tensor t = tensor("cx", new long[] {3, 1}, 1, 2, 3);
    ProcessingStep s = Processing.of("scale_linear",
        Map.of("gain", List.of(1, 2), "axis", "channel"), t.axes());
    fails(() -> s.apply(t), "gain", "2 values", "size 3");
  }

  @Test
  void scaleLinearScalarAndPerChannel() {
    Tensor t = tensor("bcx", new long[] {1, 2, 2}, 1, 2, 1, 2);
    Processing.of("scale_linear",
        Map.of("gain", List.of(2, 3), "offset", List.of(1, -1), "axis", "channel"), t.axes())
        .apply(t);
    assertValues(new double[] {3, 5, 2, 5}, t);
    Processing.of("scale_linear", Map.of("gain", 0.5, "offset", 1), t.axes()).apply(t);
    assertValues(new double[] {2.5, 3.5, 2, 3.5}, t);
    // 0.4: the list runs along the axis not in 'axes'
    Tensor u = tensor("bcyx", new long[] {1, 2, 1, 1}, 1, 1);
    Processing.of("scale_linear", Map.of("gain", List.of(10, 20), "axes", "xy"), u.axes())
        .apply(u);
    assertValues(new double[] {10, 20}, u);
  }

  @Test
  void clipBinarizeSigmoid() {
    Tensor t = tensor("x", new long[] {3}, -1, 0.5f, 2);
    Processing.of("clip", Map.of("min", 0, "max", 1), t.axes()).apply(t);
    assertValues(new double[] {0, 0.5, 1}, t);
    Tensor onlyMax = tensor("x", new long[] {2}, -5, 5);
    Processing.of("clip", Map.of("max", 1), onlyMax.axes()).apply(onlyMax);
    assertValues(new double[] {-5, 1}, onlyMax);
    Tensor b = tensor("x", new long[] {3}, 0.5f, 0.6f, -1);
    Processing.of("binarize", Map.of("threshold", 0.5), b.axes()).apply(b);
    assertValues(new double[] {0, 1, 0}, b);
    Tensor s = tensor("x", new long[] {3}, 0, (float) Math.log(3), (float) -Math.log(3));
    Processing.of("sigmoid", null, s.axes()).apply(s);
    assertValues(new double[] {0.5, 0.75, 0.25}, s);
  }

  @Test
  void softmaxAlongChannel() {
    // two pixels; channels at pixel 0: 0, ln 3 ; pixel 1: 5, 5
    Tensor t = tensor("cx", new long[] {2, 2}, 0, 5, (float) Math.log(3), 5);
    Processing.of("softmax", Map.of(), t.axes()).apply(t);
    assertValues(new double[] {0.25, 0.5, 0.75, 0.5}, t);
    fails(() -> Processing.of("softmax", Map.of("axis", "channel"), Axes.of("yx")),
        "softmax", "axis", "lacks");
  }

  @Test
  void ensureDtype() {
    Tensor t = tensor("x", new long[] {4}, -3.7f, 2.9f, 300, Float.NaN);
    Processing.of("ensure_dtype", Map.of("dtype", "uint8"), t.axes()).apply(t);
    assertValues(new double[] {0, 2, 255, 0}, t);
    Tensor f = tensor("x", new long[] {1}, 1.25f);
    Processing.of("ensure_dtype", Map.of("dtype", "float32"), f.axes()).apply(f);
    assertValues(new double[] {1.25}, f);
    Tensor i = tensor("x", new long[] {2}, -3.7f, 3.7f);
    Processing.of("ensure_dtype", Map.of("dtype", "int16"), i.axes()).apply(i);
    assertValues(new double[] {-3, 3}, i);
  }

  @Test
  void applyAllRunsInOrder() {
    Tensor t = tensor("x", new long[] {2}, 1, 3);
    Axes a = t.axes();
    Processing.applyAll(List.of(Processing.of("scale_linear", Map.of("gain", 2), a),
        Processing.of("scale_linear", Map.of("offset", -1), a)), t);
    assertValues(new double[] {1, 5}, t); // (x * 2) - 1, not (x - 1) * 2
  }

  @Test
  void axesKwargsAcceptLettersAndIds() {
    NormalizeSteps.ScaleRange a = (NormalizeSteps.ScaleRange) Processing.of("scale_range",
        Map.of("axes", "xy"), Axes.of("bcyx"));
    NormalizeSteps.ScaleRange b = (NormalizeSteps.ScaleRange) Processing.of("scale_range",
        Map.of("axes", List.of("y", "x")), Axes.of("bcyx"));
    NormalizeSteps.ScaleRange c = (NormalizeSteps.ScaleRange) Processing.of("scale_range",
        Map.of("axes", List.of("channel", "x")), Axes.of("bcyx"));
    assertEquals(Set.of(Axis.X, Axis.Y), a.reduce());
    assertEquals(Set.of(Axis.X, Axis.Y), b.reduce());
    assertEquals(Set.of(Axis.CHANNEL, Axis.X), c.reduce());
    fails(() -> Processing.of("scale_range", Map.of("axes", List.of("w")), Axes.of("yx")),
        "scale_range", "'axes'", "'w'");
  }

  @Test
  void invalidKwargsAreRefused() {
    Axes a = Axes.of("yx");
    fails(() -> Processing.of("scale_range", Map.of("max_percentile", 150), a),
        "max_percentile", "150", "between 0 and 100");
    fails(() -> Processing.of("scale_range", Map.of("min_percentile", 60, "max_percentile", 40),
        a), "min_percentile", "smaller");
    fails(() -> Processing.of("zero_mean_unit_variance", Map.of("mode", "fixed"), a),
        "fixed", "mean");
    fails(() -> Processing.of("zero_mean_unit_variance", Map.of("mode", "weird"), a), "weird");
    fails(() -> Processing.of("clip", Map.of("min", "low"), a), "min", "low");
    fails(() -> Processing.of("binarize", Map.of(), a), "threshold");
    fails(() -> Processing.of("ensure_dtype", Map.of("dtype", "complex64"), a), "complex64");
  }

  @Test
  void unknownKindListsTheSupportedOnes() {
    String m = fails(() -> Processing.of("scale_magic", Map.of(), Axes.of("yx")),
        "'scale_magic'", "does not know");
    for (String k : Processing.KINDS) {
      assertEquals(true, m.contains(k), k);
    }
  }

  @Test
  void statisticsAreDoublePrecision() {
    // float sums would lose the 1s next to 1e8: mean of {1e8, 1, 1, ... } must be exact in double
    float[] v = new float[1001];
    v[0] = 1e8f;
    for (int i = 1; i < v.length; i++) {
      v[i] = 1;
    }
    Tensor t = new Tensor(Axes.of("x"), new long[] {v.length}, v);
    Statistics.Groups g = Statistics.groups(t, null);
    assertArrayEquals(new double[] {(1e8 + 1000) / 1001}, Statistics.mean(v, g), 1e-9);
  }
}
