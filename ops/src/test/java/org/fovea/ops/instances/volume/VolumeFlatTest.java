package org.fovea.ops.instances.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.fovea.ops.instances.Connectivity;
import org.fovea.ops.instances.DistanceTransform;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.Instances;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.Labeling;
import org.fovea.ops.instances.Maxima;
import org.fovea.ops.instances.ObjectStats;
import org.fovea.ops.instances.SyntheticNuclei;
import org.fovea.ops.instances.Watershed;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A volume of depth 1 gives exactly the 2D result, voxel for voxel, at every step and for the
 * whole pipeline: the 3D code reduces to the trusted 2D code.
 */
class VolumeFlatTest {

  private static boolean[] randomMask(Random r, int n) {
    double fill = 0.3 + 0.6 * r.nextDouble();
    boolean[] m = new boolean[n];
    for (int i = 0; i < n; i++) {
      m[i] = r.nextDouble() < fill;
    }
    return m;
  }

  private static void assertSame(LabelImage expected, LabelVolume actual, String what) {
    assertEquals(1, actual.depth(), what);
    assertEquals(expected.count(), actual.count(), what);
    assertArrayEquals(expected.labels(), actual.labels(), what);
  }

  @Test
  void componentsHoleFillingAndSizeFiltersEqual2D() {
    Random r = new Random(5);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + r.nextInt(30);
      int h = 1 + r.nextInt(30);
      boolean[] m = randomMask(r, w * h);
      for (Connectivity c : Connectivity.values()) {
        String what = "trial " + trial + " " + c;
        LabelImage c2 = Labeling.components(m, w, h, c);
        LabelVolume c3 = VolumeLabeling.components(m, w, h, 1, Connectivity3D.of(c));
        assertSame(c2, c3, what);
        assertArrayEquals(Labeling.areas(c2), VolumeLabeling.volumes(c3), what);
        assertSame(Labeling.fillHoles(c2), VolumeLabeling.fillHoles(c3), what + " holes");
        long min = r.nextInt(6);
        long max = r.nextBoolean() ? 0 : min + r.nextInt(20);
        assertSame(Labeling.filterSizes(c2, min, max), VolumeLabeling.filterSizes(c3, min, max),
            what + " sizes " + min + ".." + max);
      }
    }
  }

  @Test
  void distanceTransformEquals2DWithTheSameSpacing() {
    Random r = new Random(6);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + r.nextInt(30);
      int h = 1 + r.nextInt(30);
      boolean[] m = randomMask(r, w * h);
      double sy = trial % 2 == 0 ? 1 : 0.3 + 2 * r.nextDouble();
      double sx = trial % 2 == 0 ? 1 : 0.3 + 2 * r.nextDouble();
      double sz = 0.3 + 4 * r.nextDouble(); // no neighbour along z: it plays no part
      assertArrayEquals(DistanceTransform.squared(m, w, h, sy, sx),
          VolumeDistanceTransform.squared(m, w, h, 1, sz, sy, sx), "trial " + trial);
    }
  }

  @Test
  void maximaSeedsEqual2D() {
    Random r = new Random(7);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + r.nextInt(30);
      int h = 1 + r.nextInt(30);
      float[] v = new float[w * h];
      int levels = trial % 2 == 0 ? 5 : 1000; // plateaus, or nearly distinct heights
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextInt(levels) * 0.5f - 1;
      }
      boolean[] mask = trial % 3 == 0 ? null : randomMask(r, w * h);
      for (double dyn : new double[] {0, 0.5, 1, 3}) {
        assertSame(Maxima.seeds(v, mask, w, h, dyn), VolumeMaxima.seeds(v, mask, w, h, 1, dyn),
            "trial " + trial + " dynamic " + dyn);
      }
    }
  }

  @Test
  void watershedEquals2D() {
    Random r = new Random(8);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + r.nextInt(40);
      int h = 1 + r.nextInt(40);
      int n = w * h;
      float[] land = new float[n];
      int[] seeds = new int[n];
      int levels = trial % 2 == 0 ? 4 : 300; // many ties, or many heights
      int count = 0;
      for (int i = 0; i < n; i++) {
        land[i] = trial % 5 == 0 && i % 17 == 0 ? Float.NaN : r.nextInt(levels) * 0.25f - 10;
        if (r.nextInt(30) == 0) {
          seeds[i] = ++count;
        }
      }
      boolean[] mask = trial % 4 == 0 ? null : randomMask(r, n);
      Connectivity c = trial % 3 == 0 ? Connectivity.FOUR : Connectivity.EIGHT;
      LabelImage expected = Watershed.flood(land, new LabelImage(w, h, seeds, count), mask, c);
      LabelVolume s3 = new LabelVolume(w, h, 1, seeds, count);
      String what = "trial " + trial;
      assertSame(expected, VolumeWatershed.flood(land, s3, mask, Connectivity3D.of(c)), what);
      assertSame(expected, VolumeWatershed.flood(land, s3, mask, Connectivity3D.of(c), false),
          what + " heap");
    }
  }

  @Test
  void wholePipelineEquals2DOnSyntheticNuclei() {
    InstanceParams d = InstanceParams.defaults();
    InstanceParams[] variants = {d, d.withSeeds(InstanceParams.Seeds.INTERIOR),
        d.withConnectivity(Connectivity.FOUR), d.withFillHoles(false), d.withSizes(3, 40, 400),
        d.withMinDynamic(0).withThresholds(0.3, 0.5),
        d.withSeeds(InstanceParams.Seeds.INTERIOR).withSizes(4, 1, 0)
            .withConnectivity(Connectivity.FOUR)};
    for (int seed = 0; seed < 6; seed++) {
      int w = 40 + 7 * seed;
      int h = 50 - 3 * seed;
      Tensor t = SyntheticNuclei.probabilities(w, h, 6 + 2 * seed, 3, 9, seed);
      for (int v = 0; v < variants.length; v++) {
        String what = "seed " + seed + " variant " + v;
        LabelImage expected = Instances.fromSemantic(t, variants[v]);
        assertSame(expected, VolumeInstances.fromSemantic(t.data(), w, h, 1, 2.5, variants[v]),
            what);
        Tensor zyx = new Tensor(Axes.of("bczyx"), new long[] {1, 3, 1, h, w}, t.data());
        assertSame(expected, VolumeInstances.fromSemantic(zyx, 1.0, variants[v]), what);
      }
    }
  }

  @Test
  void wholePipelineEquals2DOnRandomFields() {
    // noisy probabilities: many small objects, holes between and inside them, ties everywhere
    Random r = new Random(9);
    InstanceParams d = InstanceParams.defaults();
    for (int trial = 0; trial < 30; trial++) {
      int w = 1 + r.nextInt(40);
      int h = 1 + r.nextInt(40);
      int n = w * h;
      Tensor t = Tensor.zeros(Axes.of("bcyx"), 1, 3, h, w);
      float[] p = t.data();
      for (int i = 0; i < n; i++) {
        float in = r.nextInt(5) * 0.25f;
        float edge = r.nextInt(3) * 0.5f * (1 - in);
        p[n + i] = in;
        p[2 * n + i] = edge;
        p[i] = 1 - in - edge;
      }
      InstanceParams params = (trial % 2 == 0 ? d : d.withSeeds(InstanceParams.Seeds.INTERIOR))
          .withThresholds(0.4, 0.6).withMinDynamic(trial % 3 * 0.5)
          .withConnectivity(trial % 4 < 2 ? Connectivity.EIGHT : Connectivity.FOUR);
      assertSame(Instances.fromSemantic(t, params),
          VolumeInstances.fromSemantic(p, w, h, 1, 1.0, params), "trial " + trial);
    }
  }

  @Test
  void statisticsEqual2D() {
    Tensor t = SyntheticNuclei.probabilities(60, 40, 10, 3, 9, 4);
    LabelImage l2 = Instances.fromSemantic(t, InstanceParams.defaults());
    LabelVolume l3 = new LabelVolume(60, 40, 1, l2.labels(), l2.count());
    float[] intensity = new float[60 * 40];
    for (int i = 0; i < intensity.length; i++) {
      intensity[i] = (i * 37) % 101;
    }
    float[] score = java.util.Arrays.copyOfRange(t.data(), 60 * 40, 2 * 60 * 40);
    List<ObjectStats> s2 = ObjectStats.measure(l2, intensity, score);
    List<VolumeObjectStats> s3 = VolumeObjectStats.measure(l3, intensity, score, 3, 1, 1);
    assertEquals(s2.size(), s3.size());
    for (int k = 0; k < s2.size(); k++) {
      ObjectStats a = s2.get(k);
      VolumeObjectStats b = s3.get(k);
      assertEquals(a.label(), b.label());
      assertEquals(a.area(), b.voxels());
      assertEquals(3.0 * a.area(), b.physicalVolume());
      assertEquals(a.centroidX(), b.centroidX());
      assertEquals(a.centroidY(), b.centroidY());
      assertEquals(0.0, b.centroidZ());
      assertEquals(a.minX(), b.minX());
      assertEquals(a.minY(), b.minY());
      assertEquals(a.minX() + a.width() - 1, b.maxX());
      assertEquals(a.minY() + a.height() - 1, b.maxY());
      assertEquals(0, b.minZ());
      assertEquals(0, b.maxZ());
      assertEquals(a.meanIntensity(), b.meanIntensity());
      assertEquals(a.score(), b.score());
    }
  }
}
