package org.fovea.ops.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

class TilerTest {

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

  @Test
  void tiledEqualsWholeForEveryTileSize() {
    // setup
    Tensor in = random(37, 45);
    UnaryOperator<Tensor> net = boxSum(3);
    Tensor whole = net.apply(in);
    for (int tile = 1; tile <= 46; tile += 5) {
      // process
      Tensor tiled = Tiler.run(in, TilePlan.of(37, tile, 3, 1), TilePlan.of(45, tile, 3, 1), net, null);
      // test
      assertArrayEquals(whole.data(), tiled.data(), "tile " + tile);
    }
  }

  @Test
  void tooSmallHaloShowsSeams() {
    Tensor in = random(30, 30);
    UnaryOperator<Tensor> net = boxSum(3);
    Tensor tiled = Tiler.run(in, TilePlan.of(30, 8, 2, 1), TilePlan.of(30, 8, 2, 1), net, null);
    assertEquals(false, java.util.Arrays.equals(net.apply(in).data(), tiled.data()));
  }

  @Test
  void spansCoverTheAxisOnTheStepGrid() {
    TilePlan p = TilePlan.of(40, 10, 5, 4); // tile 12, halo 8
    List<TilePlan.Span> s = p.spans();
    assertEquals(12, p.tile());
    assertEquals(8, p.halo());
    assertEquals(List.of(new TilePlan.Span(0, 12, 0, 20), new TilePlan.Span(12, 24, 4, 32),
        new TilePlan.Span(24, 36, 16, 40), new TilePlan.Span(36, 40, 28, 40)), s);
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
