package org.fovea.ops.tiling;

import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.converter.Converters;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellGrid;
import net.imglib2.img.cell.LazyCellImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Util;
import net.imglib2.view.Views;

/**
 * Between ImgLib2 images (dimensions x, y and optionally channel) and the dense float blocks that
 * engines and statistics read.
 *
 * @since 0.2.0
 */
public final class ImgTensors {

  private ImgTensors() {}

  /**
   * @param image dimensions x, y and optionally channel, any origin
   * @return blocks of it as floats, x/y origin at zero, extended beyond x/y by mirroring (numpy's
   *     {@code reflect}: the edge pixel is not repeated; a one-pixel axis repeats its pixel); the
   *     channel dimension is always present (size 1 for a 2D image)
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static PrimitiveBlocks<FloatType> blocks(
      RandomAccessibleInterval<? extends RealType<?>> image) {
    RandomAccessibleInterval<? extends RealType<?>> xyc = image.numDimensions() == 2
        ? Views.addDimension((RandomAccessibleInterval) image, 0, 0) : image;
    RandomAccessibleInterval zero = Views.zeroMin((RandomAccessibleInterval) xyc);
    RandomAccessible ext = mirrored(zero);
    RandomAccessible<FloatType> floats = Util.getTypeFromInterval(zero) instanceof FloatType
        ? ext : Converters.convert((RandomAccessible<RealType>) ext,
            (a, b) -> b.setReal(a.getRealFloat()), new FloatType());
    return PrimitiveBlocks.of(floats, PrimitiveBlocks.OnFallback.ACCEPT);
  }

  /**
   * Copies an image into a dense {@code bcyx} tensor, the form engines and whole-image
   * algorithms take.
   *
   * @param image dimensions x, y and optionally channel, any origin
   * @return a new tensor, batch 1
   * @throws IllegalArgumentException when it has more than 2^31 values
   */
  public static org.fovea.ops.net.Tensor tensor(
      RandomAccessibleInterval<? extends RealType<?>> image) {
    int c = image.numDimensions() == 3 ? (int) image.dimension(2) : 1;
    org.fovea.ops.net.Tensor t = org.fovea.ops.net.Tensor.zeros(
        org.fovea.ops.net.Axes.of("bcyx"), 1, c, image.dimension(1), image.dimension(0));
    blocks(image).copy(new long[] {0, 0, 0}, t.data(),
        new int[] {(int) image.dimension(0), (int) image.dimension(1), c});
    return t;
  }

  /**
   * {@link Views#extendMirrorSingle}, except along dimensions of size 1, which repeat their pixel
   * (mirroring them is undefined, and {@link PrimitiveBlocks} divides by zero on them): those are
   * sliced off, the rest is mirrored, and they come back as dimensions that repeat.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RandomAccessible mirrored(RandomAccessibleInterval img) {
    int n = img.numDimensions();
    java.util.List<Integer> ones = new java.util.ArrayList<>();
    for (int d = 0; d < n; d++) {
      if (img.dimension(d) == 1) {
        ones.add(d);
      }
    }
    if (ones.isEmpty()) {
      return Views.extendMirrorSingle(img);
    }
    if (ones.size() == n) {
      return Views.extendBorder(img);
    }
    RandomAccessibleInterval v = img;
    for (int i = ones.size() - 1; i >= 0; i--) {
      v = Views.hyperSlice(v, ones.get(i), 0);
    }
    RandomAccessible ext = Views.extendMirrorSingle(v);
    for (int d : ones) {
      ext = Views.moveAxis(Views.addDimension(ext), ext.numDimensions(), d);
    }
    return ext;
  }

  /**
   * @param image dimensions x, y and optionally channel, any origin
   * @return the same image read region by region (for streamed statistics); reads are relative
   *     to the image's origin
   */
  public static PlaneSource planes(RandomAccessibleInterval<? extends RealType<?>> image) {
    PrimitiveBlocks<FloatType> b = blocks(image).threadSafe();
    int c = image.numDimensions() == 3 ? (int) image.dimension(2) : 1;
    return new SizedPlaneSource(image.dimension(1), image.dimension(0), c) {
      @Override
      public void read(long y0, long x0, int h, int w, float[] dst) {
        b.copy(new long[] {x0, y0, 0}, dst, new int[] {w, h, c});
      }
    };
  }

  /**
   * A plane source as a lazy image with dimensions x, y, channel: cells of {@code cell x cell}
   * pixels are read from the source when first touched and kept while the cache allows.
   *
   * @param src the source
   * @param cell the cell side
   * @param cacheBytes bytes of cells kept
   * @return the image
   */
  public static RandomAccessibleInterval<FloatType> image(PlaneSource src, int cell,
      long cacheBytes) {
    int c = src.channels();
    CellGrid grid = new CellGrid(new long[] {src.width(), src.height(), c},
        new int[] {cell, cell, c});
    CellCache<Cell<FloatArray>> cache = new CellCache<>(cacheBytes, x -> 4L * x.size());
    return new LazyCellImg<FloatType, FloatArray>(grid, new FloatType(),
        index -> cache.get(index, i -> {
          long[] min = new long[3];
          int[] size = new int[3];
          grid.getCellDimensions(i, min, size);
          float[] data = new float[size[0] * size[1] * c];
          src.read(min[1], min[0], size[1], size[0], data);
          return new Cell<>(size, min, new FloatArray(data));
        }));
  }
}
