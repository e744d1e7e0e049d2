package org.fovea.ops.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;

class ImgTensorsTest {

  @Test
  void blocksMirrorLikeNumpyReflectOnEverySizeIncludingOnePixelAxes() {
    Random rnd = new Random(5);
    int[][] shapes = {{7, 5, 1}, {7, 5, 3}, {1, 6, 1}, {6, 1, 2}, {1, 1, 1}, {2, 9, 1}};
    for (int[] s : shapes) {
      // setup: an 8-bit image x, y, c with a non-zero origin
      int w = s[0];
      int h = s[1];
      int c = s[2];
      byte[] px = new byte[w * h * c];
      rnd.nextBytes(px);
      var img = Views.translate(ArrayImgs.unsignedBytes(px, w, h, c), 3, -8, 0);
      int bw = w + 9;
      int bh = h + 7;
      float[] got = new float[bw * bh * c];
      // process: a window reaching beyond every border
      ImgTensors.blocks(img).copy(new long[] {-4, -3, 0}, got, new int[] {bw, bh, c});
      // test
      for (int k = 0; k < c; k++) {
        for (int y = 0; y < bh; y++) {
          for (int x = 0; x < bw; x++) {
            long sx = Planes.mirror(x - 4, w);
            long sy = Planes.mirror(y - 3, h);
            int expected = px[(int) ((k * h + sy) * w + sx)] & 0xff;
            assertEquals(expected, got[(k * bh + y) * bw + x], 0f,
                w + "x" + h + "x" + c + " at " + x + "," + y + "," + k);
          }
        }
      }
    }
  }

  @Test
  void blocksInsideAcrossAndBeyondTheBordersAllMirrorLikeNumpyReflect() {
    // the inside of a block is copied straight, the strips outside through the mirroring view:
    // every kind of block must read as one mirrored image
    Random rnd = new Random(11);
    int w = 40;
    int h = 30;
    int c = 2;
    byte[] px = new byte[w * h * c];
    rnd.nextBytes(px);
    var blocks = ImgTensors.blocks(Views.translate(ArrayImgs.unsignedBytes(px, w, h, c), -7, 5,
        0)).threadSafe();
    for (int trial = 0; trial < 300; trial++) {
      int bw = 1 + rnd.nextInt(60);
      int bh = 1 + rnd.nextInt(45);
      long x0 = rnd.nextInt(w + 40) - 30;
      long y0 = rnd.nextInt(h + 30) - 22;
      float[] got = new float[bw * bh * c];
      blocks.copy(new long[] {x0, y0, 0}, got, new int[] {bw, bh, c});
      for (int k = 0; k < c; k++) {
        for (int y = 0; y < bh; y++) {
          for (int x = 0; x < bw; x++) {
            long sx = Planes.mirror(x0 + x, w);
            long sy = Planes.mirror(y0 + y, h);
            assertEquals(px[(int) ((k * h + sy) * w + sx)] & 0xff, got[(k * bh + y) * bw + x], 0f,
                "block " + bw + "x" + bh + " at " + x0 + "," + y0 + ": " + x + "," + y + "," + k);
          }
        }
      }
    }
  }

  @Test
  void aTwoDimensionalImageReadsAsOneChannel() {
    var img = ArrayImgs.unsignedBytes(new byte[] {1, 2, 3, 4}, 2, 2);
    float[] got = new float[9];
    ImgTensors.blocks(img).copy(new long[] {0, 0, 0}, got, new int[] {3, 3, 1});
    assertEquals(java.util.Arrays.toString(new float[] {1, 2, 1, 3, 4, 3, 1, 2, 1}),
        java.util.Arrays.toString(got));
    assertEquals(UnsignedByteType.class, img.firstElement().getClass());
  }

  @Test
  void slicedPlanesAndVolumesWithoutChannelsReadLikeImgLib2sMirror() {
    // a plane or volume cut out of a larger image by hyperslices (as a z-stack's plane is), no
    // channel axis: blocks anywhere against ImgLib2's own extendMirrorSingle, read pixel by pixel
    Random rnd = new Random(3);
    var img = ArrayImgs.floats(23, 17, 4, 3);
    img.forEach(v -> v.set(rnd.nextFloat()));
    var plane = Views.translate(Views.hyperSlice(Views.hyperSlice(img, 3, 2), 2, 1), 5, -2);
    var volume = Views.hyperSlice(img, 3, 1);
    for (var im : java.util.List.of(plane, volume)) {
      int n = im.numDimensions();
      var blocks = ImgTensors.blocks(im, n);
      var ra = Views.extendMirrorSingle(Views.zeroMin(im)).randomAccess();
      for (int trial = 0; trial < 100; trial++) {
        int[] size = new int[n + 1];
        long[] pos = new long[n + 1];
        int count = 1;
        for (int d = 0; d < n; d++) {
          size[d] = 1 + rnd.nextInt((int) im.dimension(d) + 12);
          pos[d] = rnd.nextInt((int) im.dimension(d) + 16) - 10;
          count *= size[d];
        }
        size[n] = 1;
        float[] got = new float[count];
        blocks.copy(pos, got, size);
        long[] at = new long[n];
        for (int i = 0; i < count; i++) {
          for (int d = 0, r = i; d < n; r /= size[d], d++) {
            at[d] = pos[d] + r % size[d];
          }
          ra.setPosition(at);
          assertEquals(ra.get().get(), got[i], 0f, n + "D block at " + java.util.Arrays.toString(pos)
              + " of " + java.util.Arrays.toString(size) + ", value " + i);
        }
      }
    }
  }
}
