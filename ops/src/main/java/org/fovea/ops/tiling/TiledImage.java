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
 * The one tiler: a network's output over a whole 2D image as a <b>lazy</b> ImgLib2 image whose
 * cells are the tile cores. Reading a pixel computes the tile that holds it (once: cells are kept
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
 * <p>The input has dimensions x, y and optionally channel, any origin and any backing (array,
 * cells, planar, a view, a generated function); the output has dimensions x, y, channel over the
 * input's x/y interval. Each tile is read with {@link PrimitiveBlocks} from the input extended by
 * {@link Views#extendMirrorSingle} (numpy's {@code reflect}) into a dense {@code bcyx}
 * {@link Tensor}, the form engines exchange: this class is where ImgLib2 meets the engines.
 *
 * @since 0.2.0
 */
public final class TiledImage {

  /** Bytes of computed cells kept by default: 256 MiB or an eighth of the heap, the smaller. */
  public static final long DEFAULT_CACHE = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);

  private static final Axes BCYX = Axes.of("bcyx");

  private final TilePlan rows;
  private final TilePlan columns;
  private final List<TilePlan.Span> rowSpans;
  private final List<TilePlan.Span> columnSpans;
  private final long width;
  private final long height;
  private final int channels;
  private final int classes;
  private final OutputScale scaleY;
  private final OutputScale scaleX;
  private final long[] origin;
  private final ImgTensors.Blocks blocks;
  private final UnaryOperator<Tensor> tileFunction;
  private final CellGrid grid;
  private final CellCache<Cell<FloatArray>> cache;
  private final RandomAccessibleInterval<FloatType> image;
  private final AtomicLong computed = new AtomicLong();

  private TiledImage(RandomAccessibleInterval<? extends RealType<?>> input, TilePlan rows,
      TilePlan columns, int classes, OutputScale scaleY, OutputScale scaleX,
      UnaryOperator<Tensor> tileFunction, long cacheBytes) {
    int n = input.numDimensions();
    if (n != 2 && n != 3) {
      throw new IllegalArgumentException("a tiled image needs an input with dimensions x, y and"
          + " optionally channel; this one has " + n + " dimensions");
    }
    this.width = input.dimension(0);
    this.height = input.dimension(1);
    this.channels = n == 3 ? (int) input.dimension(2) : 1;
    if (rows.size() < height || columns.size() < width) {
      throw new IllegalArgumentException("plans cover " + columns.size() + "x" + rows.size()
          + " but the image is " + width + "x" + height);
    }
    if (classes < 1) {
      throw new IllegalArgumentException("a tiled image needs at least one output channel");
    }
    this.rowSpans = rows.spans();
    this.columnSpans = columns.spans();
    for (TilePlan p : List.of(rows, columns)) {
      OutputScale s = p == rows ? scaleY : scaleX;
      // a fixed-size plan reads past the image's end (mirrored): its size need not divide
      if (p.tile() % s.den() != 0 || p.halo() % s.den() != 0
          || p.input() == 0 && p.size() % s.den() != 0
          || (p == rows ? rowSpans : columnSpans).stream()
              .anyMatch(sp -> Math.floorMod(sp.inStart(), s.den()) != 0)) {
        throw new IllegalArgumentException("an output of scale " + s + " needs tiles, halos and"
            + " input starts that are multiples of " + s.den() + ": " + p);
      }
    }
    long cellW = scaleX.exact(columns.tile());
    long cellH = scaleY.exact(rows.tile());
    if (cellW * cellH * classes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a tile core of " + cellW + "x" + cellH
          + " with " + classes + " channels is larger than 2^31 values: use smaller tiles");
    }
    this.scaleY = scaleY;
    this.scaleX = scaleX;
    this.rows = rows;
    this.columns = columns;
    this.classes = classes;
    this.tileFunction = tileFunction;
    this.origin = new long[] {scaleX.floor(input.min(0)), scaleY.floor(input.min(1)), 0};
    this.blocks = ImgTensors.blocks(input).threadSafe();
    this.grid = new CellGrid(new long[] {scaleX.size(width), scaleY.size(height), classes},
        new int[] {(int) cellW, (int) cellH, classes});
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
    return new TiledImage(input, rows, columns, classes, OutputScale.ONE, OutputScale.ONE,
        tileFunction, cacheBytes);
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
    return new TiledImage(input, rows, columns, classes, scaleY, scaleX, tileFunction,
        cacheBytes);
  }

  /** @return the output, x, y, channel, over the input's x/y interval; computed as it is read */
  public RandomAccessibleInterval<FloatType> image() {
    return image;
  }

  /** @return the number of cells (tiles whose core lies inside the image) */
  public int tiles() {
    return (int) grid.getGridDimensions()[0] * (int) grid.getGridDimensions()[1];
  }

  /** @return the plan along y */
  public TilePlan rows() {
    return rows;
  }

  /** @return the plan along x */
  public TilePlan columns() {
    return columns;
  }

  /** @return the output channels */
  public int classes() {
    return classes;
  }

  /** @return output rows per input row */
  public OutputScale scaleY() {
    return scaleY;
  }

  /** @return output columns per input column */
  public OutputScale scaleX() {
    return scaleX;
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
    long[] min = new long[3];
    int[] size = new int[3];
    grid.getCellDimensions(index, min, size);
    long[] max = new long[3];
    for (int d = 0; d < 3; d++) {
      min[d] += origin[d];
      max[d] = min[d] + size[d] - 1;
    }
    return new FinalInterval(min, max);
  }

  /**
   * Computes (or takes from the cache) one cell.
   *
   * @param index a cell index, x varying fastest
   * @return the cell's values: {@code classes * h * w} of them, channel-major then row-major
   */
  public float[] cell(long index) {
    return cache.get(index, this::compute).getData().getCurrentStorageArray();
  }

  /**
   * Computes every cell and hands each to a sink, in cell order with one thread, or as the cells
   * finish with several. The sink is called by one thread at a time.
   *
   * @param sink receives each core; coordinates are relative to the output's origin
   * @param threads how many tiles may be computed at once (1 unless the network may be called
   *     concurrently)
   * @param progress told the number of tiles done after each one, may be null
   */
  public void copyCells(PlaneSink sink, int threads, IntConsumer progress) {
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

  private void deliver(long index, PlaneSink sink, Object lock, AtomicInteger done,
      IntConsumer progress) {
    Interval iv = cellInterval(index);
    // a copy reads each cell once: a cell not held already is computed without filling the cache
    Cell<FloatArray> held = cache.peek(index);
    float[] data = (held != null ? held : compute(index)).getData().getCurrentStorageArray();
    synchronized (lock) {
      sink.write(iv.min(1) - origin[1], iv.min(0) - origin[0], (int) iv.dimension(1),
          (int) iv.dimension(0), classes, data);
      if (progress != null) {
        progress.accept(done.incrementAndGet());
      }
    }
  }

  /** Reads one tile's input with its halo, runs the tile function, keeps the core. */
  private Cell<FloatArray> compute(long index) {
    long[] pos = new long[3];
    grid.getCellGridPositionFlat(index, pos);
    TilePlan.Span c = columnSpans.get((int) pos[0]);
    TilePlan.Span r = rowSpans.get((int) pos[1]);
    int th = (int) r.inSize();
    int tw = (int) c.inSize();
    Tensor tile = Tensor.zeros(BCYX, 1, channels, th, tw);
    blocks.copy(new long[] {c.inStart(), r.inStart(), 0}, tile.data(), new int[] {tw, th, channels});
    Tensor o = tileFunction.apply(tile);
    long oh = scaleY.exact(th);
    long ow = scaleX.exact(tw);
    if (o.size(Axis.Y) != oh || o.size(Axis.X) != ow) {
      throw new org.fovea.ops.net.FoveaException("the network changed the tile size from "
          + tile + " to " + o + ", but the package describes outputs of " + scaleY + " x "
          + scaleX + " the input's size (" + ow + "x" + oh + "): the package's description and"
          + " its weights disagree; check the output's axes and their scale");
    }
    if (o.size(Axis.CHANNEL) != classes) {
      throw new org.fovea.ops.net.FoveaException("the network gives " + o.size(Axis.CHANNEL)
          + " output channels where the package describes " + classes + ": the description"
          + " and the weights disagree; check the output's channel axis");
    }
    long[] min = new long[3];
    int[] size = new int[3];
    grid.getCellDimensions(index, min, size);
    int cw = size[0];
    int ch = size[1];
    float[] core = new float[classes * ch * cw];
    int oy = (int) scaleY.exact(r.coreStart() - r.inStart());
    int ox = (int) scaleX.exact(c.coreStart() - c.inStart());
    for (int k = 0; k < classes; k++) {
      for (int y = 0; y < ch; y++) {
        System.arraycopy(o.data(), (int) ((k * oh + oy + y) * ow + ox), core, (k * ch + y) * cw,
            cw);
      }
    }
    computed.incrementAndGet();
    return new Cell<>(size, min, new FloatArray(core));
  }
}
