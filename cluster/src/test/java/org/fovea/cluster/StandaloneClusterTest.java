package org.fovea.cluster;

import org.fovea.io.batch.FileOperation;
import org.fovea.models.ModelRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone Spark master and worker on 127.0.0.1 (child JVMs from the Maven jars), a job
 * with one injected task failure, outputs compared with the single-process command line.
 */
class StandaloneClusterTest {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;
  static StandaloneCluster cluster;
  static JavaSparkContext sc;
  static final AtomicInteger FAILED = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    List<String> opens = Arrays.stream(System.getProperty("fovea.spark.opens", "").split(" "))
        .filter(s -> !s.isBlank()).toList();
    cluster = StandaloneCluster.start(Files.createDirectories(dir.resolve("cluster")), 2, "2g",
        opens);
    sc = SparkContexts.open(cluster.masterUrl(), 4, Map.of(
        "spark.driver.host", "127.0.0.1",
        "spark.driver.bindAddress", "127.0.0.1",
        "spark.executor.memory", "1g",
        FaultInjection.KEY, "img02.tif"));
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
    try {
      if (sc != null) {
        sc.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  void segmentOnTheClusterEqualsSingleProcessAfterARetry() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<Path> files = TestImages.crops(in, new int[] {64, 64}, new int[] {80, 64},
        new int[] {128, 96}, new int[] {64, 128});
    Path ref = Files.createDirectories(dir.resolve("ref"));
    List<String> args = new ArrayList<>(List.of("segment", "--tile", "64", "-o", ref.toString()));
    files.forEach(f -> args.add(f.toString()));
    TestImages.cli(args.toArray(String[]::new));

    FileOperation op = FileOperation.segment(ModelRequest.builder().setModel(null).optDevice("cpu")
        .optTile(64).build().resolved());
    List<FileResult> r = FileJob.run(sc, op, files, dir.resolve("out"), false);

    assertEquals(List.of("done", "done", "done", "done"),
        r.stream().map(FileResult::status).toList());
    assertEquals(List.of(0, 0, 1, 0), r.stream().map(FileResult::attempt).toList(),
        "img02 ran twice: its first attempt was made to fail");
    for (FileResult f : r) {
      assertNotEquals("driver", f.executor(), "tasks ran on the worker's executor");
    }
    TestImages.assertSamePixels(ref, dir.resolve("out"), "*.tif");
    List<FileResult> again = FileJob.run(sc, op, files, dir.resolve("out"), true);
    assertTrue(again.stream().allMatch(f -> f.status().equals("skipped")));

    // one large image, one task per 64-pixel tile, on the same cluster
    Path single = dir.resolve("single.tif");
    try (var m = op.model().load()) {
      org.fovea.io.ImageFiles.segmentToTiff(m,
          org.fovea.io.ImageFiles.open(files.get(2)), 64, null, single);
    }
    BlockJob.Result b = BlockJob.segment(sc, op.model(), files.get(2), dir.resolve("blocks.tif"),
        64);
    assertEquals(2 * 2, b.tiles());
    TestImages.assertSameImage(single, dir.resolve("blocks.tif"));
    for (int i = 0; i < 100 && FAILED.get() < 1; i++) {
      Thread.sleep(50);
    }
    assertEquals(1, FAILED.get(), "one task failed (img02's first attempt), no other");
  }
}
