package org.fovea.cluster;

import org.fovea.models.ModelRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.fovea.models.Model;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.io.ImageFiles;
import org.fovea.io.ImagePlusPlanes;
import org.fovea.io.zarr.Compressors;
import org.fovea.io.zarr.DType;
import org.fovea.io.zarr.OmeZarr;
import org.fovea.io.zarr.ZarrArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block jobs (one task per tile) in local mode against the single-process tiled segmentation. */
class BlockJobTest {

  static JavaSparkContext sc;
  static final AtomicInteger FAILED = new AtomicInteger();

  @BeforeAll
  static void start() {
    sc = SparkContexts.open("local[2]", 4, Map.of(FaultInjection.KEY, "tile-1-2"));
    sc.sc().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().failed()) {
          FAILED.incrementAndGet();
        }
      }
    });
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void tilesOnSparkEqualTheSingleProcessResultAfterARetry(@TempDir Path dir) throws Exception {
    List<Path> in = TestImages.crops(dir, new int[] {200, 150});
    ModelRequest ref = ModelRequest.builder().setModel(null).optDevice("cpu").build().resolved();
    Path single = dir.resolve("single.tif");
    try (Model m = ref.load()) {
      ImageFiles.segmentToTiff(m, ImageFiles.open(in.get(0)), 64, null, single);
    }
    Path out = dir.resolve("blocks.tif");
    Thread.sleep(500); // failures of earlier tests are heard of first
    int before = FAILED.get();
    BlockJob.Result r = BlockJob.segment(sc, ref, in.get(0), out, 64);
    assertEquals("done", r.status());
    assertEquals(4 * 3, r.tiles(), "200x150 in 64-pixel cores");
    TestImages.assertSameImage(single, out);
    for (int i = 0; i < 100 && FAILED.get() == before; i++) {
      Thread.sleep(50); // the listener hears of tasks asynchronously
    }
    Thread.sleep(200);
    assertEquals(1, FAILED.get() - before, "tile (1, 2) failed once and was run again");

    FileTime t = Files.getLastModifiedTime(out);
    assertEquals("skipped", BlockJob.segment(sc, ref, in.get(0), out, 64).status());
    assertEquals(t, Files.getLastModifiedTime(out));
  }

  @Test
  void zarrInZarrOutEqualsTheSingleProcessResult(@TempDir Path dir) {
    List<Path> in = TestImages.crops(dir, new int[] {150, 130});
    ImagePlus imp = ImageFiles.open(in.get(0));
    float[] px = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels();
    Path zin = dir.resolve("in.zarr");
    ZarrArray a = OmeZarr.create(zin, "in", List.of("y", "x"), new long[] {130, 150},
        new int[] {50, 64}, DType.FLOAT32, Compressors.zstd(3), null);
    a.write(new long[] {0, 0}, new int[] {130, 150}, px);
    ModelRequest ref = ModelRequest.builder().setModel(null).optDevice("cpu").build().resolved();
    Path single = dir.resolve("single.tif");
    try (Model m = ref.load()) {
      ImageFiles.segmentToTiff(m, imp, 64, null, single);
    }
    Path out = dir.resolve("out.zarr");
    BlockJob.Result r = BlockJob.segment(sc, ref, zin, out, 64);
    assertEquals(3 * 3, r.tiles());
    ZarrArray o = OmeZarr.open(out).array();
    assertArrayEquals(new long[] {3, 130, 150}, o.shape());
    float[] got = new float[3 * 130 * 150];
    o.read(new long[] {0, 0, 0}, new int[] {3, 130, 150}, got);
    ImagePlus ref1 = ImageFiles.open(single);
    for (int k = 0; k < 3; k++) {
      float[] want = (float[]) ref1.getStack().getProcessor(k + 1).getPixels();
      float[] have = java.util.Arrays.copyOfRange(got, k * 130 * 150, (k + 1) * 130 * 150);
      assertArrayEquals(want, have, 0f, "class " + k);
    }
  }

  @Test
  void regionsReadFromTheFileEqualImageJsPixels(@TempDir Path dir) {
    Random rnd = new Random(7);
    float[] px = new float[37 * 23];
    for (int i = 0; i < px.length; i++) {
      px[i] = rnd.nextFloat() * 1000 - 300;
    }
    ImagePlus f32 = new ImagePlus("f", new FloatProcessor(37, 23, px));
    ImagePlus u16 = f32.duplicate();
    u16.setProcessor(f32.getProcessor().convertToShortProcessor(false));
    ImagePlus u8 = f32.duplicate();
    u8.setProcessor(f32.getProcessor().convertToByteProcessor(true));
    for (ImagePlus imp : new ImagePlus[] {f32, u16, u8}) {
      Path p = dir.resolve("r" + imp.getBitDepth() + ".tif");
      new FileSaver(imp).saveAsTiff(p.toString());
      assertNotNull(TiffRegions.contiguous(p), "read region by region: " + p);
      PlaneSource a = TiffRegions.open(p);
      PlaneSource b = ImagePlusPlanes.source(ImageFiles.open(p), 1, 1);
      float[] ra = new float[9 * 11];
      float[] rb = new float[9 * 11];
      a.read(5, 13, 9, 11, ra);
      b.read(5, 13, 9, 11, rb);
      assertArrayEquals(rb, ra, 0f, imp.getBitDepth() + "-bit");
    }
  }
}
