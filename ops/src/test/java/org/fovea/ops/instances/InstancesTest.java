package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

class InstancesTest {

  /** Class probabilities: interior where {@code inner}, else boundary where {@code edge}. */
  private static Tensor probabilities(int w, int h, boolean[] inner, boolean[] edge) {
    Tensor t = Tensor.zeros(Axes.of("bcyx"), 1, 3, h, w);
    float[] d = t.data();
    int n = w * h;
    for (int i = 0; i < n; i++) {
      int c = inner[i] ? 1 : edge != null && edge[i] ? 2 : 0;
      d[c * n + i] = 1;
    }
    return t;
  }

  @Test
  void distanceSeedsSplitTwoTouchingDiscsAtTheNeck() {
    int w = 31;
    int h = 21;
    boolean[] discs = Discs.two(w, h);
    Tensor p = probabilities(w, h, discs, null);
    InstanceParams interior = InstanceParams.defaults().withSeeds(InstanceParams.Seeds.INTERIOR);
    LabelImage merged = Instances.fromSemantic(p, interior);
    assertEquals(1, merged.count());
    LabelImage split = Instances.fromSemantic(p,
        InstanceParams.defaults().withSeeds(InstanceParams.Seeds.DISTANCE));
    assertEquals(2, split.count());
    assertEquals(1, split.at(10, 10));
    assertEquals(2, split.at(20, 10));
    long fg = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean in = discs[y * w + x];
        fg += in ? 1 : 0;
        int l = split.at(x, y);
        assertEquals(in, l != 0);
        if (in && x <= 14) {
          assertEquals(1, l, x + "," + y);
        } else if (in && x >= 16) {
          assertEquals(2, l, x + "," + y);
        }
      }
    }
    long[] area = Labeling.areas(split);
    assertEquals(fg, area[1] + area[2]);
  }

  @Test
  void boundaryAtTheNeckSplitsInteriorSeedsAndItsPixelsAreShared() {
    int w = 31;
    int h = 21;
    boolean[] discs = Discs.two(w, h);
    boolean[] inner = discs.clone();
    boolean[] edge = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 14; x <= 16; x++) {
        inner[y * w + x] = false;
        edge[y * w + x] = discs[y * w + x];
      }
    }
    LabelImage r = Instances.fromSemantic(probabilities(w, h, inner, edge),
        InstanceParams.defaults().withSeeds(InstanceParams.Seeds.INTERIOR));
    assertEquals(2, r.count());
    long[] area = Labeling.areas(r);
    long fg = 0;
    for (boolean b : discs) {
      fg += b ? 1 : 0;
    }
    assertEquals(fg, area[1] + area[2]);
    // the boundary band (columns 14..16) is a plateau: each side floods its half, and the middle
    // column goes to the seed queued first (the left one, which starts earlier in raster order)
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (discs[y * w + x]) {
          assertEquals(x <= 15 ? 1 : 2, r.at(x, y), x + "," + y);
        }
      }
    }
  }

  @Test
  void holesAreFilledAndSizeFiltersApply() {
    int w = 9;
    int h = 5;
    boolean[] inner = new boolean[w * h];
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        inner[y * w + x] = !(x == 1 && y == 1); // a 3x3 ring around one hole
      }
    }
    inner[4 * w + 8] = true; // a single-pixel speck
    Tensor p = probabilities(w, h, inner, null);
    // the defaults keep objects of at least 10 pixels: both of these are smaller
    assertEquals(0, Instances.fromSemantic(p, InstanceParams.defaults()).count());
    InstanceParams any = InstanceParams.defaults().withSizes(1, 1, 0);
    LabelImage filled = Instances.fromSemantic(p, any);
    assertEquals(2, filled.count());
    assertEquals(1, filled.at(1, 1));
    assertEquals(9, Labeling.areas(filled)[1]);
    LabelImage unfilled = Instances.fromSemantic(p, any.withFillHoles(false));
    assertEquals(0, unfilled.at(1, 1));
    LabelImage big = Instances.fromSemantic(p, InstanceParams.defaults().withSizes(1, 2, 0));
    assertEquals(1, big.count());
    assertEquals(0, big.at(8, 4));
    LabelImage small = Instances.fromSemantic(p, InstanceParams.defaults().withSizes(1, 1, 5));
    assertEquals(1, small.count());
    assertEquals(1, small.at(8, 4));
  }

  @Test
  void measurementsOfAHandMadeObject() {
    int[] l = {0, 1, 1, 0, 1, 0, 0, 0, 0};
    float[] img = {0, 2, 4, 0, 6, 0, 0, 0, 0};
    List<ObjectStats> s = ObjectStats.measure(new LabelImage(3, 3, l, 1), img, null);
    assertEquals(1, s.size());
    ObjectStats o = s.get(0);
    assertEquals(3, o.area());
    assertEquals(4.0 / 3, o.centroidX(), 1e-12);
    assertEquals(1.0 / 3, o.centroidY(), 1e-12);
    assertEquals(1, o.minX());
    assertEquals(0, o.minY());
    assertEquals(2, o.width());
    assertEquals(2, o.height());
    assertEquals(4.0, o.meanIntensity(), 1e-12);
    assertTrue(Double.isNaN(o.score()));
  }

  @Test
  void wrongShapeIsOneSentence() {
    Tensor two = Tensor.zeros(Axes.of("bcyx"), 1, 2, 4, 4);
    FoveaException e = assertThrows(FoveaException.class,
        () -> Instances.fromSemantic(two, InstanceParams.defaults()));
    assertTrue(e.getMessage().contains("interior"), e.getMessage());
  }
}
