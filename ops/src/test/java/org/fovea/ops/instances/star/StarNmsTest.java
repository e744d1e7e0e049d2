package org.fovea.ops.instances.star;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StarNmsTest {

  /** A diamond: 4 rays of length r, vertices (x+r, y), (x, y+r), (x-r, y), (x, y-r). */
  static StarPolygon diamond(double x, double y, float r, double score) {
    return new StarPolygon(x, y, new float[] {r, r, r, r}, score);
  }

  static int[] keep(List<StarPolygon> c, double threshold, StarOverlap o) {
    return StarNms.greedy(c.size(), c::get, 40, 40, threshold, o, 8).indices();
  }

  @Test
  void diamondOfRadiusRHoldsTwoRSquaredPixels() {
    for (int r = 1; r <= 6; r++) {
      assertEquals(2L * r * r, PixelMask.of(diamond(20, 20, r, 1), 40, 40).area());
    }
    // r = 2 around (5, 5): rows 4 and 6 hold columns 4, 5; row 5 holds columns 3..6
    PixelMask m = PixelMask.of(diamond(5, 5, 2, 1), 40, 40);
    for (int y = 2; y <= 8; y++) {
      for (int x = 2; x <= 8; x++) {
        boolean in = (y == 4 || y == 6) ? x == 4 || x == 5 : y == 5 && x >= 3 && x <= 6;
        assertEquals(in, m.contains(x, y), "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void masksAreClippedToTheImage() {
    // r = 2 around (0, 0): of the 8 pixels only (0,0), (1,0), (0,1) lie inside the image
    assertEquals(3, PixelMask.of(diamond(0, 0, 2, 1), 40, 40).area());
  }

  @Test
  void intersectionOfShiftedDiamonds() {
    // r = 3, one column apart: rows dy = 0, +-1, +-2 share 5, 3, 1 pixels
    PixelMask a = PixelMask.of(diamond(10, 10, 3, 1), 40, 40);
    PixelMask b = PixelMask.of(diamond(11, 10, 3, 1), 40, 40);
    assertEquals(13, a.intersection(b));
    assertEquals(13, b.intersection(a));
    assertEquals(13.0 / 18, StarOverlap.SMALLER.of(18, 18, 13));
    assertEquals(13.0 / 23, StarOverlap.IOU.of(18, 18, 13));
  }

  @Test
  void smallerAreaCriterionAndIouKeepDifferentSets() {
    // a small diamond (area 8) inside a large one (area 72): smaller-area overlap 1, IoU 1/9
    List<StarPolygon> nested = List.of(diamond(20, 20, 6, 0.9), diamond(20, 20, 2, 0.8));
    assertArrayEquals(new int[] {0}, keep(nested, 0.4, StarOverlap.SMALLER));
    assertArrayEquals(new int[] {0, 1}, keep(nested, 0.4, StarOverlap.IOU));
    // equal diamonds one column apart: smaller-area overlap 13/18 = 0.72, IoU 13/23 = 0.57
    List<StarPolygon> shifted = List.of(diamond(10, 10, 3, 0.9), diamond(11, 10, 3, 0.8));
    assertArrayEquals(new int[] {0}, keep(shifted, 0.6, StarOverlap.SMALLER));
    assertArrayEquals(new int[] {0, 1}, keep(shifted, 0.6, StarOverlap.IOU));
  }

  @Test
  void overlapExactlyAtTheThresholdIsNotSuppressed() {
    // r = 2 inside r = 4: IoU 8 / 32 = 0.25
    List<StarPolygon> c = List.of(diamond(20, 20, 4, 0.9), diamond(20, 20, 2, 0.8));
    assertArrayEquals(new int[] {0, 1}, keep(c, 0.25, StarOverlap.IOU));
    assertArrayEquals(new int[] {0}, keep(c, 0.24, StarOverlap.IOU));
  }

  @Test
  void onlyKeptPolygonsSuppressSoChainsAreNotTransitive() {
    // A-B and B-C overlap 13/18, A-C (two columns apart, r = 3) 8/18 = 0.44
    List<StarPolygon> c = List.of(diamond(10, 10, 3, 0.9), diamond(11, 10, 3, 0.8),
        diamond(12, 10, 3, 0.7));
    assertArrayEquals(new int[] {0, 2}, keep(c, 0.5, StarOverlap.SMALLER));
    assertArrayEquals(new int[] {0}, keep(c, 0.4, StarOverlap.SMALLER));
  }

  @Test
  void emptyPolygonsAreDropped() {
    List<StarPolygon> c = List.of(diamond(10, 10, 0, 0.9), diamond(20, 20, 2, 0.8));
    assertArrayEquals(new int[] {1}, keep(c, 0.4, StarOverlap.SMALLER));
  }

  @Test
  void maskEqualsBruteForcePointInPolygon() {
    Random rnd = new Random(5);
    for (int t = 0; t < 200; t++) {
      int n = 3 + rnd.nextInt(40);
      float[] r = new float[n];
      for (int k = 0; k < n; k++) {
        r[k] = 1 + 9 * rnd.nextFloat();
      }
      StarPolygon p = new StarPolygon(5 + 20 * rnd.nextDouble(), 5 + 20 * rnd.nextDouble(), r, 1);
      PixelMask m = PixelMask.of(p, 30, 30);
      long area = 0;
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 30; x++) {
          boolean in = insideByCrossings(p, x, y);
          area += in ? 1 : 0;
          assertEquals(in, m.contains(x, y), "polygon " + t + " pixel " + x + "," + y);
        }
      }
      assertEquals(area, m.area());
    }
  }

  /** Even-odd rule: edges (half-open in y) crossed strictly right of the point. */
  static boolean insideByCrossings(StarPolygon p, double px, double py) {
    boolean in = false;
    int n = p.rays();
    for (int k = 0; k < n; k++) {
      int j = (k + 1) % n;
      double x1 = p.vertexX(k);
      double y1 = p.vertexY(k);
      double x2 = p.vertexX(j);
      double y2 = p.vertexY(j);
      if ((y1 <= py && py < y2) || (y2 <= py && py < y1)) {
        double xi = x1 + (py - y1) * (x2 - x1) / (y2 - y1);
        if (xi > px) {
          in = !in;
        }
      }
    }
    return in;
  }

  @Test
  void gridIndexKeepsWhatAllPairsKeeps() {
    Random rnd = new Random(11);
    List<StarPolygon> c = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      float[] r = new float[16];
      float base = 2 + 8 * rnd.nextFloat();
      for (int k = 0; k < r.length; k++) {
        r[k] = base * (0.7f + 0.6f * rnd.nextFloat());
      }
      c.add(new StarPolygon(300 * rnd.nextDouble(), 200 * rnd.nextDouble(), r, 0));
    }
    for (StarOverlap o : StarOverlap.values()) {
      for (double th : new double[] {0.1, 0.4, 0.7}) {
        int[] ref = StarNms.allPairs(c.size(), c::get, 300, 200, th, o).indices();
        for (int cell : new int[] {1, 7, 24, 500}) {
          int[] got = StarNms.greedy(c.size(), c::get, 300, 200, th, o, cell).indices();
          assertArrayEquals(ref, got, o + " " + th + " cell " + cell);
        }
        assertTrue(ref.length > 10 && ref.length < c.size(), o + " " + th + ": " + ref.length);
      }
    }
  }
}
