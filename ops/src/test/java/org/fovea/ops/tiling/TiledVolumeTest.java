package org.fovea.ops.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/** The one tiler over z-stacks: tile cores of a 3D "network" equal one pass over the volume. */
class TiledVolumeTest {

  private static final int D = 29;
  private static final int H = 53;
  private static final int W = 41;
  private static final int RZ = 2;
  private static final int RY = 3;
  private static final int RX = 4;

  /**
   * A 3D "network": weighted sums over a (2RZ+1) x (2RY+1) x (2RX+1) window, zero outside the
   * tensor, every input channel; two output channels (the sum and its negation plus the z index
   * of the tile's own first slice would break tiling, so only the window counts).
   */
  static UnaryOperator<Tensor> boxSum3d() {
    return t -> {
      int c = (int) t.size(Axis.CHANNEL);
      int d = (int) t.size(Axis.Z);
      int h = (int) t.size(Axis.Y);
      int w = (int) t.size(Axis.X);
      Tensor o = Tensor.zeros(Axes.of("bczyx"), 1, 2, d, h, w);
      float[] in = t.data();
      float[] out = o.data();
      int n = d * h * w;
      for (int z = 0; z < d; z++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            float s = 0;
            for (int k = 0; k < c; k++) {
              for (int dz = -RZ; dz <= RZ; dz++) {
                for (int dy = -RY; dy <= RY; dy++) {
                  for (int dx = -RX; dx <= RX; dx++) {
                    int zz = z + dz;
                    int yy = y + dy;
                    int xx = x + dx;
                    if (zz >= 0 && zz < d && yy >= 0 && yy < h && xx >= 0 && xx < w) {
                      s += in[k * n + (zz * h + yy) * w + xx] * (1 + dz * 7 + dy * 3 + dx + k);
                    }
                  }
                }
              }
            }
            out[(z * h + y) * w + x] = s;
            out[n + (z * h + y) * w + x] = -s;
          }
        }
      }
      return o;
    };
  }

  private static float[] noise(int n, long seed) {
    Random rnd = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextInt(4000);
    }
    return v;
  }

  private static TiledImage tiled(RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>> in,
      int tz, int ty, int tx) {
    return TiledImage.of(in,
        new TilePlan[] {TilePlan.of(W, tx, RX, 1), TilePlan.of(H, ty, RY, 1), TilePlan.of(D, tz, RZ, 1)},
        new OutputScale[] {OutputScale.ONE, OutputScale.ONE, OutputScale.ONE}, 2, boxSum3d(),
        TiledImage.DEFAULT_CACHE);
  }

  /** Every voxel of the output, its cells visited in a shuffled order; x fastest, class slowest. */
  private static float[] readInRandomCellOrder(TiledImage t, long seed) {
    RandomAccessibleInterval<FloatType> img = t.image();
    float[] out = new float[2 * D * H * W];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < t.tiles(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    RandomAccess<FloatType> ra = img.randomAccess();
    long[] p = new long[4];
    for (int i : order) {
      var iv = t.cellInterval(i);
      for (p[3] = iv.min(3); p[3] <= iv.max(3); p[3]++) {
        for (p[2] = iv.min(2); p[2] <= iv.max(2); p[2]++) {
          for (p[1] = iv.min(1); p[1] <= iv.max(1); p[1]++) {
            for (p[0] = iv.min(0); p[0] <= iv.max(0); p[0]++) {
              ra.setPosition(p);
              int idx = (int) ((((p[3] * D + p[2] - img.min(2)) * H) + p[1] - img.min(1)) * W
                  + p[0] - img.min(0));
              out[idx] = ra.get().get();
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void lazyVolumeReadInRandomCellOrderEqualsOnePassOverTheWholeVolume() {
    // setup
    float[] v = noise(D * H * W, 3);
    float[] expected = boxSum3d().apply(new Tensor(Axes.of("bczyx"), new long[] {1, 1, D, H, W},
        v.clone())).data();
    int[][] tiles = {{1, 1, 1}, {5, 8, 7}, {7, 16, 16}, {29, 53, 41}, {100, 100, 100}, {4, 53, 9}};
    for (int[] t : tiles) {
      // process
      TiledImage out = tiled(ArrayImgs.floats(v.clone(), W, H, D), t[0], t[1], t[2]);
      float[] got = readInRandomCellOrder(out, t[0] * 31L + t[1]);
      // test
      assertEquals(3, out.spatialDimensions());
      long cells = ceil(D, t[0]) * ceil(H, t[1]) * ceil(W, t[2]);
      assertEquals(cells, out.tiles(), "one cell per tile core");
      assertEquals(cells, out.computed(), "each tile computed once");
      assertArrayEquals(expected, got, "tiles " + java.util.Arrays.toString(t));
    }
  }

  private static long ceil(long a, long b) {
    return (a + b - 1) / b;
  }

  @Test
  void cellImgWithOriginAndChannelsGivesTheSameVoxels() {
    // setup: two channels, 16-bit cells of another shape, the origin away from zero
    float[] v = noise(2 * D * H * W, 5);
    float[] expected = boxSum3d().apply(new Tensor(Axes.of("bczyx"), new long[] {1, 2, D, H, W},
        v.clone())).data();
    RandomAccessibleInterval<UnsignedShortType> cells = new CellImgFactory<>(
        new UnsignedShortType(), 11).create(W, H, D, 2);
    LoopBuilder.setImages(ArrayImgs.floats(v, W, H, D, 2), cells)
        .forEachPixel((a, b) -> b.setReal(a.get()));
    RandomAccessibleInterval<UnsignedShortType> moved = Views.translate(cells, -7, 12, 100, 0);
    // process
    TiledImage out = tiled(moved, 6, 20, 13);
    float[] got = new float[expected.length];
    out.copyCells((min, size, c, data) -> {
      int i = 0;
      for (int k = 0; k < c; k++) {
        for (int z = 0; z < size[2]; z++) {
          for (int y = 0; y < size[1]; y++) {
            for (int x = 0; x < size[0]; x++) {
              got[(int) ((((long) k * D + min[2] + z) * H + min[1] + y) * W + min[0] + x)] = data[i++];
            }
          }
        }
      }
    }, 2, null);
    // test
    assertArrayEquals(expected, got);
    assertEquals(-7, out.image().min(0));
    assertEquals(100, out.image().min(2));
    assertEquals(2, out.image().dimension(3));
  }

  @Test
  void aPlaneSinkRefusesAVolume() {
    TiledImage out = tiled(ArrayImgs.floats(W, H, D), 8, 8, 8);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> out.copyCells((y0, x0, h, w, c, src) -> {}, 1, null));
    assertEquals("a plane sink takes 2D outputs; this one has 3 spatial dimensions", e.getMessage());
  }
}
