package org.fovea.cluster;

import ij.measure.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.fovea.models.Model;
import org.fovea.ops.net.FoveaException;
import org.fovea.plugins.io.TiffPlanesWriter;

/**
 * Segments one large 2D image on Spark, one task per tile: the driver plans once
 * ({@link BlockPlan}), each task reads its tile with the receptive-field halo straight from the
 * image file ({@link TiffRegions}) and returns its core, and the driver streams the cores into the
 * output TIFF as they arrive, which appears only when complete. An output that already exists is
 * left alone.
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

  private BlockJob() {}

  /**
   * @param sc the Spark context
   * @param model the model
   * @param input a single-plane image (uncompressed TIFF: read region by region)
   * @param output the probabilities TIFF to write
   * @param tile tile core size
   * @return what ran
   */
  public static Result segment(JavaSparkContext sc, ModelRef model, Path input, Path output,
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
    BlockPlan plan = BlockPlan.of(m, TiffRegions.open(input), tile);
    String in = input.toAbsolutePath().normalize().toString();
    List<int[]> tiles = plan.tiles();
    int classes = m.outputChannels(plan.channels());
    Iterator<BlockPlan.Block> blocks = sc.parallelize(tiles, tiles.size())
        .map(rc -> {
          FaultInjection.maybeFail("tile-" + rc[0] + "-" + rc[1]);
          return plan.run(ExecutorModels.get(model), TiffRegions.open(Paths.get(in)), rc[0], rc[1]);
        }).toLocalIterator();
    try (TiffPlanesWriter tiff = new TiffPlanesWriter(output, (int) plan.width(),
        (int) plan.height(), classes, 1, 1, new Calibration())) {
      while (blocks.hasNext()) {
        BlockPlan.Block b = blocks.next();
        for (int k = 0; k < b.channels(); k++) {
          tiff.write(k, b.y0(), b.x0(), b.h(), b.w(), b.data(), k * b.h() * b.w());
        }
      }
      tiff.commit();
    }
    return new Result("done", tiles.size(), plan.rows().halo(), (System.nanoTime() - t0) / 1e9);
  }
}
