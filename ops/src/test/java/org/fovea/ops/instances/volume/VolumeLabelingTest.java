package org.fovea.ops.instances.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.view.Views;
import org.fovea.ops.instances.Connectivity;
import org.junit.jupiter.api.Test;

class VolumeLabelingTest {

  /** A w x h x d volume of label 0 with the given voxels (x, y, z, label) set. */
  private static int[] volume(int w, int h, int d, int... xyzLabel) {
    int[] l = new int[w * h * d];
    for (int k = 0; k < xyzLabel.length; k += 4) {
      l[(xyzLabel[k + 2] * h + xyzLabel[k + 1]) * w + xyzLabel[k]] = xyzLabel[k + 3];
    }
    return l;
  }

  private static boolean[] mask(int[] l) {
    boolean[] m = new boolean[l.length];
    for (int i = 0; i < l.length; i++) {
      m[i] = l[i] != 0;
    }
    return m;
  }

  /** A cube of side 3 at (x0, y0, z0) of one label, hollow (its centre stays) when asked. */
  private static void cube(int[] l, int w, int h, int x0, int y0, int z0, int label,
      boolean hollow) {
    for (int z = z0; z < z0 + 3; z++) {
      for (int y = y0; y < y0 + 3; y++) {
        for (int x = x0; x < x0 + 3; x++) {
          if (!hollow || x != x0 + 1 || y != y0 + 1 || z != z0 + 1) {
            l[(z * h + y) * w + x] = label;
          }
        }
      }
    }
  }

  @Test
  void neighbourCountsAndInPlaneOrderOf2D() {
    assertEquals(6, Connectivity3D.SIX.neighbours());
    assertEquals(18, Connectivity3D.EIGHTEEN.neighbours());
    assertEquals(26, Connectivity3D.TWENTY_SIX.neighbours());
    for (Connectivity c : Connectivity.values()) {
      Connectivity3D c3 = Connectivity3D.of(c);
      int k2 = 0;
      for (int k = 0; k < c3.neighbours(); k++) {
        if (c3.dz(k) == 0) {
          assertEquals(c.dx(k2), c3.dx(k), c + " neighbour " + k2);
          assertEquals(c.dy(k2), c3.dy(k), c + " neighbour " + k2);
          k2++;
        }
      }
      assertEquals(c.neighbours(), k2);
    }
  }

  @Test
  void edgeAndCornerNeighboursJoinOnlyWithTheirConnectivity() {
    // A (0,0,0) and B (1,1,0) share an edge; B and C (2,2,1) a corner; C and D (2,2,2) a face
    boolean[] m = mask(volume(3, 3, 3, 0, 0, 0, 1, 1, 1, 0, 1, 2, 2, 1, 1, 2, 2, 2, 1));
    LabelVolume six = VolumeLabeling.components(m, 3, 3, 3, Connectivity3D.SIX);
    assertEquals(3, six.count());
    assertArrayEquals(volume(3, 3, 3, 0, 0, 0, 1, 1, 1, 0, 2, 2, 2, 1, 3, 2, 2, 2, 3),
        six.labels());
    assertEquals(2, VolumeLabeling.components(m, 3, 3, 3, Connectivity3D.EIGHTEEN).count());
    assertEquals(1, VolumeLabeling.components(m, 3, 3, 3, Connectivity3D.TWENTY_SIX).count());
  }

  @Test
  void cavityEnclosedByOneLabelIsFilled() {
    int[] l = new int[9 * 5 * 5];
    cube(l, 9, 5, 1, 1, 1, 1, true);
    cube(l, 9, 5, 5, 1, 1, 2, true);
    LabelVolume f = VolumeLabeling.fillHoles(new LabelVolume(9, 5, 5, l, 2));
    assertEquals(1, f.at(2, 2, 2));
    assertEquals(2, f.at(6, 2, 2));
    assertEquals(0, f.at(4, 2, 2));
    assertEquals(0, f.at(0, 0, 0));
  }

