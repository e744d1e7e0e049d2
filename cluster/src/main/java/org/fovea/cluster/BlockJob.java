package org.fovea.cluster;

import org.fovea.models.ModelRequest;

import ij.measure.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import org.fovea.models.Model;
import org.fovea.models.SegmentationPlan;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.tiling.ImgTensors;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.TiledImage;
import org.fovea.io.TiffPlanesWriter;
import org.fovea.io.zarr.Compressors;
import org.fovea.io.zarr.DType;
import org.fovea.io.zarr.OmeZarr;
import org.fovea.io.zarr.Store;
import org.fovea.io.zarr.ZarrArray;
import org.fovea.io.zarr.ZarrPlanes;

/**
 * Segments one large 2D image on Spark, one task per tile: the driver plans once
 * ({@link SegmentationPlan}: validation, whole-image statistics, tile plans), each task computes
 * one cell of the plan's lazy output ({@link TiledImage}, the same tiler every other path uses),
 * reading its tile with the receptive-field halo straight from the image (an OME-Zarr image or
 * Zarr array chunk by chunk, or a TIFF with {@link TiffRegions}).
 * Into a TIFF, the driver streams the cores as they arrive; into an OME-Zarr image ({@code
 * .zarr}), each task writes its own chunks (chunks are the tile cores). Either output appears only
 * when complete; an output that already exists is left alone.
 *
 * @since 0.1.0
 */
public final class BlockJob {

  /**
   * What ran.
   *
   * @param status {@code done} or {@code skipped}
   * @param tiles tiles run
   * @param halo context per tile side
   * @param seconds wall time
   */
  public record Result(String status, int tiles, long halo, double seconds) {}

  /**
   * One tile's core.
   *
   * @param y0 first row
   * @param x0 first column
   * @param h rows
   * @param w columns
   * @param channels output channels
   * @param data {@code channels * h * w} values, channel-major
   */
  record Block(long y0, long x0, int h, int w, int channels, float[] data)
      implements java.io.Serializable {}

  /** Bytes of input cells an executor keeps while it reads one tile. */
  private static final long INPUT_CACHE = 64L << 20;

  private BlockJob() {}

  /**
   * @param sc the Spark context
   * @param model the model
   * @param input a single-plane image (uncompressed TIFF: read region by region)
   * @param output the probabilities TIFF to write
   * @param tile tile core size
   * @return what ran
   */
  public static Result segment(JavaSparkContext sc, ModelRequest model, Path input, Path output,
      long tile) {
    long t0 = System.nanoTime();
    if (Files.exists(output)) {
      return new Result("skipped", 0, 0, 0);
    }
    if (tile <= 0) {
      throw new FoveaException("--tile " + tile + " is not a tile size: give the core size of"
          + " each block in pixels, such as 512");
    }
    Model m = ExecutorModels.get(model);
    String in = input.toAbsolutePath().normalize().toString();
    SegmentationPlan plan = SegmentationPlan.of(m, source(in), tile);
    List<Integer> tiles = cells(plan);
    int classes = plan.classes();
    if (output.getFileName().toString().endsWith(".zarr")) {
      toZarr(sc, model, m, plan, in, output, classes);
      return new Result("done", tiles.size(), plan.rows().halo(), (System.nanoTime() - t0) / 1e9);
    }
    Iterator<Block> blocks = sc.parallelize(tiles, tiles.size())
        .map(i -> block(model, plan, in, i)).toLocalIterator();
    try (TiffPlanesWriter tiff = new TiffPlanesWriter(output, (int) plan.outWidth(),
        (int) plan.outHeight(), classes, 1, 1, new Calibration())) {
      while (blocks.hasNext()) {
        Block b = blocks.next();
        for (int k = 0; k < b.channels(); k++) {
          tiff.write(k, b.y0(), b.x0(), b.h(), b.w(), b.data(), k * b.h() * b.w());
        }
      }
      tiff.commit();
    }
    return new Result("done", tiles.size(), plan.rows().halo(), (System.nanoTime() - t0) / 1e9);
  }

  /** @return the indices of the plan's cells, in order */
  private static List<Integer> cells(SegmentationPlan plan) {
    int n = plan.tiles();
    List<Integer> l = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    return l;
  }

  /** Computes one cell of the plan's lazy output, on an executor. */
  private static Block block(ModelRequest ref, SegmentationPlan plan, String in, int index) {
    TiledImage out = plan.output(ExecutorModels.get(ref), image(in), 0);
    net.imglib2.Interval iv = out.cellInterval(index);
    FaultInjection.maybeFail("tile-" + iv.min(1) / plan.rows().tile() + "-"
        + iv.min(0) / plan.columns().tile());
    float[] data = out.cell(index);
    return new Block(iv.min(1), iv.min(0), (int) iv.dimension(1), (int) iv.dimension(0),
        plan.classes(), data);
  }

  private static RandomAccessibleInterval<FloatType> image(String path) {
    return ImgTensors.image(source(path), 256, INPUT_CACHE);
  }

  /** An OME-Zarr image or Zarr array, or a TIFF read region by region. */
  static PlaneSource source(String path) {
    Path p = Paths.get(path);
    return OmeZarr.looksLikeZarr(p) ? ZarrPlanes.source(OmeZarr.open(p)) : TiffRegions.open(p);
  }

  /**
   * Each task writes its core into the output's chunks itself (chunks are the tile cores, each
   * written atomically, so a retried task rewrites only its own chunks); the driver gathers
   * nothing and moves the finished store into place.
   */
  private static void toZarr(JavaSparkContext sc, ModelRequest model, Model m, SegmentationPlan plan,
      String in, Path output, int classes) {
    Path tmp = Store.temporaryFor(output);
    try {
      var names = m.pkg().outputs().get(0).channelNames();
      List<String> labels = new java.util.ArrayList<>();
      for (int k = 0; k < classes; k++) {
        labels.add(names != null && k < names.size() ? names.get(k) : "class " + k);
      }
      String array = OmeZarr.create(tmp, output.getFileName().toString().replaceFirst(
          "\\.zarr$", ""), List.of("c", "y", "x"),
          new long[] {classes, plan.outHeight(), plan.outWidth()},
          new int[] {1, (int) plan.scaleY().exact(plan.rows().tile()),
              (int) plan.scaleX().exact(plan.columns().tile())}, DType.FLOAT32,
          Compressors.zstd(3), labels).path().toAbsolutePath().toString();
      List<Integer> tiles = cells(plan);
      sc.parallelize(tiles, tiles.size()).foreach(i -> {
        Block b = block(model, plan, in, i);
        ZarrPlanes.sink(ZarrArray.open(Paths.get(array)))
            .write(b.y0(), b.x0(), b.h(), b.w(), b.channels(), b.data());
      });
      Store.commit(tmp, output);
    } finally {
      Store.deleteTree(tmp);
    }
  }
}
