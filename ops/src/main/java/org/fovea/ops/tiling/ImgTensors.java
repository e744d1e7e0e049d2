package org.fovea.ops.tiling;

import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.converter.Converters;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellGrid;
import net.imglib2.type.numeric.IntegerType;
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
    // the image is read as it is: no added channel dimension (PrimitiveBlocks would fall back
    // to copying pixel by pixel) and no out-of-bounds extension (mirroring is done here)
    boolean channel = image.numDimensions() == spatial + 1;
    RandomAccessibleInterval zero = Views.zeroMin((RandomAccessibleInterval) image);
    long[] dims = new long[spatial];
    for (int d = 0; d < spatial; d++) {
      dims[d] = zero.dimension(d);
    }
    return new Blocks(floats(zero), dims, channel);
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
   * spatial dimensions (numpy's {@code reflect}; a one-pixel axis repeats its pixel). A block
   * inside the image is copied by {@link PrimitiveBlocks} straight from the image; a block that
   * reaches past the border copies the part of the image its mirrored coordinates cover, then
   * picks each pixel from it.
   */
  public static final class Blocks {
    private final PrimitiveBlocks<FloatType> plain;
    private final long[] dims;
    private final boolean channel;

    private Blocks(PrimitiveBlocks<FloatType> plain, long[] dims, boolean channel) {
      this.plain = plain;
      this.dims = dims;
      this.channel = channel;
    }

    /** @return blocks that several threads may copy from at once */
    public Blocks threadSafe() {
      return new Blocks(plain.threadSafe(), dims, channel);
    }

    /**
     * One copy from inside the image: the block's channel coordinate (0, of size 1, and last, so
     * the same memory layout) is left out where the image has no channel.
     */
    private void copyInside(long[] pos, float[] dst, int[] size) {
      if (channel) {
        plain.copy(pos, dst, size);
      } else {
        int c = dims.length;
        if (pos[c] != 0 || size[c] != 1) {
          throw new IllegalArgumentException("the image has no channels, but channels " + pos[c]
              + ".." + (pos[c] + size[c] - 1) + " were asked for");
        }
        plain.copy(java.util.Arrays.copyOf(pos, c), dst, java.util.Arrays.copyOf(size, c));
      }
    }

    /**
     * @param pos the block's minimum (spatial dimensions, then channel), anywhere
     * @param dst receives the block, x fastest, then y (then z), then channel
     * @param size the block's size (spatial dimensions, then channel)
     */
    public void copy(long[] pos, float[] dst, int[] size) {
      int n = dims.length;
      boolean inside = true;
      for (int d = 0; d < n; d++) {
        inside &= pos[d] >= 0 && pos[d] + size[d] <= dims[d];
      }
      if (inside) {
        copyInside(pos, dst, size);
        return;
      }
      // each spatial axis: the image coordinate of every block coordinate, and their range
      int[][] from = new int[n][];
      long[] lo = new long[n + 1];
      int[] box = new int[n + 1];
      for (int d = 0; d < n; d++) {
        from[d] = new int[size[d]];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < size[d]; i++) {
          long m = Planes.mirror(pos[d] + i, dims[d]);
          min = Math.min(min, m);
          max = Math.max(max, m);
          from[d][i] = (int) m;
        }
        lo[d] = min;
        box[d] = (int) (max - min + 1);
        for (int i = 0; i < size[d]; i++) {
          from[d][i] -= (int) min;
        }
      }
      lo[n] = pos[n];
      box[n] = size[n];
      float[] src = new float[java.util.Arrays.stream(box).reduce(1, Math::multiplyExact)];
      copyInside(lo, src, box);
      // one x line of the block at a time; the line counter runs over the axes above x
      int w = size[0];
      int total = java.util.Arrays.stream(size).reduce(1, Math::multiplyExact);
      if (total == 0) {
        return;
      }
      int lines = total / w;
      int[] line = new int[n + 1];
      int[] fx = from[0];
      for (int l = 0; l < lines; l++) {
        int o = 0;
        for (int d = n; d >= 1; d--) {
          o = o * box[d] + (d < n ? from[d][line[d]] : line[d]);
        }
        o *= box[0];
        int at = l * w;
        for (int x = 0; x < w; x++) {
          dst[at + x] = src[o + fx[x]];
        }
        for (int d = 1; d <= n && ++line[d] == size[d]; d++) {
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
   * @param image an image
   * @return whether its pixel type is an integer type, whose values are never NaN or infinite
   * @since 0.4.0
   */
  public static boolean integral(RandomAccessibleInterval<? extends RealType<?>> image) {
    return Util.getTypeFromInterval(image) instanceof IntegerType;
  }

  /**
   * @param image dimensions x, y and optionally channel, any origin
   * @return the same image read region by region (for streamed statistics); reads are relative
   *     to the image's origin
   */
  public static PlaneSource planes(RandomAccessibleInterval<? extends RealType<?>> image) {
    Blocks b = blocks(image).threadSafe();
    int c = image.numDimensions() == 3 ? (int) image.dimension(2) : 1;
    boolean integral = integral(image);
    return new SizedPlaneSource(image.dimension(1), image.dimension(0), c) {
      @Override
      public void read(long y0, long x0, int h, int w, float[] dst) {
        b.copy(new long[] {x0, y0, 0}, dst, new int[] {w, h, c});
      }

      @Override
      public boolean integral() {
        return integral;
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
    boolean integral = integral(volume);
    return new SizedPlaneSource(d * h, volume.dimension(0), c) {
      @Override
      public boolean integral() {
        return integral;
      }

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
