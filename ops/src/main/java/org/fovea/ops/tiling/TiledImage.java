package org.fovea.ops.tiling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import net.imglib2.FinalInterval;
import net.imglib2.Interval;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellGrid;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;

/**
 * The one tiler: a network's output over a whole 2D image or 3D volume as a <b>lazy</b> ImgLib2
 * image whose cells are the tile cores. Reading a pixel computes the tile that holds it (once: cells are kept
 * in a small cache bounded in bytes) from the input's core plus halo, mirrored beyond the image;
 * nothing else is computed. Whatever consumes it (an array, a TIFF, an OME-Zarr store, a Spark
 * task reading one cell) therefore gets the same pixels, and the stitched result equals one pass
 * over the whole image by construction of the {@link TilePlan}s.
 *
 * <pre>{@code
 * TiledImage out = TiledImage.of(image, rows, columns, classes, tile -> network.predict(tile),
 *     TiledImage.DEFAULT_CACHE);
 * RandomAccessibleInterval<FloatType> probabilities = out.image();  // x, y, class; nothing run yet
 * }</pre>
 *
 * <p>The input has dimensions x, y (and z, for a volume) and optionally channel, any origin and
 * any backing (array, cells, planar, a view, a generated function); the output has the same
 * spatial dimensions, then channel, over the input's spatial interval. Each tile is read with
 * {@link PrimitiveBlocks} from the input, mirrored beyond its border as {@link
 * Views#extendMirrorSingle} does (numpy's {@code reflect}; {@link ImgTensors#blocks}), into a
 * dense {@code bcyx} (or {@code bczyx}) {@link Tensor}, the form engines
 * exchange: this class is where ImgLib2 meets the engines.
 *
 * @since 0.2.0
 */
public final class TiledImage {

