package org.fovea.ops.instances.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class VolumeMaximaTest {

  @Test
  void lowerPeakInAnotherPlaneHasTheDropToTheSaddleAsDynamic() {
    // a 1x1x5 column along z: peaks 3 (plane 1) and 2 (plane 3) meet at the saddle 1 (plane 2)
    float[] v = {1, 3, 1, 2, 1};
    assertArrayEquals(new int[] {0, 1, 0, 2, 0}, VolumeMaxima.seeds(v, null, 1, 1, 5, 0.5)
        .labels());
    assertArrayEquals(new int[] {0, 1, 0, 0, 0}, VolumeMaxima.seeds(v, null, 1, 1, 5, 1.0)
        .labels());
  }

  @Test
  void cornerNeighboursJoinAPlateauAcrossPlanes() {
    // 2x2x2: the plateau (0,0,0)-(1,1,1) touches only at a corner, yet is one maximum
    float[] v = {2, 0, 0, 0, 0, 0, 0, 2};
    assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 0}, VolumeMaxima.seeds(v, null, 2, 2, 2, 0)
        .labels());
  }

  @Test
  void maskSplitsPartsAlongZ() {
    float[] v = {3, 1, 2, 2};
    boolean[] mask = {true, false, true, true};
    assertArrayEquals(new int[] {1, 0, 2, 0}, VolumeMaxima.seeds(v, mask, 1, 1, 4, 5).labels());
  }
}
