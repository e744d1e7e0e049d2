package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.models.pkg.Npy;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.TiledImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that takes one image size (a fixed shape, as many DeepImageJ models declare) is tiled
 * with tiles of exactly that size: the same weights declared with a fixed 128 x 128 input give what
 * the variable-size package gives on the whole image, wherever the receptive field lies inside the
 * image (near the border the fixed tiles read the mirrored image where the whole pass pads).
 */
class FixedShapeTest {

  @TempDir
  Path tmp;

  /** The shipped nuclei-dilated package with its input declared as fixed side x side. */
  private Path fixedCopy(int side) throws IOException {
    Path dst = ShippedCopies.copy("nuclei-dilated", tmp.resolve("fixed-" + side));
    String rdf = Files.readString(dst.resolve("rdf.yaml"));
    String variable = "        size:\n          min: 16\n          step: 1\n";
    assertEquals(2, rdf.split(java.util.regex.Pattern.quote(variable), -1).length - 1);
    // the test tensor keeps its own size: validation is not what this test is about
    Files.writeString(dst.resolve("rdf.yaml"), rdf.replace(variable, "        size: " + side
        + "\n"));
    return dst;
  }

  @Test
  void fixedSizeTilesEqualTheWholeImageAwayFromTheBorder() throws IOException {
    ModelPackage dynamic = Zoo.resolve("nuclei-dilated");
    ModelPackage fixed = Zoo.resolve(fixedCopy(128).toString());
    Tensor raw = Npy.read(dynamic.testInputs().get(0), dynamic.inputs().get(0).spec().axes());
    long h = raw.size(Axis.Y);
    long w = raw.size(Axis.X);
    try (Model d = Model.load(dynamic, "onnx", "cpu"); Model f = Model.load(fixed, "onnx", "cpu")) {
      Tensor whole = ZooModelsTest.wholeImagePass(d, raw);
      long halo = d.halo().max(Axis.Y);
      RandomAccessibleInterval<FloatType> xy = Views.hyperSlice(Views.hyperSlice(raw.asImg(), 3,
          0), 2, 0);
      TiledImage out = Segmentation.lazy(f, xy, 0);
      assertEquals(128 - 2 * halo, out.cellInterval(0).dimension(0), "core = input - 2 halo");
      assertTrue(out.tiles() > 4, out.tiles() + " tiles");
      RandomAccess<FloatType> ra = out.image().randomAccess();
      double diff = 0;
      int classes = (int) whole.size(Axis.CHANNEL);
      for (int k = 0; k < classes; k++) {
        for (long y = halo; y < h - halo; y++) {
          for (long x = halo; x < w - halo; x++) {
            ra.setPosition(new long[] {x, y, k});
            diff = Math.max(diff, Math.abs(ra.get().get()
                - whole.data()[(int) ((k * h + y) * w + x)]));
          }
        }
      }
      assertTrue(diff <= 1e-5, "fixed tiles vs whole image, inside: " + diff);
      // an image smaller than a core is one tile of the mirrored image
      RandomAccessibleInterval<FloatType> small = Views.interval(xy,
          new net.imglib2.FinalInterval(50, 40));
      TiledImage one = Segmentation.lazy(f, small, 0);
      assertEquals(1, one.tiles());
      one.image().randomAccess().setPositionAndGet(25, 20, 1);
      assertEquals(1, one.computed());
    }
  }

  @Test
  void aReachThatLeavesNoCoreIsRefused() throws IOException {
    ModelPackage fixed = Zoo.resolve(fixedCopy(64).toString());
    try (Model f = Model.load(fixed, "onnx", "cpu")) {
      long halo = f.halo().max(Axis.Y);
      assertTrue(2 * halo >= 64, "the fixture must leave no core: halo " + halo);
      RandomAccessibleInterval<FloatType> img = net.imglib2.img.array.ArrayImgs.floats(200, 200);
      FoveaException e = assertThrows(FoveaException.class, () -> Segmentation.lazy(f, img, 0));
      assertEquals("model '" + fixed.name() + "' takes only 64x64 images and its receptive field"
          + " reaches " + halo + " px on each side, so a tile would have no part that sees all it"
          + " needs: it cannot be tiled without seams", e.getMessage());
    }
  }
}
