package org.fovea.ops.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/** Tile plans, and tiled == whole through the one tiler ({@link TiledImage}) on a toy network. */
class TilePlanTest {

  /** A "network" whose output at a pixel depends on inputs up to r away, zero beyond the border. */
  static UnaryOperator<Tensor> boxSum(int r) {
    return t -> {
      int h = (int) t.size(Axis.Y);
      int w = (int) t.size(Axis.X);
      Tensor o = Tensor.zeros(Axes.of("bcyx"), 1, 2, h, w);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float s = 0;
          for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
              int yy = y + dy;
              int xx = x + dx;
              if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                s += t.data()[yy * w + xx] * (1 + dy * 3 + dx);
              }
            }
          }
          o.data()[y * w + x] = s;
          o.data()[h * w + y * w + x] = -s;
        }
      }
      return o;
    };
  }

  static Tensor random(int h, int w) {
    Random rnd = new Random(7);
    Tensor t = Tensor.zeros(Axes.of("bcyx"), 1, 1, h, w);
    for (int i = 0; i < t.data().length; i++) {
      t.data()[i] = rnd.nextFloat();
    }
    return t;
  }

  /** The output's values, class by class, row by row. */
  private static float[] read(TiledImage t) {
    var img = t.image();
    float[] out = new float[(int) net.imglib2.util.Intervals.numElements(img)];
    int i = 0;
    for (net.imglib2.type.numeric.real.FloatType v : Views.flatIterable(img)) {
      out[i++] = v.get();
    }
    return out;
  }

  @Test
  void tiledEqualsWholeForEveryTileSize() {
    // setup
    Tensor in = random(37, 45);
    UnaryOperator<Tensor> net = boxSum(3);
    Tensor whole = net.apply(in);
    for (int tile = 1; tile <= 46; tile += 5) {
      // process
      TiledImage tiled = TiledImage.of(ArrayImgs.floats(in.data(), 45, 37),
          TilePlan.of(37, tile, 3, 1), TilePlan.of(45, tile, 3, 1), 2, net,
          TiledImage.DEFAULT_CACHE);
      // test
      assertArrayEquals(whole.data(), read(tiled), "tile " + tile);
    }
  }

  @Test
  void tooSmallHaloShowsSeams() {
    Tensor in = random(30, 30);
    UnaryOperator<Tensor> net = boxSum(3);
    TiledImage tiled = TiledImage.of(ArrayImgs.floats(in.data(), 30, 30),
        TilePlan.of(30, 8, 2, 1), TilePlan.of(30, 8, 2, 1), 2, net, TiledImage.DEFAULT_CACHE);
    assertEquals(false, java.util.Arrays.equals(net.apply(in).data(), read(tiled)));
  }

  @Test
  void spansCoverTheAxisOnTheStepGrid() {
    TilePlan p = TilePlan.of(40, 10, 5, 4); // tile 12, halo 8
    List<TilePlan.Span> s = p.spans();
    assertEquals(12, p.tile());
    assertEquals(8, p.halo());
    // every tile reads tile + 2 halo = 28: those cut by the border read further inward
    assertEquals(List.of(new TilePlan.Span(0, 12, 0, 28), new TilePlan.Span(12, 24, 4, 32),
        new TilePlan.Span(24, 36, 12, 40), new TilePlan.Span(36, 40, 12, 40)), s);
    for (TilePlan.Span sp : s) {
      assertEquals(0, sp.inStart() % 4);
      assertEquals(0, sp.inSize() % 4);
    }
  }

  @Test
  void planRejectsOffGridImage() {
    assertThrows(IllegalArgumentException.class, () -> new TilePlan(10, 4, 4, 4));
  }
}
