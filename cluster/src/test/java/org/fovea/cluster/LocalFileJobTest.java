package org.fovea.cluster;

import org.fovea.io.batch.FileOperation;
import org.fovea.models.ModelRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.fovea.ops.instances.InstanceParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File jobs in Spark's local mode against the single-process command line. */
class LocalFileJobTest {

  static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = SparkContexts.open("local[2]", 4, Map.of(FaultInjection.KEY, "img01.tif"));
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void segmentEqualsSingleProcessAndRetriesAnInjectedFailure(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<Path> files = TestImages.crops(in, new int[] {64, 64}, new int[] {96, 80},
        new int[] {128, 128});
    List<String> args = new ArrayList<>(List.of("segment", "--tile", "64", "-o",
        Files.createDirectories(dir.resolve("ref")).toString()));
    files.forEach(f -> args.add(f.toString()));
    TestImages.cli(args.toArray(String[]::new));

    FileOperation op = FileOperation.segment(ModelRequest.builder().setModel("nuclei-dilated").optDevice("cpu")
        .optTile(64).build().resolved());
    Path out = dir.resolve("out");
    int loadsBefore = ExecutorModels.loads();
    List<FileResult> r = FileJob.run(sc, op, files, out, false);

    assertEquals(List.of("done", "done", "done"), r.stream().map(FileResult::status).toList());
    // img01's first attempt threw (FaultInjection): Spark ran it again
    assertEquals(List.of(0, 1, 0), r.stream().map(FileResult::attempt).toList());
    TestImages.assertSamePixels(dir.resolve("ref"), out, "*.tif");
    // local mode: this JVM is the executor (other test classes in it may have loaded this model
    // or others before): three files, at most one load
    assertTrue(ExecutorModels.loads() - loadsBefore <= 1,
        "the executor loaded the model once for all files");
    try (var s = Files.list(out)) {
      // the three outputs and the resume log, no temporary file
      assertEquals(List.of(org.fovea.io.batch.DoneLog.NAME, "img00-probabilities.tif",
          "img01-probabilities.tif", "img02-probabilities.tif"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void instancesEqualSingleProcessAndRerunRewritesNothing(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<Path> files = TestImages.crops(in, new int[] {128, 96}, new int[] {64, 128});
    Path ref = Files.createDirectories(dir.resolve("ref"));
    List<String> args = new ArrayList<>(List.of("instances", "-o", ref.toString(), "--csv",
        ref.toString()));
    files.forEach(f -> args.add(f.toString()));
    TestImages.cli(args.toArray(String[]::new));

    FileOperation op = FileOperation.instances(ModelRequest.builder().setModel(null).optDevice("cpu")
        .optTile(1024).build().resolved(), "auto", InstanceParams.defaults(), null);
    Path out = dir.resolve("out");
    List<FileResult> first = FileJob.run(sc, op, files, out, false);
    assertEquals(List.of("done", "done"), first.stream().map(FileResult::status).toList());
    assertTrue(first.get(0).objects() > 0, "objects found");
    // the images' outputs (fovea instances with several inputs also writes its file-job tables,
    // summary.csv and failures.csv, which FileJob.run leaves to fovea-spark)
    TestImages.assertSamePixels(ref, out, "img*.{tif,csv}");

    Map<String, FileTime> times = new HashMap<>();
    Map<String, byte[]> bytes = new HashMap<>();
    for (String n : TestImages.names(out, "*.{tif,csv}")) {
      times.put(n, Files.getLastModifiedTime(out.resolve(n)));
      bytes.put(n, Files.readAllBytes(out.resolve(n)));
    }
    Thread.sleep(20);
    List<FileResult> again = FileJob.run(sc, op, files, out, true);
    assertEquals(List.of("skipped", "skipped"), again.stream().map(FileResult::status).toList());
    assertEquals(times.keySet().stream().sorted().toList(), TestImages.names(out, "*.{tif,csv}"));
    for (String n : times.keySet()) {
      assertEquals(times.get(n), Files.getLastModifiedTime(out.resolve(n)), n + " untouched");
      assertArrayEquals(bytes.get(n), Files.readAllBytes(out.resolve(n)), n);
    }
    // as in fovea batch --resume: an output changed since is made again, the other file is not
    Files.writeString(out.resolve("img01-objects.csv"), "edited\n");
    List<FileResult> third = FileJob.run(sc, op, files, out, true);
    assertEquals(List.of("skipped", "done"), third.stream().map(FileResult::status).toList());
    assertArrayEquals(bytes.get("img01-objects.csv"),
        Files.readAllBytes(out.resolve("img01-objects.csv")));
    // without resume every file runs again
    assertEquals(List.of("done", "done"), FileJob.run(sc, op, files, out, false).stream()
        .map(FileResult::status).toList());
  }


  @Test
  void aBadFileIsReportedAndTheOthersGoOn(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<Path> files = new ArrayList<>(TestImages.crops(in, new int[] {64, 64}));
    Path bad = Files.writeString(in.resolve("broken.tif"), "not a TIFF");
    files.add(bad);
    FileOperation op = FileOperation.segment(ModelRequest.builder().setModel(null).optDevice("cpu")
        .optTile(1024).build().resolved());
    List<FileResult> r = FileJob.run(sc, op, files, dir.resolve("out"), false);
    assertEquals("done", r.get(0).status());
    assertNull(r.get(0).error());
    assertEquals("failed", r.get(1).status());
    assertEquals(0, r.get(1).attempt(), "a bad file is not retried");
    assertTrue(r.get(1).error().contains("broken.tif"), r.get(1).error());
    assertTrue(Files.isRegularFile(dir.resolve("out/img00-probabilities.tif")));
    assertTrue(Files.notExists(dir.resolve("out/broken-probabilities.tif")));
  }
}