  @Test
  void cavityBetweenTwoLabelsOrOnTheBorderStays() {
    int[] two = new int[5 * 5 * 5];
    cube(two, 5, 5, 1, 1, 1, 1, true);
    two[(3 * 5 + 2) * 5 + 2] = 2; // the cube's top face centre belongs to another label
    assertArrayEquals(two, VolumeLabeling.fillHoles(new LabelVolume(5, 5, 5, two, 2)).labels());
    int[] open = new int[3 * 3 * 3];
    cube(open, 3, 3, 0, 0, 0, 1, true);
    open[(2 * 3 + 1) * 3 + 1] = 0; // the top face opens onto the last plane: the border
    assertArrayEquals(open, VolumeLabeling.fillHoles(new LabelVolume(3, 3, 3, open, 1)).labels());
    // a ring within one plane of a deeper volume: its hole touches the first and last plane
    int[] ring = volume(3, 3, 1, 0, 0, 0, 1, 1, 0, 0, 1, 2, 0, 0, 1, 0, 1, 0, 1, 2, 1, 0, 1, 0,
        2, 0, 1, 1, 2, 0, 1, 2, 2, 0, 1);
    int[] deep = new int[3 * 3 * 3];
    System.arraycopy(ring, 0, deep, 9, 9);
    assertArrayEquals(deep, VolumeLabeling.fillHoles(new LabelVolume(3, 3, 3, deep, 1)).labels());
    // ...while a single plane is a 2D image, whose hole is filled
    assertEquals(1, VolumeLabeling.fillHoles(new LabelVolume(3, 3, 1, ring, 1)).at(1, 1, 0));
  }

  @Test
  void sizeFilterRemovesAndRenumbersInRasterOrderXThenYThenZ() {
    // label 7 starts in plane 0, label 3 in row 1 of plane 0, label 5 at x 0 of plane 1
    int[] l = volume(2, 2, 2, 1, 0, 0, 7, 0, 1, 0, 3, 1, 1, 0, 3, 0, 0, 1, 5, 1, 1, 1, 7);
    LabelVolume all = VolumeLabeling.filterSizes(new LabelVolume(2, 2, 2, l, 7), 1, 0);
    assertArrayEquals(volume(2, 2, 2, 1, 0, 0, 1, 0, 1, 0, 2, 1, 1, 0, 2, 0, 0, 1, 3, 1, 1, 1, 1),
        all.labels());
    assertEquals(3, all.count());
    LabelVolume two = VolumeLabeling.filterSizes(new LabelVolume(2, 2, 2, l, 7), 2, 2);
    assertArrayEquals(volume(2, 2, 2, 1, 0, 0, 1, 0, 1, 0, 2, 1, 1, 0, 2, 1, 1, 1, 1),
        two.labels());
    assertArrayEquals(new long[] {4, 2, 2}, VolumeLabeling.volumes(two));
  }

  @Test
  void labelVolumeWrapsAndCopiesImgLib2Volumes() {
    LabelVolume l = new LabelVolume(3, 2, 2, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 11);
    var ra = l.asImg().randomAccess();
    ra.setPosition(new long[] {2, 1, 1});
    assertEquals(11, ra.get().get());
    assertEquals(11, l.at(2, 1, 1));
    var img = ArrayImgs.unsignedShorts(new short[] {0, 4, 0, 0, 0, 0, 0, 9}, 2, 2, 2);
    LabelVolume c = LabelVolume.of(Views.translate(img, 5, -2, 7));
    assertArrayEquals(new int[] {0, 4, 0, 0, 0, 0, 0, 9}, c.labels());
    assertEquals(9, c.count());
    assertEquals(2, c.depth());
  }

  @Test
  void sizesThatDoNotFitAreOneSentence() {
    IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
        () -> LabelVolume.of(ArrayImgs.unsignedShorts(2, 2)));
    assertTrue(flat.getMessage().contains("3D"), flat.getMessage());
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> new LabelVolume(2, 2, 2, new int[7], 0));
    assertEquals("a volume of 2x2x2 voxels needs 8 values, got 7", wrong.getMessage());
    var lazy = Views.interval(Views.extendZero(ArrayImgs.unsignedShorts(1, 1, 1)),
        new long[] {0, 0, 0}, new long[] {2047, 2047, 1023}); // 2^32 voxels, none stored
    IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
        () -> LabelVolume.of(lazy));
    assertTrue(huge.getMessage().contains("2048x2048x1024 = 4294967296 voxels"),
        huge.getMessage());
  }
}
