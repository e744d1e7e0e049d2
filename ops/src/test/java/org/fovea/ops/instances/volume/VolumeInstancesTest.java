package org.fovea.ops.instances.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.view.Views;
import org.fovea.ops.instances.Connectivity;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

class VolumeInstancesTest {

  private static final InstanceParams DISTANCE = InstanceParams.defaults();
  private static final InstanceParams INTERIOR = InstanceParams.defaults()
      .withSeeds(InstanceParams.Seeds.INTERIOR);

  /** Two balls of radius 6 at x 10 and 20, touching in a neck at x 14..16; z scaled by sz. */
  private static void assertTwoBallsSplitAtTheNeck(int depth, double sz) {
    int w = 31;
    int h = 21;
    double[][] balls = {{10, 10, depth / 2, 6}, {20, 10, depth / 2, 6}};
    float[] p = Balls.hard(w, h, depth, sz, balls);
    assertEquals(1, VolumeInstances.fromSemantic(p, w, h, depth, sz, INTERIOR).count());
    LabelVolume split = VolumeInstances.fromSemantic(p, w, h, depth, sz, DISTANCE);
    assertEquals(2, split.count());
    long fg = 0;
    for (int z = 0; z < depth; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          boolean in = Balls.inside(x, y, z, sz, balls[0]) || Balls.inside(x, y, z, sz, balls[1]);
          fg += in ? 1 : 0;
          int l = split.at(x, y, z);
          String at = x + "," + y + "," + z;
          assertEquals(in, l != 0, at);
          if (in && x <= 14) {
            assertEquals(1, l, at);
          } else if (in && x >= 16) {
            assertEquals(2, l, at);
          }
        }
      }
    }
    long[] v = VolumeLabeling.volumes(split);
    assertEquals(fg, v[1] + v[2]);
  }

  @Test
  void distanceSeedsSplitTwoTouchingBallsAtTheNeck() {
    assertTwoBallsSplitAtTheNeck(21, 1.0);
  }

  @Test
  void anisotropicBallsSplitWithTheirZSpacing() {
    // the same balls sampled every 2 voxel sizes along z: 11 planes
    assertTwoBallsSplitAtTheNeck(11, 2.0);
  }

  @Test
  void enclosedCavityIsFilledUnlessAskedNotTo() {
    int n = 21;
    float[] p = new float[3 * n * n * n];
    int cavity = 0;
    for (int z = 0; z < n; z++) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          int i = (z * n + y) * n + x;
          double r = Math.sqrt((x - 10) * (x - 10) + (y - 10) * (y - 10) + (z - 10) * (z - 10));
          boolean shell = r >= 3 && r <= 7;
          cavity += r < 3 ? 1 : 0;
          p[(shell ? 1 : 0) * n * n * n + i] = 1;
        }
      }
    }
    LabelVolume filled = VolumeInstances.fromSemantic(p, n, n, n, 1, INTERIOR);
    assertEquals(1, filled.count());
    assertEquals(1, filled.at(10, 10, 10));
    assertEquals(1, filled.at(12, 10, 10));
    LabelVolume open = VolumeInstances.fromSemantic(p, n, n, n, 1, INTERIOR.withFillHoles(false));
    assertEquals(0, open.at(10, 10, 10));
    assertEquals(VolumeLabeling.volumes(open)[1] + cavity, VolumeLabeling.volumes(filled)[1]);
  }

  @Test
  void sizeFiltersCountVoxels() {
    int w = 26;
    int h = 16;
    int d = 16;
    double[] big = {8, 8, 8, 5};
    double[] small = {20, 8, 8, 1.5};
    float[] p = Balls.hard(w, h, d, 1, big, small);
    long nBig = 0;
    long nSmall = 0;
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          nBig += Balls.inside(x, y, z, 1, big) ? 1 : 0;
          nSmall += Balls.inside(x, y, z, 1, small) ? 1 : 0;
        }
      }
    }
    LabelVolume both = VolumeInstances.fromSemantic(p, w, h, d, 1, DISTANCE);
    assertEquals(2, both.count());
    LabelVolume noSmall = VolumeInstances.fromSemantic(p, w, h, d, 1,
        DISTANCE.withSizes(1, nSmall + 1, 0));
    assertEquals(1, noSmall.count());
    assertEquals(1, noSmall.at(8, 8, 8));
    assertEquals(0, noSmall.at(20, 8, 8));
    assertArrayEquals(new long[] {w * h * d - nBig, nBig}, VolumeLabeling.volumes(noSmall));
    LabelVolume noBig = VolumeInstances.fromSemantic(p, w, h, d, 1,
        DISTANCE.withSizes(1, 1, nBig - 1));
    assertEquals(1, noBig.count());
    assertEquals(1, noBig.at(20, 8, 8));
    assertEquals(nSmall, VolumeLabeling.volumes(noBig)[1]);
  }

  @Test
  void statisticsOfAKnownBallEqualDirectCounting() {
    int w = 22;
    int h = 20;
    int d = 18;
    double[] ball = {10.3, 9.6, 8.2, 4.5};
    float[] p = Balls.hard(w, h, d, 1, ball);
    LabelVolume l = VolumeInstances.fromSemantic(p, w, h, d, 1, DISTANCE);
    float[] intensity = new float[w * h * d];
    long count = 0;
    double sx = 0;
    double sy = 0;
    double sz = 0;
    double si = 0;
    int[] lo = {w, h, d};
    int[] hi = {-1, -1, -1};
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          intensity[(z * h + y) * w + x] = x + 2 * y + 3 * z;
          if (Balls.inside(x, y, z, 1, ball)) {
            count++;
            sx += x;
            sy += y;
            sz += z;
            si += x + 2 * y + 3 * z;
            int[] c = {x, y, z};
            for (int a = 0; a < 3; a++) {
              lo[a] = Math.min(lo[a], c[a]);
              hi[a] = Math.max(hi[a], c[a]);
            }
          }
        }
      }
    }
    float[] score = java.util.Arrays.copyOfRange(p, w * h * d, 2 * w * h * d);
    List<VolumeObjectStats> s = VolumeObjectStats.measure(l, intensity, score, 2, 0.5, 0.5);
    assertEquals(1, s.size());
    VolumeObjectStats o = s.get(0);
    assertEquals(1, o.label());
    assertEquals(count, o.voxels());
    assertEquals(count * 0.5, o.physicalVolume(), 1e-12);
    assertEquals(sx / count, o.centroidX(), 1e-12);
    assertEquals(sy / count, o.centroidY(), 1e-12);
    assertEquals(sz / count, o.centroidZ(), 1e-12);
    assertArrayEquals(lo, new int[] {o.minX(), o.minY(), o.minZ()});
    assertArrayEquals(hi, new int[] {o.maxX(), o.maxY(), o.maxZ()});
    assertEquals(si / count, o.meanIntensity(), 1e-9);
    assertEquals(1.0, o.score(), 1e-12);
    assertTrue(Double.isNaN(VolumeObjectStats.measure(l, null, null, 1, 1, 1).get(0).score()));
  }

  @Test
  void cropHoldingWholeComponentsGivesTheSamePartition() {
    int w = 48;
    int h = 40;
    int d = 24;
    int n = w * h * d;
    InstanceParams[] variants = {DISTANCE, INTERIOR, DISTANCE.withConnectivity(Connectivity.FOUR),
        INTERIOR.withConnectivity(Connectivity.FOUR).withSizes(3, 30, 0)};
    int checked = 0;
    for (int seed = 1; seed <= 3; seed++) {
      double sz = 1 + 0.5 * seed;
      float[] p = Balls.soft(w, h, d, sz, Balls.random(w, h, d, 16, 2.5, 7, seed));
      boolean[] fg = VolumeInstances.foreground(p, n, DISTANCE);
      LabelVolume comps = VolumeLabeling.components(fg, w, h, d, Connectivity3D.TWENTY_SIX);
      for (int v = 0; v < variants.length; v++) {
        LabelVolume whole = VolumeInstances.fromSemantic(p, w, h, d, sz, variants[v]);
        for (int c = 1; c <= comps.count(); c++) {
          int[] box = crop(comps, c, 1 + (c + v) % 3, fg);
          if (box == null) {
            continue;
          }
          int cw = box[3] - box[0];
          int ch = box[4] - box[1];
          int cd = box[5] - box[2];
          float[] cp = new float[3 * cw * ch * cd];
          int[] expected = new int[cw * ch * cd];
          for (int k = 0; k < 3; k++) {
            for (int z = 0; z < cd; z++) {
              for (int y = 0; y < ch; y++) {
                for (int x = 0; x < cw; x++) {
                  int i = ((z + box[2]) * h + y + box[1]) * w + x + box[0];
                  int j = (z * ch + y) * cw + x;
                  cp[k * cw * ch * cd + j] = p[k * n + i];
                  expected[j] = whole.labels()[i];
                }
              }
            }
          }
          LabelVolume part = VolumeInstances.fromSemantic(cp, cw, ch, cd, sz, variants[v]);
          Balls.assertSameObjects(expected, part.labels(),
              "seed " + seed + " variant " + v + " component " + c);
          checked++;
        }
      }
    }
    assertTrue(checked >= 20, "only " + checked + " crops");
  }

  /**
   * The bounding box of component c grown by a margin, as {x0, y0, z0, x1, y1, z1} (ends
   * exclusive), or null when it leaves the volume or its outer layer is not all background (then
   * it would cut another component).
   */
  private static int[] crop(LabelVolume comps, int c, int margin, boolean[] fg) {
    int w = comps.width();
    int h = comps.height();
    int d = comps.depth();
    int[] b = {w, h, d, -1, -1, -1};
    for (int i = 0; i < fg.length; i++) {
      if (comps.labels()[i] == c) {
        int[] xyz = {i % w, i / w % h, i / (w * h)};
        for (int a = 0; a < 3; a++) {
          b[a] = Math.min(b[a], xyz[a] - margin);
          b[a + 3] = Math.max(b[a + 3], xyz[a] + margin + 1);
        }
      }
    }
    if (b[0] < 0 || b[1] < 0 || b[2] < 0 || b[3] > w || b[4] > h || b[5] > d) {
      return null;
    }
    for (int z = b[2]; z < b[5]; z++) {
      for (int y = b[1]; y < b[4]; y++) {
        for (int x = b[0]; x < b[3]; x++) {
          boolean outer = x == b[0] || y == b[1] || z == b[2] || x == b[3] - 1 || y == b[4] - 1
              || z == b[5] - 1;
          if (outer && fg[(z * h + y) * w + x]) {
            return null;
          }
        }
      }
    }
    return b;
  }

  @Test
  void imgLib2EntryKeepsTheOriginAndReadsAnyStorageOrder() {
    int w = 31;
    int h = 21;
    int d = 11;
    int n = w * h * d;
    float[] p = Balls.soft(w, h, d, 2, new double[] {10, 10, 5, 6}, new double[] {20, 10, 5, 6});
    // stored channel first (c, x, y, z) as doubles, viewed as x, y, z, c at another origin
    var img = ArrayImgs.doubles(3, w, h, d);
    var ra = img.randomAccess();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < n; i++) {
        ra.setPosition(new long[] {c, i % w, i / w % h, i / (w * h)});
        ra.get().set(p[c * n + i]);
      }
    }
    RandomAccessibleInterval<DoubleType> xyzc = Views.translate(Views.moveAxis(img, 0, 3), 5, -3,
        7, 0);
    RandomAccessibleInterval<IntType> l = VolumeInstances.labels(xyzc, 2.0, DISTANCE);
    assertArrayEquals(new long[] {5, -3, 7}, l.minAsLongArray());
    assertArrayEquals(new long[] {w, h, d}, l.dimensionsAsLongArray());
    LabelVolume expected = VolumeInstances.fromSemantic(p, w, h, d, 2.0, DISTANCE);
    assertEquals(2, expected.count());
    assertArrayEquals(expected.labels(), LabelVolume.of(l).labels());
  }

  /** One sentence: no line break, no full stop inside. */
  private static void assertOneSentence(Exception e, String mustName) {
    String m = e.getMessage();
    assertFalse(m.contains("\n") || m.contains(". "), m);
    assertTrue(m.contains(mustName), m);
  }

  @Test
  void badInputIsOneSentence() {
    int n = 4 * 4 * 2;
    assertOneSentence(assertThrows(FoveaException.class,
        () -> VolumeInstances.fromSemantic(new float[2 * n], 4, 4, 2, 1, DISTANCE)),
        "channels 1 (interior) and 2 (boundary)");
    assertOneSentence(assertThrows(FoveaException.class,
        () -> VolumeInstances.fromSemantic(new float[3 * n - 1], 4, 4, 2, 1, DISTANCE)),
        "got 95 values");
    assertOneSentence(assertThrows(FoveaException.class,
        () -> VolumeInstances.fromSemantic(new float[3 * n], 4, 4, 2, 1, DISTANCE
            .withChannels(1, 3))), "at least 128");
    assertOneSentence(assertThrows(FoveaException.class,
        () -> VolumeInstances.fromSemantic(new float[0], 65536, 65536, 2, 1, DISTANCE)),
        "65536x65536x2 = 8589934592 voxels");
    assertOneSentence(assertThrows(FoveaException.class,
        () -> VolumeInstances.fromSemantic(Tensor.zeros(Axes.of("bcyx"), 1, 3, 4, 4), 1,
            DISTANCE)), "bczyx");
    assertOneSentence(assertThrows(FoveaException.class,
        () -> VolumeInstances.labels(ArrayImgs.floats(4, 4, 3), 1, DISTANCE)), "x, y, z, channel");
    assertOneSentence(assertThrows(IllegalArgumentException.class,
        () -> VolumeInstances.fromSemantic(new float[3 * n], 4, 4, 2, 0, DISTANCE)), "z spacing");
  }
}
