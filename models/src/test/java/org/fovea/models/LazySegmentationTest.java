package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.imglib2.FinalInterval;
import net.imglib2.Interval;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.position.FunctionRandomAccessible;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.Npy;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.ImgTensors;
import org.fovea.ops.tiling.TiledImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The lazy ImgLib2 output of segmentation, against one whole-image pass of the real models. */
class LazySegmentationTest {

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> modelsAndEngines() {
    return ZooModelsTest.modelsAndEngines();
  }

  @ParameterizedTest
  @MethodSource("modelsAndEngines")
  void aCellImgWithAnOriginReadInRandomCellOrderEqualsTheWholeImagePass(String model,
      String engine) {
    // setup: the package's test input, off the size grid, as 16-bit cells with origin (-500, 77)
    ModelPackage p = Zoo.resolve(model);
    Tensor test = Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes());
    Tensor raw = ZooModelsTest.crop(test, 250, 237, 3, 11);
    int h = 250;
    int w = 237;
    var cells = new CellImgFactory<>(new UnsignedShortType(), 50).create(w, h);
    RandomAccess<UnsignedShortType> c = cells.randomAccess();
    float scale = 0;
    for (float v : raw.data()) {
      scale = Math.max(scale, Math.abs(v));
    }
    // 16-bit integers: the whole-image pass gets exactly the same values
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int q = Math.round(raw.data()[y * w + x] / scale * 60000);
        raw.data()[y * w + x] = q;
        c.setPosition(new long[] {x, y});
        c.get().set(q);
      }
    }
    RandomAccessibleInterval<UnsignedShortType> in = Views.translate(cells, -500, 77);
    try (Model m = Model.load(p, engine, "cpu")) {
      Tensor whole = ZooModelsTest.wholeImagePass(m, raw);
      for (long tile : new long[] {48, 100}) {
        // process
        TiledImage out = Segmentation.lazy(m, in, tile);
        assertTrue(out.tiles() > 4, "tile " + tile + ": " + out.tiles() + " tiles");
        assertEquals(0, out.computed(), "nothing runs before a pixel is read");
        RandomAccessibleInterval<FloatType> img = out.image();
        assertEquals(-500, img.min(0));
        assertEquals(77, img.min(1));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < out.tiles(); i++) {
          order.add(i);
        }
        Collections.shuffle(order, new Random(tile));
        double d = 0;
        RandomAccess<FloatType> ra = img.randomAccess();
        int classes = (int) whole.size(Axis.CHANNEL);
        for (int i : order) {
          Interval iv = out.cellInterval(i);
          for (long k = iv.min(2); k <= iv.max(2); k++) {
            for (long y = iv.min(1); y <= iv.max(1); y++) {
              for (long x = iv.min(0); x <= iv.max(0); x++) {
                ra.setPosition(new long[] {x, y, k});
                float e = whole.data()[(int) ((k * h + y - 77) * w + x + 500)];
                d = Math.max(d, Math.abs(ra.get().get() - e));
              }
            }
          }
        }
        // test
        assertEquals(classes, img.dimension(2));
        assertTrue(d <= 1e-5, model + " on " + engine + ", tile " + tile + ": " + d);
        assertEquals(out.tiles(), out.computed(), "each tile computed once");
      }
    }
  }

  @Test
  void a65536SquaredVirtualImageIsSegmentedLazilyOneTilePerPixelRead() {
    // setup: a generated 65536 x 65536 image (16 GiB as floats), never materialised; the
    // normalization's statistics come from a 1024² stand-in of the same pattern
    long n = 65_536;
    var fn = new FunctionRandomAccessible<>(2, (pos, v) -> {
      long x = pos.getLongPosition(0);
      long y = pos.getLongPosition(1);
      double r = Math.hypot((x % 64) - 32, (y % 64) - 32);
      v.setReal(r < 12 ? 1000 + (x * 7 + y * 13) % 97 : 100 + (x * 3 + y * 5) % 31);
    }, FloatType::new);
    RandomAccessibleInterval<FloatType> huge = Views.interval(fn, new FinalInterval(n, n));
    RandomAccessibleInterval<FloatType> standIn = Views.interval(fn, new FinalInterval(1024, 1024));
    try (Model m = Model.load(Zoo.resolve("nuclei-dilated"), "onnx", "cpu")) {
      // process
      SegmentationPlan plan = SegmentationPlan.of(m, ImgTensors.planes(huge),
          ImgTensors.planes(standIn), 1024);
      TiledImage out = plan.output(m, huge, TiledImage.DEFAULT_CACHE);
      RandomAccess<FloatType> ra = out.image().randomAccess();
      ra.setPosition(new long[] {40_000 + 32, 50_000 + 32, 1}); // the middle of a disc
      float interior = ra.get().get();
      // test
      assertEquals(64 * 64, out.tiles());
      assertEquals(1, out.computed(), "one pixel read, one tile computed");
      // the same pixel from a small image of the same pattern around it: equal, the halo suffices
      RandomAccessibleInterval<FloatType> near = Views.interval(fn,
          new FinalInterval(new long[] {40_000 - 256, 50_000 - 256},
              new long[] {40_000 + 767, 50_000 + 767}));
      SegmentationPlan small = new SegmentationPlan(1024, 1024, 1, plan.classes(),
          org.fovea.ops.tiling.TilePlan.of(1024, 1024, plan.rows().halo(), plan.rows().step()),
          org.fovea.ops.tiling.TilePlan.of(1024, 1024, plan.rows().halo(), plan.rows().step()),
          plan.steps(), 0);
      RandomAccess<FloatType> nr = small.output(m, near, TiledImage.DEFAULT_CACHE).image()
          .randomAccess();
      nr.setPosition(new long[] {40_000 + 32, 50_000 + 32, 1});
      assertEquals(nr.get().get(), interior, 1e-5f);
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      assertTrue(used < 1L << 30, "heap in use " + (used >> 20) + " MiB");
    }
  }
}