  /** Bytes of computed cells kept by default: 256 MiB or an eighth of the heap, the smaller. */
  public static final long DEFAULT_CACHE = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);

  /**
   * Receives the cores of a tiled output, cell by cell.
   *
   * @since 0.3.0
   */
  @FunctionalInterface
  public interface CellSink {
    /**
     * @param min the cell's first pixel per spatial dimension (x, y[, z]), relative to the
     *     output's origin
     * @param size the cell's size per spatial dimension
     * @param channels channels in {@code src}
     * @param src {@code channels * prod(size)} values, x fastest, then y (then z), then channel
     */
    void write(long[] min, int[] size, int channels, float[] src);
  }

  private final int spatial;
  private final TilePlan[] plans;
  private final List<List<TilePlan.Span>> spans;
  private final OutputScale[] scales;
  private final int channels;
  private final int classes;
  private final long[] origin;
  private final Axes axes;
  private final ImgTensors.Blocks blocks;
  private final UnaryOperator<Tensor> tileFunction;
  private final CellGrid grid;
  private final CellCache<Cell<FloatArray>> cache;
  private final RandomAccessibleInterval<FloatType> image;
  private final AtomicLong computed = new AtomicLong();

  private TiledImage(RandomAccessibleInterval<? extends RealType<?>> input, TilePlan[] plans,
      OutputScale[] scales, int classes, UnaryOperator<Tensor> tileFunction, long cacheBytes) {
    int n = plans.length;
    if (n != 2 && n != 3 || scales.length != n) {
      throw new IllegalArgumentException("a tiled image has 2 or 3 spatial dimensions, each with"
          + " a plan and a scale; got " + plans.length + " plans and " + scales.length + " scales");
    }
    int dims = input.numDimensions();
    if (dims != n && dims != n + 1) {
      throw new IllegalArgumentException("a tiled image needs an input with dimensions "
          + (n == 2 ? "x, y" : "x, y, z") + " and optionally channel; this one has " + dims
          + " dimensions");
    }
    this.spatial = n;
    this.channels = dims == n + 1 ? (int) input.dimension(n) : 1;
    String letters = "xyz";
    for (int d = 0; d < n; d++) {
      if (plans[d].size() < input.dimension(d)) {
        throw new IllegalArgumentException("the plan along " + letters.charAt(d) + " covers "
            + plans[d].size() + " but the image has " + input.dimension(d));
      }
    }
    if (classes < 1) {
      throw new IllegalArgumentException("a tiled image needs at least one output channel");
    }
    this.spans = new ArrayList<>();
    long cellValues = classes;
    long[] outDims = new long[n + 1];
    int[] cellDims = new int[n + 1];
    for (int d = 0; d < n; d++) {
      TilePlan p = plans[d];
      OutputScale s = scales[d];
      List<TilePlan.Span> sp = p.spans();
      spans.add(sp);
      // a fixed-size plan reads past the image's end (mirrored): its size need not divide
      if (p.tile() % s.den() != 0 || p.halo() % s.den() != 0
          || p.input() == 0 && p.size() % s.den() != 0
          || sp.stream().anyMatch(x -> Math.floorMod(x.inStart(), s.den()) != 0)) {
        throw new IllegalArgumentException("an output of scale " + s + " needs tiles, halos and"
            + " input starts that are multiples of " + s.den() + ": " + p);
      }
      long cell = s.exact(p.tile());
      cellValues *= cell;
      outDims[d] = s.size(input.dimension(d));
      cellDims[d] = (int) Math.min(cell, Integer.MAX_VALUE);
    }
    if (cellValues > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a tile core with " + classes + " channels would hold "
          + cellValues + " values, more than 2^31: use smaller tiles");
    }
    outDims[n] = classes;
    cellDims[n] = classes;
    this.plans = plans.clone();
    this.scales = scales.clone();
    this.classes = classes;
    this.tileFunction = tileFunction;
    this.origin = new long[n + 1];
    for (int d = 0; d < n; d++) {
      origin[d] = scales[d].floor(input.min(d));
    }
    this.axes = Axes.of(n == 2 ? "bcyx" : "bczyx");
    this.blocks = ImgTensors.blocks(input, n).threadSafe();
    this.grid = new CellGrid(outDims, cellDims);
    this.cache = new CellCache<>(cacheBytes, c -> 4L * c.size());
    FloatCells cells = new FloatCells(grid, index -> cache.get(index, this::compute));
    this.image = Views.translate(cells, origin);
  }

  /**
   * @param input the image, dimensions x, y and optionally channel, any origin
   * @param rows the tile plan along y over the (padded) height
   * @param columns the tile plan along x over the (padded) width
   * @param classes the number of output channels
   * @param tileFunction a {@code bcyx} input tile (core plus halo, batch 1) to a {@code bcyx}
   *     output of the same y/x size; called from several threads when several read at once
   * @param cacheBytes bytes of computed cells to keep, such as {@link #DEFAULT_CACHE}
   * @return the lazy output; nothing is computed until it is read
   */
  public static TiledImage of(RandomAccessibleInterval<? extends RealType<?>> input,
      TilePlan rows, TilePlan columns, int classes, UnaryOperator<Tensor> tileFunction,
      long cacheBytes) {
    return of(input, rows, columns, classes, OutputScale.ONE, OutputScale.ONE, tileFunction,
        cacheBytes);
  }

  /**
   * A tiled output whose size differs from the input's: a network whose output has {@code
   * scaleY} times the input's rows and {@code scaleX} times its columns (half resolution, or
   * up-sampled). The plans' tiles, halos and input starts must be multiples of the scales'
   * denominators (a network's size step is).
   *
   * @param input the image, dimensions x, y and optionally channel, any origin
   * @param rows the tile plan along y over the (padded) height
   * @param columns the tile plan along x over the (padded) width
   * @param classes the number of output channels
   * @param scaleY output rows per input row
   * @param scaleX output columns per input column
   * @param tileFunction a {@code bcyx} input tile to its {@code bcyx} output, whose size is the
   *     input's times the scales
   * @param cacheBytes bytes of computed cells to keep
   * @return the lazy output, {@code scale.size(width) x scale.size(height) x classes}
   */
  public static TiledImage of(RandomAccessibleInterval<? extends RealType<?>> input,
      TilePlan rows, TilePlan columns, int classes, OutputScale scaleY, OutputScale scaleX,
      UnaryOperator<Tensor> tileFunction, long cacheBytes) {
    return new TiledImage(input, new TilePlan[] {columns, rows},
        new OutputScale[] {scaleX, scaleY}, classes, tileFunction, cacheBytes);
  }

  /**
   * A tiled output over 2 or 3 spatial dimensions.
   *
   * @param input the image, dimensions x, y[, z] and optionally channel, any origin
   * @param plans the tile plan per spatial dimension, x first
   * @param scales output pixels per input pixel, per spatial dimension, x first
   * @param classes the number of output channels
   * @param tileFunction a {@code bcyx} (2D) or {@code bczyx} (3D) input tile, batch 1, to its
   *     output of the same axes, whose size is the input's times the scales
   * @param cacheBytes bytes of computed cells to keep
   * @return the lazy output, dimensions x, y[, z], channel
   * @since 0.3.0
   */
  public static TiledImage of(RandomAccessibleInterval<? extends RealType<?>> input,
      TilePlan[] plans, OutputScale[] scales, int classes, UnaryOperator<Tensor> tileFunction,
      long cacheBytes) {
    return new TiledImage(input, plans, scales, classes, tileFunction, cacheBytes);
  }

  /** @return the output, spatial dimensions then channel, over the input's spatial interval; computed as it is read */
  public RandomAccessibleInterval<FloatType> image() {
    return image;
  }

  /** @return the number of spatial dimensions, 2 or 3 */
  public int spatialDimensions() {
    return spatial;
  }

  /** @return the number of cells (tiles whose core lies inside the image) */
  public int tiles() {
    long t = 1;
    for (int d = 0; d < spatial; d++) {
      t *= grid.getGridDimensions()[d];
    }
    return (int) t;
  }

  /** @return the plan along y */
  public TilePlan rows() {
    return plans[1];
  }

  /** @return the plan along x */
  public TilePlan columns() {
    return plans[0];
  }

  /** @return the plan per spatial dimension, x first */
  public TilePlan[] plans() {
    return plans.clone();
  }

  /** @return the output channels */
  public int classes() {
    return classes;
  }

  /** @return output rows per input row */
  public OutputScale scaleY() {
    return scales[1];
  }

  /** @return output columns per input column */
  public OutputScale scaleX() {
    return scales[0];
  }

  /** @return how many tiles have been computed so far (a tile dropped from the cache and read again counts twice) */
  public long computed() {
    return computed.get();
  }

  /** @return bytes of computed cells held in the cache now */
  public long cachedBytes() {
    return cache.heldBytes();
  }

  /**
   * @param index a cell index, {@code 0 <= index < tiles()}, x varying fastest
   * @return the interval of the output that cell covers, in the output's coordinates
   */
  public Interval cellInterval(long index) {
    int n = spatial + 1;
    long[] min = new long[n];
    int[] size = new int[n];
    grid.getCellDimensions(index, min, size);
    long[] max = new long[n];
    for (int d = 0; d < n; d++) {
      min[d] += origin[d];
      max[d] = min[d] + size[d] - 1;
    }
    return new FinalInterval(min, max);
  }

  /**
   * Computes (or takes from the cache) one cell.
   *
   * @param index a cell index, x varying fastest
   * @return the cell's values: {@code classes * prod(size)}, x fastest, channel slowest
   */
  public float[] cell(long index) {
    return cache.get(index, this::compute).getData().getCurrentStorageArray();
  }

  /**
   * Computes every cell of a 2D output and hands each to a sink, in cell order with one thread,
   * or as the cells finish with several. The sink is called by one thread at a time.
   *
   * @param sink receives each core; coordinates are relative to the output's origin
   * @param threads how many tiles may be computed at once (1 unless the network may be called
   *     concurrently)
   * @param progress told the number of tiles done after each one, may be null
   */
  public void copyCells(PlaneSink sink, int threads, IntConsumer progress) {
    if (spatial != 2) {
      throw new IllegalStateException("a plane sink takes 2D outputs; this one has " + spatial
          + " spatial dimensions");
    }
    copyCells((min, size, c, data) -> sink.write(min[1], min[0], size[1], size[0], c, data),
        threads, progress);
  }

  /**
   * Computes every cell and hands each to a sink, in cell order with one thread, or as the cells
   * finish with several. The sink is called by one thread at a time.
   *
   * @param sink receives each core; coordinates are relative to the output's origin
   * @param threads how many tiles may be computed at once
   * @param progress told the number of tiles done after each one, may be null
   */
  public void copyCells(CellSink sink, int threads, IntConsumer progress) {
    int total = tiles();
    AtomicInteger done = new AtomicInteger();
    Object lock = new Object();
    if (threads <= 1 || total == 1) {
      for (int i = 0; i < total; i++) {
        deliver(i, sink, lock, done, progress);
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, total), r -> {
      Thread t = new Thread(r, "fovea-tile");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        long index = i;
        fs.add(pool.submit(() -> deliver(index, sink, lock, done, progress)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while computing tiles", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void deliver(long index, CellSink sink, Object lock, AtomicInteger done,
      IntConsumer progress) {
    Interval iv = cellInterval(index);
    // a copy reads each cell once: a cell not held already is computed without filling the cache
    Cell<FloatArray> held = cache.peek(index);
    float[] data = (held != null ? held : compute(index)).getData().getCurrentStorageArray();
    long[] min = new long[spatial];
    int[] size = new int[spatial];
    for (int d = 0; d < spatial; d++) {
      min[d] = iv.min(d) - origin[d];
      size[d] = (int) iv.dimension(d);
    }
    synchronized (lock) {
      sink.write(min, size, classes, data);
      if (progress != null) {
        progress.accept(done.incrementAndGet());
      }
    }
  }

  /** Reads one tile's input with its halo, runs the tile function, keeps the core. */
  private Cell<FloatArray> compute(long index) {
    int n = spatial;
    long[] pos = new long[n + 1];
    grid.getCellGridPositionFlat(index, pos);
    TilePlan.Span[] span = new TilePlan.Span[n];
    long[] start = new long[n + 1];
    int[] in = new int[n + 1];
    long[] shape = new long[n + 2]; // b, c, then spatial outermost first
    shape[0] = 1;
    shape[1] = channels;
    for (int d = 0; d < n; d++) {
      span[d] = spans.get(d).get((int) pos[d]);
      start[d] = span[d].inStart();
      in[d] = (int) span[d].inSize();
      shape[n + 1 - d] = in[d];
    }
    in[n] = channels;
    Tensor tile = Tensor.zeros(axes, shape);
    blocks.copy(start, tile.data(), in);
    Tensor o = tileFunction.apply(tile);
    long[] out = new long[n];
    boolean sizes = o.shape().length == n + 2;
    for (int d = 0; d < n; d++) {
      out[d] = scales[d].exact(in[d]);
      sizes &= o.shape()[n + 1 - d] == out[d];
    }
    if (!sizes) {
      throw new org.fovea.ops.net.FoveaException("the network changed the tile size from "
          + tile + " to " + o + ", but the package describes outputs of "
          + java.util.Arrays.toString(scales) + " (x, y[, z]) the input's size: the package's"
          + " description and its weights disagree; check the output's axes and their scale");
    }
    if (o.size(Axis.CHANNEL) != classes) {
      throw new org.fovea.ops.net.FoveaException("the network gives " + o.size(Axis.CHANNEL)
          + " output channels where the package describes " + classes + ": the description"
          + " and the weights disagree; check the output's channel axis");
    }
    long[] min = new long[n + 1];
    int[] size = new int[n + 1];
    grid.getCellDimensions(index, min, size);
    int[] off = new int[n];
    int cellLine = size[0];
    int lines = classes;
    for (int d = 0; d < n; d++) {
      off[d] = (int) scales[d].exact(span[d].coreStart() - span[d].inStart());
      if (d > 0) {
        lines *= size[d];
      }
    }
    float[] core = new float[lines * cellLine];
    float[] src = o.data();
    // one x line of the core at a time; the counter runs over y (z) and channel
    int[] at = new int[n + 1];
    for (int l = 0; l < lines; l++) {
      long s = at[n]; // channel
      for (int d = n - 1; d >= 0; d--) {
        s = s * out[d] + off[d] + (d == 0 ? 0 : at[d]);
      }
      System.arraycopy(src, (int) s, core, l * cellLine, cellLine);
      for (int d = 1; d <= n && ++at[d] == (d == n ? classes : size[d]); d++) {
        at[d] = 0;
      }
    }
    computed.incrementAndGet();
    return new Cell<>(size, min, new FloatArray(core));
  }
}
