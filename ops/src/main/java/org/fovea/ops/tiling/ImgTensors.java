package org.fovea.ops.tiling;

import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.converter.Converters;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellGrid;
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
  public static Blocks blocks(RandomAccessibleInterval<? extends RealType<?>> image) {
    RandomAccessibleInterval<? extends RealType<?>> xyc = image.numDimensions() == 2
        ? Views.addDimension((RandomAccessibleInterval) image, 0, 0) : image;
    RandomAccessibleInterval zero = Views.zeroMin((RandomAccessibleInterval) xyc);
    return new Blocks(floats(zero), floats(mirrored(zero)), zero.dimension(0), zero.dimension(1));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static PrimitiveBlocks<FloatType> floats(RandomAccessible ra) {
    RandomAccessible<FloatType> f = ra.getType() instanceof FloatType ? ra
        : Converters.convert((RandomAccessible<RealType>) ra,
            (a, b) -> b.setReal(a.getRealFloat()), new FloatType());
    return PrimitiveBlocks.of(f, PrimitiveBlocks.OnFallback.ACCEPT);
  }

  /**
   * Float blocks of an image (x, y, channel; origin zero) mirrored beyond x and y. The part of a
   * block inside the image is copied by {@link PrimitiveBlocks} straight from the image; only the
   * strips outside go through the mirroring view, which is much slower per pixel (its copy is
   * about 30 times slower than the plain one for the same pixels).
   */
  public static final class Blocks {
    private final PrimitiveBlocks<FloatType> plain;
    private final PrimitiveBlocks<FloatType> mirrored;
    private final long width;
    private final long height;

    private Blocks(PrimitiveBlocks<FloatType> plain, PrimitiveBlocks<FloatType> mirrored,
        long width, long height) {
      this.plain = plain;
      this.mirrored = mirrored;
      this.width = width;
      this.height = height;
    }

    /** @return blocks that several threads may copy from at once */
    public Blocks threadSafe() {
      return new Blocks(plain.threadSafe(), mirrored.threadSafe(), width, height);
    }

    /**
     * @param pos the block's minimum (x, y, channel), anywhere
     * @param dst receives the block, x fastest, then y, then channel
     * @param size the block's size (x, y, channel)
     */
    public void copy(long[] pos, float[] dst, int[] size) {
      long x0 = pos[0];
      long y0 = pos[1];
      long x1 = x0 + size[0];
      long y1 = y0 + size[1];
      long ix0 = Math.max(0, x0);
      long iy0 = Math.max(0, y0);
      long ix1 = Math.min(width, x1);
      long iy1 = Math.min(height, y1);
      if (ix0 == x0 && iy0 == y0 && ix1 == x1 && iy1 == y1) {
        plain.copy(pos, dst, size);
        return;
      }
      if (ix0 >= ix1 || iy0 >= iy1) {
        mirrored.copy(pos, dst, size);
        return;
      }
      // the inside, then the strips above, below, left and right of it
      part(plain, pos, ix0, iy0, ix1, iy1, dst, size);
      part(mirrored, pos, x0, y0, x1, iy0, dst, size);
      part(mirrored, pos, x0, iy1, x1, y1, dst, size);
      part(mirrored, pos, x0, iy0, ix0, iy1, dst, size);
      part(mirrored, pos, ix1, iy0, x1, iy1, dst, size);
    }

    /** Copies [bx0, bx1) x [by0, by1) (all channels) into its place in the block at pos. */
    private static void part(PrimitiveBlocks<FloatType> from, long[] pos, long bx0, long by0,
        long bx1, long by1, float[] dst, int[] size) {
      int w = (int) (bx1 - bx0);
      int h = (int) (by1 - by0);
      if (w <= 0 || h <= 0) {
        return;
      }
      int c = size[2];
      float[] tmp = new float[w * h * c];
      from.copy(new long[] {bx0, by0, pos[2]}, tmp, new int[] {w, h, c});
      int ox = (int) (bx0 - pos[0]);
      int oy = (int) (by0 - pos[1]);
      for (int k = 0; k < c; k++) {
        for (int y = 0; y < h; y++) {
          System.arraycopy(tmp, (k * h + y) * w, dst, (k * size[1] + oy + y) * size[0] + ox, w);
        }
      }
    }
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
   * (mirroring them is undefined, and {@link PrimitiveBlocks} divides by zero on them).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RandomAccessible mirrored(RandomAccessibleInterval img) {
    int n = img.numDimensions();
    long[] min = img.minAsLongArray();
    long[] max = img.maxAsLongArray();
    boolean ones = false;
    for (int d = 0; d < n; d++) {
      if (img.dimension(d) == 1) {
        // widen a one-pixel axis to three copies of its pixel, whose mirror image repeats that
        // pixel: a view chain that ImgLib2 7.1.2 (Fiji's) analyses, where slicing the axis away
        // and adding it back trips an assertion in its ViewAnalyzer
        min[d]--;
        max[d]++;
        ones = true;
      }
    }
    return Views.extendMirrorSingle(ones
        ? Views.interval(Views.extendBorder(img), min, max) : img);
  }

  /**
   * @param image dimensions x, y and optionally channel, any origin
   * @return the same image read region by region (for streamed statistics); reads are relative
   *     to the image's origin
   */
  public static PlaneSource planes(RandomAccessibleInterval<? extends RealType<?>> image) {
    Blocks b = blocks(image).threadSafe();
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
    return new FloatCells(grid, index -> cache.get(index, i -> {
      long[] min = new long[3];
      int[] size = new int[3];
      grid.getCellDimensions(i, min, size);
      float[] data = new float[size[0] * size[1] * c];
      src.read(min[1], min[0], size[1], size[0], data);
      return new Cell<>(size, min, new FloatArray(data));
    }));
  }
}
