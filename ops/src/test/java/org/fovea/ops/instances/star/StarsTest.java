package org.fovea.ops.instances.star;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fovea.ops.instances.LabelImage;
import org.junit.jupiter.api.Test;

class StarsTest {

  @Test
  void candidatesGoByDecreasingProbabilityThenIndex() {
    float[] p = {0.2f, 0.9f, 0.6f, 0.9f, 0.5f, 0.7f};
    assertArrayEquals(new int[] {1, 3, 5, 2}, Stars.candidates(p, 0.5));
  }

  @Test
  void theMostProbableObjectIsOnTopAndCoveredObjectsVanish() {
    StarPolygon a = StarNmsTest.diamond(5, 5, 3, 0.6);
    StarPolygon b = StarNmsTest.diamond(7, 5, 3, 0.9);
    StarPolygon hidden = StarNmsTest.diamond(6, 5, 1, 0.3);
    List<StarPolygon> kept = List.of(b, a, hidden);
    Stars.Result r = Stars.render(kept, kept.stream().map(p -> PixelMask.of(p, 12, 10)).toList(),
        12, 10);
    LabelImage l = r.labels();
    assertEquals(2, l.count());
    assertEquals(List.of(b, a), r.polygons());
    assertEquals(1, l.at(6, 5)); // in a, b and hidden: b wins
    assertEquals(2, l.at(3, 5)); // only in a
    long ones = java.util.Arrays.stream(l.labels()).filter(v -> v == 1).count();
    long twos = java.util.Arrays.stream(l.labels()).filter(v -> v == 2).count();
    assertEquals(18, ones);
    assertEquals(18 - 8, twos); // a's 18 pixels less the 8 it shares with b (two columns apart)
  }

  @Test
  void instancesFromProbabilityAndDistanceMaps() {
    // two objects: diamonds of radius 3 around (5, 5) and radius 2 around (14, 6); every pixel
    // of a diamond proposes the same diamond around its centre pixel except the centre itself,
    // which proposes its own (more probable) one
    int w = 20;
    int h = 12;
    int rays = 4;
    float[] prob = new float[w * h];
    float[] dist = new float[rays * w * h];
    set(prob, dist, w, h, 5, 5, 3, 0.95f);
    set(prob, dist, w, h, 14, 6, 2, 0.8f);
    prob[5 * w + 4] = 0.7f; // a weaker proposal next to the first centre, shifted by one column
    for (int k = 0; k < rays; k++) {
      dist[(k * h + 5) * w + 4] = 3;
    }
    Stars.Result r = Stars.instances(prob, dist, w, h, rays, StarParams.defaults());
    assertEquals(3, r.candidates());
    assertEquals(2, r.labels().count());
    assertEquals(18, java.util.Arrays.stream(r.labels().labels()).filter(v -> v == 1).count());
    assertEquals(8, java.util.Arrays.stream(r.labels().labels()).filter(v -> v == 2).count());
    assertEquals(1, r.labels().at(5, 5));
    assertEquals(2, r.labels().at(14, 6));
    // with IoU and a threshold above 13/23 the shifted proposal survives, under the first
    Stars.Result iou = Stars.instances(prob, dist, w, h, rays,
        new StarParams(0.5, 0.6, StarOverlap.IOU));
    assertEquals(3, iou.labels().count());
    assertEquals(1, iou.labels().at(4, 5));
    assertEquals(3, iou.labels().at(1, 5)); // left of the first diamond: only the shifted one
  }

  private static void set(float[] prob, float[] dist, int w, int h, int x, int y, int r,
      float p) {
    prob[y * w + x] = p;
    for (int k = 0; k < 4; k++) {
      dist[(k * h + y) * w + x] = r;
    }
  }

  @Test
  void wrongSizesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Stars.instances(new float[6], new float[20], 3, 2, 4, StarParams.defaults()));
    assertEquals("a 3x2 image with 4 rays needs 6 probabilities and 24 distances, got 6 and 20",
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new StarParams(1.0, 0.4, StarOverlap.SMALLER));
  }
}
