package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.Processing;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.TiledImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Z-stacks through a 3D model (package {@code src/test/resources/volume3d}, made by its script,
 * test outputs from PyTorch): tiles in z, y and x equal one pass of the engine over the whole
 * normalized volume, on ONNX Runtime and PyTorch, from an array and from a 16-bit cell image with
 * an origin away from zero.
 */
class VolumeSegmentationTest {

  private static final int D = 23;
  private static final int H = 37;
  private static final int W = 29;

  @TempDir
  Path tmp;

  static Path fixture() {
    try {
      return Path.of(VolumeSegmentationTest.class.getResource("/volume3d/rdf.yaml").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Blobs on a gradient with noise, 16-bit values: something with structure in every axis. */
  private static float[] stack() {
    Random rnd = new Random(17);
    float[] v = new float[D * H * W];
    for (int z = 0; z < D; z++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          double b = Math.exp(-((z - 9) * (z - 9) / 18.0 + (y - 14) * (y - 14) / 40.0
              + (x - 20) * (x - 20) / 30.0));
          v[(z * H + y) * W + x] = (float) Math.rint(200 + 20 * z + 3000 * b + rnd.nextInt(300));
        }
      }
    }
    return v;
  }

  /** The reference: the package's own pre-processing on the whole volume, one engine call. */
  private static float[] whole(Model m, float[] v) {
    Tensor t = new Tensor(Axes.of("bczyx"), new long[] {1, 1, D, H, W}, v.clone());
    Processing.applyAll(m.pkg().inputs().get(0).processing(), t);
    return m.network().predict(t).data();
  }

  /** Every voxel of an x, y, z, class image, x fastest, class slowest. */
  private static float[] read(RandomAccessibleInterval<FloatType> img) {
    float[] out = new float[(int) (img.dimension(0) * img.dimension(1) * img.dimension(2)
        * img.dimension(3))];
    int i = 0;
    Cursor<FloatType> c = Views.flatIterable(img).cursor();
    while (c.hasNext()) {
      out[i++] = c.next().get();
    }
    return out;
  }

  private static double maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void tilesInZyxEqualOnePassOverTheVolumeOnEveryEngine() {
    ModelPackage p = Zoo.resolve(fixture().toString());
    float[] v = stack();
    for (String engine : new String[] {"onnx", "pytorch"}) {
      try (Model m = Model.load(p, engine, "cpu")) {
        Halo halo = m.halo();
        assertEquals(2, halo.max(Axis.Z), "z reach of 3x3x3 twice");
        assertEquals(3, halo.max(Axis.Y), "y reach: 1 + dilation 2");
        float[] expected = whole(m, v);
        for (long tile : new long[] {0, 5, 8, 13}) {
          SegmentationPlan plan = SegmentationPlan.of(m, ArrayImgs.floats(v.clone(), W, H, D), tile);
          assertTrue(plan.volume());
          TiledImage out = plan.output(m, ArrayImgs.floats(v.clone(), W, H, D),
              TiledImage.DEFAULT_CACHE);
          assertEquals(plan.tiles(), out.tiles());
          double d = maxDiff(expected, read(out.image()));
          assertTrue(d <= 1e-5, engine + " tile " + tile + ": max difference " + d);
          if (tile == 5) {
            assertEquals(5 * 8 * 6, out.tiles(), "ceil(23/5) * ceil(37/5) * ceil(29/5)");
          }
        }
      }
    }
  }

  @Test
  void aCellImageWithAnOriginGivesTheSameVoxels() {
    ModelPackage p = Zoo.resolve(fixture().toString());
    float[] v = stack();
    RandomAccessibleInterval<UnsignedShortType> cells = new CellImgFactory<>(
        new UnsignedShortType(), 9).create(W, H, D);
    LoopBuilder.setImages(ArrayImgs.floats(v, W, H, D), cells)
        .forEachPixel((a, b) -> b.setReal(a.get()));
    RandomAccessibleInterval<UnsignedShortType> moved = Views.translate(cells, 1000, -40, 7);
    try (Model m = Model.load(p, "onnx", "cpu")) {
      float[] expected = whole(m, v);
      RandomAccessibleInterval<FloatType> out = Segmentation.probabilities(m, moved, 7);
      assertEquals(1000, out.min(0));
      assertEquals(7, out.min(2));
      assertEquals(3, out.dimension(3));
      double d = maxDiff(expected, read(out));
      assertTrue(d <= 1e-5, "max difference " + d);
    }
  }

  @Test
  void aPlaneOrAPerSliceNormalizationIsRefusedWithASentence() throws IOException {
    ModelPackage p = Zoo.resolve(fixture().toString());
    try (Model m = Model.load(p, "onnx", "cpu")) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> SegmentationPlan.of(m, ArrayImgs.floats(30, 20), 0));
      assertEquals("model 'small-3d' is a 3D model: it segments z-stacks with dimensions x, y, z"
          + " (and optionally channel), but this image has 2 dimension(s); open the stack as a"
          + " volume (its slices on z) or choose a 2D model", e.getMessage());
    }
    Path copy = Files.createDirectories(tmp.resolve("per-slice"));
    try (var s = Files.list(fixture())) {
      for (Path f : s.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path rdf = copy.resolve("rdf.yaml");
    Files.writeString(rdf, Files.readString(rdf).replace("axes: [z, y, x]", "axes: [y, x]"));
    try (Model m = Model.load(Zoo.resolve(copy.toString()), "onnx", "cpu")) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> SegmentationPlan.of(m, ArrayImgs.floats(30, 20, 10), 0));
      assertTrue(e.getMessage().startsWith("model 'small-3d' normalizes each z-slice on its own"),
          e.getMessage());
    }
  }
}
