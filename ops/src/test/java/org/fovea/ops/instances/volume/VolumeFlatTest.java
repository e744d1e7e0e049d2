package org.fovea.ops.instances.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fovea.ops.instances.Connectivity;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.Instances;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.ObjectStats;
import org.fovea.ops.instances.SyntheticNuclei;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The 2D API is the 3D code on volumes of depth 1, which visits only the neighbours within the
 * plane. The same image as the middle plane of a volume of depth 3, with nothing around it (no
 * mask, no seeds, background), goes through every neighbour: both give the same labels, so the
 * depth-1 shortcut changes nothing.
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

  /** The plane as the middle of 3 planes; the others hold {@code around}. */
  private static boolean[] middle(boolean[] plane, boolean around) {
    boolean[] v = new boolean[3 * plane.length];
    Arrays.fill(v, around);
    System.arraycopy(plane, 0, v, plane.length, plane.length);
    return v;
  }

  private static float[] middle(float[] plane, float around) {
    float[] v = new float[3 * plane.length];
    Arrays.fill(v, around);
    System.arraycopy(plane, 0, v, plane.length, plane.length);
    return v;
  }

  private static int[] middle(int[] plane) {
    int[] v = new int[3 * plane.length];
    System.arraycopy(plane, 0, v, plane.length, plane.length);
    return v;
  }

  /** The flat volume equals the middle plane of the thick one, with nothing elsewhere. */
  private static void assertMiddle(LabelVolume flat, LabelVolume thick, String what) {
    assertEquals(1, flat.depth(), what);
    assertEquals(3, thick.depth(), what);
    assertEquals(flat.count(), thick.count(), what);
    assertArrayEquals(middle(flat.labels()), thick.labels(), what);
  }

  @Test
  void componentsInOnePlaneEqualAMiddlePlane() {
    Random r = new Random(5);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + r.nextInt(30);
      int h = 1 + r.nextInt(30);
      boolean[] m = randomMask(r, w * h);
      for (Connectivity3D c : Connectivity3D.values()) {
        assertMiddle(VolumeLabeling.components(m, w, h, 1, c),
            VolumeLabeling.components(middle(m, false), w, h, 3, c), "trial " + trial + " " + c);
      }
    }
  }

  @Test
  void distanceTransformInOnePlaneEqualsAMiddlePlaneFarFromTheOthers() {
    Random r = new Random(6);
    double sz = 1e4; // background planes this far away are never the nearest
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + r.nextInt(30);
      int h = 1 + r.nextInt(30);
      boolean[] m = randomMask(r, w * h);
      double sy = trial % 2 == 0 ? 1 : 0.3 + 2 * r.nextDouble();
      double sx = trial % 2 == 0 ? 1 : 0.3 + 2 * r.nextDouble();
      double[] flat = VolumeDistanceTransform.squared(m, w, h, 1, 0.3 + 4 * r.nextDouble(), sy,
          sx);
      double[] thick = VolumeDistanceTransform.squared(middle(m, false), w, h, 3, sz, sy, sx);
      for (int i = 0; i < flat.length; i++) {
        flat[i] = Math.min(flat[i], sz * sz); // a plane without background
      }
      assertArrayEquals(flat, Arrays.copyOfRange(thick, w * h, 2 * w * h), "trial " + trial);
    }
  }

  @Test
  void maximaInOnePlaneEqualAMaskedMiddlePlane() {
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
      boolean[] all = new boolean[w * h];
      Arrays.fill(all, true);
      boolean[] thickMask = middle(mask != null ? mask : all, false);
      float[] thick = middle(v, 100); // higher than all, but outside the mask
      for (double dyn : new double[] {0, 0.5, 1, 3}) {
        assertMiddle(VolumeMaxima.seeds(v, mask, w, h, 1, dyn),
            VolumeMaxima.seeds(thick, thickMask, w, h, 3, dyn), "trial " + trial + " " + dyn);
      }
    }
  }

  @Test
  void watershedInOnePlaneEqualsAMaskedMiddlePlane() {
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
      boolean[] mask = randomMask(r, n);
      LabelVolume flat = new LabelVolume(w, h, 1, seeds, count);
      LabelVolume thick = new LabelVolume(w, h, 3, middle(seeds), count);
      for (Connectivity3D c : Connectivity3D.values()) {
        for (boolean buckets : new boolean[] {true, false}) {
          assertMiddle(VolumeWatershed.flood(land, flat, mask, c, buckets),
              VolumeWatershed.flood(middle(land, -100), thick, middle(mask, false), c, buckets),
              "trial " + trial + " " + c + " buckets " + buckets);
        }
      }
    }
  }

  @Test
  void wholePipelineInOnePlaneEqualsAMiddlePlaneBetweenBackgroundPlanes() {
    // hole filling is left out: in the thick volume every background region reaches its border
    InstanceParams d = InstanceParams.defaults().withFillHoles(false);
    InstanceParams[] variants = {d, d.withSeeds(InstanceParams.Seeds.INTERIOR),
        d.withConnectivity(Connectivity.FOUR), d.withSizes(3, 40, 400),
        d.withMinDynamic(0).withThresholds(0.3, 0.5),
        d.withSeeds(InstanceParams.Seeds.INTERIOR).withSizes(4, 1, 0)
            .withConnectivity(Connectivity.FOUR)};
    for (int seed = 0; seed < 6; seed++) {
      int w = 40 + 7 * seed;
      int h = 50 - 3 * seed;
      int n = w * h;
      float[] p = SyntheticNuclei.probabilities(w, h, 6 + 2 * seed, 3, 9, seed).data();
      float[] thick = new float[9 * n]; // background probability 1 in the outer planes
      for (int c = 0; c < 3; c++) {
        Arrays.fill(thick, 3 * c * n, (3 * c + 3) * n, c == 0 ? 1 : 0);
        System.arraycopy(p, c * n, thick, (3 * c + 1) * n, n);
      }
      for (int v = 0; v < variants.length; v++) {
        String what = "seed " + seed + " variant " + v;
        LabelVolume flat = VolumeInstances.fromSemantic(p, w, h, 1, 2.5, variants[v]);
        assertMiddle(flat, VolumeInstances.fromSemantic(thick, w, h, 3, 1e3, variants[v]), what);
        Tensor zyx = new Tensor(Axes.of("bczyx"), new long[] {1, 3, 1, h, w}, p);
        LabelImage image = Instances.fromSemantic(
            new Tensor(Axes.of("bcyx"), new long[] {1, 3, h, w}, p), variants[v]);
        assertArrayEquals(image.labels(), VolumeInstances.fromSemantic(zyx, 1.0, variants[v])
            .labels(), what);
        assertArrayEquals(image.labels(), flat.labels(), what);
      }
    }
  }

  @Test
  void wholePipelineInOnePlaneEqualsAMiddlePlaneOnRandomFields() {
    // noisy probabilities: many small objects, ties everywhere
    Random r = new Random(9);
    InstanceParams d = InstanceParams.defaults().withFillHoles(false);
    for (int trial = 0; trial < 30; trial++) {
      int w = 1 + r.nextInt(40);
      int h = 1 + r.nextInt(40);
      int n = w * h;
      float[] p = new float[3 * n];
      float[] thick = new float[9 * n];
      Arrays.fill(thick, 0, 3 * n, 1); // background probability 1 in the outer planes
      for (int i = 0; i < n; i++) {
        float in = r.nextInt(5) * 0.25f;
        float edge = r.nextInt(3) * 0.5f * (1 - in);
        p[n + i] = in;
        p[2 * n + i] = edge;
        p[i] = 1 - in - edge;
        for (int c = 0; c < 3; c++) {
          thick[(3 * c + 1) * n + i] = p[c * n + i];
        }
      }
      InstanceParams params = (trial % 2 == 0 ? d : d.withSeeds(InstanceParams.Seeds.INTERIOR))
          .withThresholds(0.4, 0.6).withMinDynamic(trial % 3 * 0.5)
          .withConnectivity(trial % 4 < 2 ? Connectivity.EIGHT : Connectivity.FOUR);
      assertMiddle(VolumeInstances.fromSemantic(p, w, h, 1, 1.0, params),
          VolumeInstances.fromSemantic(thick, w, h, 3, 1e3, params), "trial " + trial);
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
    float[] score = Arrays.copyOfRange(t.data(), 60 * 40, 2 * 60 * 40);
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
