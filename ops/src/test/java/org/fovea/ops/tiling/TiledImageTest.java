package org.fovea.ops.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.imglib2.FinalInterval;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.position.FunctionRandomAccessible;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

class TiledImageTest {

  private static final int H = 203;
  private static final int W = 150;
  private static final int STEP = 4;
  private static final int REACH = 3;

  /** The input as a bcyx tensor, mirrored up to the step grid as the whole-image pass does. */
  private static Tensor padded(float[] xy, int h, int w) {
    int hp = (int) TilePlan.roundUp(h, STEP);
    int wp = (int) TilePlan.roundUp(w, STEP);
    Tensor t = Tensor.zeros(Axes.of("bcyx"), 1, 1, hp, wp);
    for (int y = 0; y < hp; y++) {
      for (int x = 0; x < wp; x++) {
        t.data()[y * wp + x] = xy[(int) (Planes.mirror(y, h) * w + Planes.mirror(x, w))];
      }
    }
    return t;
  }

  /** One pass of the "network" over the whole padded image, cropped: the reference. */
  private static float[] whole(float[] xy, UnaryOperator<Tensor> net) {
    Tensor p = padded(xy, H, W);
    Tensor o = net.apply(p);
    int wp = (int) p.size(org.fovea.ops.net.Axis.X);
    int hp = (int) p.size(org.fovea.ops.net.Axis.Y);
    float[] out = new float[2 * H * W];
    for (int k = 0; k < 2; k++) {
      for (int y = 0; y < H; y++) {
        System.arraycopy(o.data(), (k * hp + y) * wp, out, (k * H + y) * W, W);
      }
    }
    return out;
  }

