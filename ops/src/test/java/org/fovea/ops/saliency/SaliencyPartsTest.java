package org.fovea.ops.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/** Targets, rank correlation, baselines and colour maps, against hand-computed values. */
class SaliencyPartsTest {

  @Test
  void targetsParseAndWeighTheOutput() {
    assertEquals(Target.pixel(1, 3, 4), Target.parse("class=1,x=3,y=4"));
    assertEquals(Target.roi(2, 1, 2, 3, 4), Target.parse("class=2,roi=1,2,3,4"));
    assertEquals(Target.whole(0), Target.parse("class=0"));
    assertEquals(Target.whole(Target.ALL), Target.parse("all"));
    Tensor w = Target.roi(1, 1, 0, 2, 1).weights(new long[] {1, 2, 2, 3});
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0}, w.data());
    boolean[] mask = {true, false, true, true};
    Tensor m = Target.mask(0, 0, 0, 2, 2, mask).weights(new long[] {1, 1, 2, 2});
    float third = 1f / 3;
    assertArrayEquals(new float[] {third, 0, third, third}, m.data());
    FoveaException e = assertThrows(FoveaException.class, () -> Target.parse("class=1,z=2"));
    assertEquals("the target 'class=1,z=2' cannot be read ('z' is not a target key (class, x, y,"
        + " roi)): write class=C, class=C,x=X,y=Y, class=C,roi=X,Y,W,H or all", e.getMessage());
    e = assertThrows(FoveaException.class,
        () -> Target.roi(0, 2, 2, 3, 3).check(new long[] {1, 1, 4, 4}));
    assertEquals("the target rectangle 2,2 3x3 lies outside the 4x4 image: choose a position"
        + " inside it", e.getMessage());
  }

  @Test
  void spearmanEqualsPearsonOfRanksComputedByBruteForce() {
    assertEquals(1.0, RankCorrelation.spearman(new float[] {1, 5, 9}, new float[] {0, 2, 30}),
        1e-12);
    assertEquals(-1.0, RankCorrelation.spearman(new float[] {1, 2, 3}, new float[] {3, 2, 1}),
        1e-12);
    // ties share their mean rank: ranks (1.5, 1.5, 3) vs (1, 2, 3)
    assertEquals(Math.sqrt(3) / 2,
        RankCorrelation.spearman(new float[] {1, 1, 2}, new float[] {1, 2, 3}), 1e-12);
    Random r = new Random(4);
    float[] a = new float[200];
    float[] b = new float[200];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextInt(20);
      b[i] = a[i] + r.nextInt(10);
    }
    double[] ra = bruteRanks(a);
    double[] rb = bruteRanks(b);
    assertEquals(pearson(ra, rb), RankCorrelation.spearman(a, b), 1e-12);
  }

  private static double[] bruteRanks(float[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      int less = 0;
      int equal = 0;
      for (float w : v) {
        less += w < v[i] ? 1 : 0;
        equal += w == v[i] ? 1 : 0;
      }
      r[i] = less + (equal + 1) / 2.0;
    }
    return r;
  }

  private static double pearson(double[] a, double[] b) {
    double ma = java.util.Arrays.stream(a).average().orElseThrow();
    double mb = java.util.Arrays.stream(b).average().orElseThrow();
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) * (a[i] - ma);
      bb += (b[i] - mb) * (b[i] - mb);
    }
    return ab / Math.sqrt(aa * bb);
  }

  @Test
  void blurKeepsAConstantAndSpreadsAPoint() {
    Tensor c = new Tensor(Axes.of("bcyx"), new long[] {1, 1, 5, 6}, filled(30, 2.5f));
    assertEquals(0, Baselines.blurred(c, 1.5).maxAbsDifference(c), 1e-6);
    float[] d = new float[81];
    d[40] = 1;
    Tensor p = Baselines.blurred(new Tensor(Axes.of("bcyx"), new long[] {1, 1, 9, 9}, d), 1);
    double g1 = Math.exp(-0.5);
    double norm = 1 + 2 * g1 + 2 * Math.exp(-2) + 2 * Math.exp(-4.5);
    assertEquals(1 / (norm * norm), p.data()[40], 1e-6);
    assertEquals(g1 / (norm * norm), p.data()[41], 1e-6);
  }

  private static float[] filled(int n, float v) {
    float[] f = new float[n];
    java.util.Arrays.fill(f, v);
    return f;
  }

  @Test
  void colourMapsRiseEvenlyInLightness() {
    // sequential: lightness (from the sRGB result) rises monotonically from dark to light
    double last = -1;
    for (int i = 0; i <= 50; i++) {
      double l = lightness(Colormaps.sequential(i / 50.0));
      assertTrue(l > last, "step " + i + ": L* " + l + " after " + last);
      last = l;
    }
    assertTrue(lightness(Colormaps.sequential(0)) < 15);
    assertTrue(lightness(Colormaps.sequential(1)) > 90);
    // diverging: symmetric lightness, lightest at 0
    for (double t = 0.1; t <= 1; t += 0.1) {
      assertEquals(lightness(Colormaps.diverging(t)), lightness(Colormaps.diverging(-t)), 1.5);
      assertTrue(lightness(Colormaps.diverging(t)) < lightness(Colormaps.diverging(0)));
    }
  }

  /** CIE L* of an sRGB colour. */
  private static double lightness(int rgb) {
    double r = lin(((rgb >> 16) & 255) / 255.0);
    double g = lin(((rgb >> 8) & 255) / 255.0);
    double b = lin((rgb & 255) / 255.0);
    double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    return y > 216.0 / 24389 ? 116 * Math.cbrt(y) - 16 : 24389.0 / 27 * y;
  }

  private static double lin(double c) {
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  @Test
  void theOverlayMarksTheTargetAndDrawsTheBar() {
    float[] img = new float[20 * 10];
    float[] map = new float[20 * 10];
    map[5 * 20 + 7] = 1;
    Overlay o = Overlay.render(img, map, 20, 10, false, 1, Target.roi(0, 2, 2, 3, 3));
    assertEquals(20 + Overlay.MARGIN, o.width());
    assertEquals(0xFF000000 | Colormaps.sequential(1), o.argb()[5 * o.width() + 7]);
    assertEquals(0xFF00E5FF, o.argb()[1 * o.width() + 1], "the rectangle's outline");
    assertEquals(0xFF000000 | Colormaps.sequential(1), o.argb()[o.barX()], "bar top: the max");
  }
}
