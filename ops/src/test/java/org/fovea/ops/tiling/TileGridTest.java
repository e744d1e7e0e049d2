package org.fovea.ops.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

class TileGridTest {

  /** A 3D "network": weighted sum over a (2r+1)^3 box, zero outside, two output channels. */
  static UnaryOperator<Tensor> box3d(int r) {
    return t -> {
      long[] s = t.shape();
      int d = (int) s[2];
      int h = (int) s[3];
      int w = (int) s[4];
      Tensor o = Tensor.zeros(t.axes(), 1, 2, d, h, w);
      int n = d * h * w;
      for (int z = 0; z < d; z++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            float acc = 0;
            for (int dz = -r; dz <= r; dz++) {
              for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                  int zz = z + dz;
                  int yy = y + dy;
                  int xx = x + dx;
                  if (zz >= 0 && zz < d && yy >= 0 && yy < h && xx >= 0 && xx < w) {
                    acc += t.data()[(zz * h + yy) * w + xx] * (1 + dz + 2 * dy + 5 * dx);
                  }
                }
              }
            }
            o.data()[(z * h + y) * w + x] = acc;
            o.data()[n + (z * h + y) * w + x] = acc * acc;
          }
        }
      }
      return o;
    };
  }

  @Test
  void tiled3dEqualsWhole() {
    // setup
    Random rnd = new Random(5);
    Tensor in = Tensor.zeros(Axes.of("bczyx"), 1, 1, 9, 13, 11);
    for (int i = 0; i < in.data().length; i++) {
      in.data()[i] = rnd.nextFloat();
    }
    UnaryOperator<Tensor> net = box3d(2);
    Tensor whole = net.apply(in);
    for (int tile : new int[] {1, 3, 4, 7}) {
      // process
      TileGrid g = new TileGrid(List.of(TilePlan.of(9, tile, 2, 1), TilePlan.of(13, tile, 2, 1),
          TilePlan.of(11, tile, 2, 1)));
      Tensor tiled = g.run(in, net, null);
      // test
      assertArrayEquals(whole.data(), tiled.data(), "tile " + tile);
    }
  }

  @Test
  void tooLittleHaloIn3dShowsSeams() {
    Tensor in = Tensor.zeros(Axes.of("bczyx"), 1, 1, 6, 6, 6);
    for (int i = 0; i < in.data().length; i++) {
      in.data()[i] = i % 7;
    }
    TileGrid g = new TileGrid(List.of(TilePlan.of(6, 3, 1, 1), TilePlan.of(6, 3, 1, 1),
        TilePlan.of(6, 3, 1, 1)));
    assertFalse(java.util.Arrays.equals(box3d(2).apply(in).data(), g.run(in, box3d(2), null).data()));
  }

  @Test
  void gridIsTheProductOfThePlans() {
    TileGrid g = new TileGrid(List.of(TilePlan.of(10, 4, 0, 1), TilePlan.of(8, 8, 0, 1),
        TilePlan.of(5, 2, 1, 1)));
    assertEquals(3 * 1 * 3, g.tiles().size());
  }
}
