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
  public static Blocks blocks(RandomAccessibleInterval<? extends RealType<?>> image) {
    return blocks(image, 2);
  }

  /**
   * @param image {@code spatial} dimensions (x, y or x, y, z) and optionally channel, any origin
   * @param spatial the number of spatial dimensions, 2 or 3
   * @return blocks of it as floats, origin at zero, extended beyond the spatial dimensions by
   *     mirroring; the channel dimension is always present (last, size 1 when the image has none)
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Blocks blocks(RandomAccessibleInterval<? extends RealType<?>> image, int spatial) {
    if (image.numDimensions() != spatial && image.numDimensions() != spatial + 1) {
      throw new IllegalArgumentException("expected " + spatial + " spatial dimensions and"
          + " optionally a channel dimension, got " + image.numDimensions() + " dimensions");
    }
    RandomAccessibleInterval<? extends RealType<?>> withChannel = image.numDimensions() == spatial
        ? Views.addDimension((RandomAccessibleInterval) image, 0, 0) : image;
    RandomAccessibleInterval zero = Views.zeroMin((RandomAccessibleInterval) withChannel);
    long[] dims = new long[spatial];
    for (int d = 0; d < spatial; d++) {
      dims[d] = zero.dimension(d);
    }
    return new Blocks(floats(zero), floats(mirrored(zero)), dims);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static PrimitiveBlocks<FloatType> floats(RandomAccessible ra) {
    RandomAccessible<FloatType> f = ra.getType() instanceof FloatType ? ra
        : Converters.convert((RandomAccessible<RealType>) ra,
            (a, b) -> b.setReal(a.getRealFloat()), new FloatType());
    return PrimitiveBlocks.of(f, PrimitiveBlocks.OnFallback.ACCEPT);
  }

  /**
   * Float blocks of an image (spatial dimensions, then channel; origin zero) mirrored beyond its
   * spatial dimensions. The part of a block inside the image is copied by {@link PrimitiveBlocks}
   * straight from the image; only the slabs outside go through the mirroring view, which is much
   * slower per pixel (its copy is about 30 times slower than the plain one for the same pixels).
   */
  public static final class Blocks {
    private final PrimitiveBlocks<FloatType> plain;
    private final PrimitiveBlocks<FloatType> mirrored;
    private final long[] dims;

    private Blocks(PrimitiveBlocks<FloatType> plain, PrimitiveBlocks<FloatType> mirrored,
        long[] dims) {
      this.plain = plain;
      this.mirrored = mirrored;
      this.dims = dims;
    }

    /** @return blocks that several threads may copy from at once */
    public Blocks threadSafe() {
      return new Blocks(plain.threadSafe(), mirrored.threadSafe(), dims);
    }

    /**
     * @param pos the block's minimum (spatial dimensions, then channel), anywhere
     * @param dst receives the block, x fastest, then y (then z), then channel
     * @param size the block's size (spatial dimensions, then channel)
     */
    public void copy(long[] pos, float[] dst, int[] size) {
      int n = dims.length;
      long[] lo = new long[n];
      long[] hi = new long[n];
      boolean inside = true;
      boolean empty = false;
      for (int d = 0; d < n; d++) {
        lo[d] = Math.max(0, pos[d]);
        hi[d] = Math.min(dims[d], pos[d] + size[d]);
        inside &= lo[d] == pos[d] && hi[d] == pos[d] + size[d];
        empty |= lo[d] >= hi[d];
      }
      if (inside) {
        plain.copy(pos, dst, size);
        return;
      }
      if (empty) {
        mirrored.copy(pos, dst, size);
        return;
      }
      // the inside, then for each dimension d the slabs before and after it along d: inside
      // along the dimensions below d, the whole block along those above (disjoint, covering)
      part(plain, pos, lo, hi, dst, size);
      for (int d = 0; d < n; d++) {
        long[] a = new long[n];
        long[] b = new long[n];
        for (int e = 0; e < n; e++) {
          a[e] = e < d ? lo[e] : pos[e];
          b[e] = e < d ? hi[e] : pos[e] + size[e];
        }
        long end = b[d];
        b[d] = lo[d];
        part(mirrored, pos, a, b, dst, size);
        a[d] = hi[d];
        b[d] = end;
        part(mirrored, pos, a, b, dst, size);
      }
    }

    /** Copies the box [min, max) (all channels) into its place in the block at pos. */
    private static void part(PrimitiveBlocks<FloatType> from, long[] pos, long[] min, long[] max,
        float[] dst, int[] size) {
      int n = min.length;
      int[] box = new int[n + 1];
      long[] at = new long[n + 1];
      int count = 1;
      for (int d = 0; d < n; d++) {
        box[d] = (int) (max[d] - min[d]);
        if (box[d] <= 0) {
          return;
        }
        at[d] = min[d];
        count *= box[d];
      }
      box[n] = size[n];
      at[n] = pos[n];
      float[] tmp = new float[count * box[n]];
      from.copy(at, tmp, box);
      // one x line at a time; the line counter runs over the dimensions above x
      int w = box[0];
      int lines = tmp.length / w;
      int[] line = new int[n + 1];
      for (int l = 0; l < lines; l++) {
        long o = 0;
        long stride = 1;
        for (int d = 0; d <= n; d++) {
          long c = d == 0 ? min[0] - pos[0] : d < n ? min[d] - pos[d] + line[d] : line[d];
          o += c * stride;
          stride *= size[d];
        }
        System.arraycopy(tmp, l * w, dst, (int) o, w);
        for (int d = 1; d <= n && ++line[d] == box[d]; d++) {
          line[d] = 0;
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
   * The z-slices of a volume stacked into one tall plane: statistics over its pixels are
   * statistics over every voxel (per channel), read slab by slab, never copied whole.
   *
   * @param volume dimensions x, y, z and optionally channel, any origin
   * @return a plane of {@code depth * height} rows (slice after slice) and the volume's width
   * @since 0.3.0
   */
  public static PlaneSource stackedPlanes(RandomAccessibleInterval<? extends RealType<?>> volume) {
    Blocks b = blocks(volume, 3).threadSafe();
    long h = volume.dimension(1);
    long d = volume.dimension(2);
    int c = volume.numDimensions() == 4 ? (int) volume.dimension(3) : 1;
    return new SizedPlaneSource(d * h, volume.dimension(0), c) {
      @Override
      public void read(long y0, long x0, int rows, int w, float[] dst) {
        int r = 0;
        while (r < rows) {
          long z = (y0 + r) / h;
          long y = (y0 + r) % h;
          int run = (int) Math.min(rows - r, h - y);
          float[] tmp = new float[run * w * c];
          b.copy(new long[] {x0, y, z, 0}, tmp, new int[] {w, run, 1, c});
          for (int k = 0; k < c; k++) {
            System.arraycopy(tmp, k * run * w, dst, (k * rows + r) * w, run * w);
          }
          r += run;
        }
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