  private static float[] noise() {
    Random rnd = new Random(11);
    float[] d = new float[H * W];
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextInt(4000);
    }
    return d;
  }

  private static TiledImage tiled(RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>> in,
      long tile, UnaryOperator<Tensor> net) {
    return TiledImage.of(in, TilePlan.of(TilePlan.roundUp(H, STEP), tile, REACH, STEP),
        TilePlan.of(TilePlan.roundUp(W, STEP), tile, REACH, STEP), 2, net, TiledImage.DEFAULT_CACHE);
  }

  /** Reads every pixel of the output, visiting its cells in a shuffled order. */
  private static float[] readInRandomCellOrder(TiledImage t, long seed) {
    RandomAccessibleInterval<FloatType> img = t.image();
    float[] out = new float[2 * H * W];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < t.tiles(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    RandomAccess<FloatType> ra = img.randomAccess();
    for (int i : order) {
      var iv = t.cellInterval(i);
      for (long k = iv.min(2); k <= iv.max(2); k++) {
        for (long y = iv.min(1); y <= iv.max(1); y++) {
          for (long x = iv.min(0); x <= iv.max(0); x++) {
            ra.setPosition(new long[] {x, y, k});
            out[(int) ((k * H + (y - img.min(1))) * W + (x - img.min(0)))] = ra.get().get();
          }
        }
      }
    }
    return out;
  }

  @Test
  void lazyOutputReadInRandomCellOrderEqualsTheWholeImagePass() {
    // setup
    float[] xy = noise();
    UnaryOperator<Tensor> net = TilePlanTest.boxSum(REACH);
    float[] expected = whole(xy, net);
    for (long tile : new long[] {4, 16, 36, 64, 1000}) {
      TiledImage t = tiled(ArrayImgs.floats(xy, W, H), tile, net);
      // process
      float[] got = readInRandomCellOrder(t, tile);
      // test
      assertArrayEquals(expected, got, 1e-5f, "tile " + tile);
      assertEquals(t.tiles(), t.computed(), "each tile computed once, tile " + tile);
    }
  }

  @Test
  void copyingOneCellOfTheOutputAsABlockComputesOnlyThatTile() {
    // a lazy output handed on as an input (a region of it to the instance step, or to another
    // tiler) is read with PrimitiveBlocks: asking the blocks for their type must not compute tile 0
    float[] xy = noise();
    UnaryOperator<Tensor> net = TilePlanTest.boxSum(REACH);
    TiledImage t = tiled(ArrayImgs.floats(xy, W, H), 36, net);
    net.imglib2.Interval cell = t.cellInterval(5);
    RandomAccessibleInterval<FloatType> region = Views.interval(t.image(), cell);
    Tensor got = ImgTensors.tensor(region);
    assertEquals(1, t.computed(), "only the cell read was computed");
    float[] expected = whole(xy, net);
    for (int k = 0; k < 2; k++) {
      for (long y = cell.min(1); y <= cell.max(1); y++) {
        for (long x = cell.min(0); x <= cell.max(0); x++) {
          int i = (int) ((k * cell.dimension(1) + y - cell.min(1)) * cell.dimension(0) + x
              - cell.min(0));
          assertEquals(expected[(int) ((k * H + y) * W + x)], got.data()[i], 1e-5f);
        }
      }
    }
  }

  @Test
  void cellImgInputWithAnOriginGivesTheSameOutputAtTheSameCoordinates() {
    // setup: 16-bit cells of 32x32, origin (-37, 1000)
    float[] xy = noise();
    var cells = new CellImgFactory<>(new UnsignedShortType(), 32).create(W, H);
    LoopBuilder.setImages(ArrayImgs.floats(xy, W, H), cells).forEachPixel((a, b) -> b.setReal(a.get()));
    RandomAccessibleInterval<UnsignedShortType> in = Views.translate(cells, -37, 1000);
    UnaryOperator<Tensor> net = TilePlanTest.boxSum(REACH);
    // process
    TiledImage t = tiled(in, 36, net);
    float[] got = readInRandomCellOrder(t, 3);
    // test
    assertEquals(-37, t.image().min(0));
    assertEquals(1000, t.image().min(1));
    assertEquals(W - 37 - 1, t.image().max(0));
    assertArrayEquals(whole(xy, net), got, 1e-5f);
  }

  @Test
  void copyCellsInParallelEqualsReadingThePixels() {
    // setup
    float[] xy = noise();
    UnaryOperator<Tensor> net = TilePlanTest.boxSum(REACH);
    TiledImage t = tiled(ArrayImgs.floats(xy, W, H), 40, net);
    Planes.Collector sink = new Planes.Collector(H, W);
    int[] last = {0};
    // process
    t.copyCells(sink, 2, d -> last[0] = d);
    // test
    assertArrayEquals(whole(xy, net), sink.result().data(), 1e-5f);
    assertEquals(t.tiles(), last[0]);
    assertEquals(t.tiles(), t.computed());
  }

  @Test
  void aVirtualImageOf65536SquaredIsComputedOnlyWhereItIsRead() {
    // setup: a generated image, never materialised: 4 Gi pixels
    long n = 65_536;
    var fn = new FunctionRandomAccessible<>(2, (pos, v) -> v.setReal(
        (pos.getLongPosition(0) * 31 + pos.getLongPosition(1) * 17) % 1000), FloatType::new);
    RandomAccessibleInterval<FloatType> in = Views.interval(fn, new FinalInterval(n, n));
    TiledImage t = TiledImage.of(in, TilePlan.of(n, 1024, REACH, STEP), TilePlan.of(n, 1024, REACH,
        STEP), 2, TilePlanTest.boxSum(REACH), TiledImage.DEFAULT_CACHE);
    // process
    RandomAccess<FloatType> ra = t.image().randomAccess();
    ra.setPosition(new long[] {40_000, 50_000, 1});
    float v = ra.get().get();
    // test: one tile of 4096 computed, one cell held
    assertEquals(64 * 64, t.tiles());
    assertEquals(1, t.computed());
    assertEquals(4L * 2 * 1024 * 1024, t.cachedBytes(), "one 1024x1024x2 cell held");
    float expected = 0;
    for (int dy = -REACH; dy <= REACH; dy++) {
      for (int dx = -REACH; dx <= REACH; dx++) {
        expected += ((40_000 + dx) * 31L + (50_000 + dy) * 17L) % 1000 * (1 + dy * 3 + dx);
      }
    }
    assertEquals(-expected, v, 0.1f);
    ra.setPosition(new long[] {n - 1, n - 1, 0});
    ra.get().get();
    assertEquals(2, t.computed());
  }

  @Test
  void aNetworkThatChangesTheTileSizeIsRefused() {
    // setup
    TiledImage t = tiled(ArrayImgs.floats(noise(), W, H), 36,
        x -> Tensor.zeros(Axes.of("bcyx"), 1, 2, 3, 3));
    // process, test
    org.fovea.ops.net.FoveaException e = assertThrows(org.fovea.ops.net.FoveaException.class,
        () -> t.image().randomAccess().get());
    assertTrue(e.getMessage().contains("changed the tile size"), e.getMessage());
    assertTrue(e.getMessage().contains("description and its weights disagree"), e.getMessage());
  }

  @Test
  void aFailedTileIsNotCachedAndIsComputedAgain() {
    // setup
    int[] calls = {0};
    UnaryOperator<Tensor> box = TilePlanTest.boxSum(REACH);
    TiledImage t = tiled(ArrayImgs.floats(noise(), W, H), 36, x -> {
      if (calls[0]++ == 0) {
        throw new IllegalStateException("engine hiccup");
      }
      return box.apply(x);
    });
    // process, test
    assertThrows(IllegalStateException.class, () -> t.cell(0));
    assertEquals(2 * 36 * 36, t.cell(0).length);
    assertEquals(2, calls[0]);
  }
}
