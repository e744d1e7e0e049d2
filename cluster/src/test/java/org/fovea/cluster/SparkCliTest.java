package org.fovea.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fovea-spark command line: a folder with a corrupt file, a re-run, bad input. */
class SparkCliTest {

  record Run(int rc, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = SparkCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(rc, out.toString(), err.toString());
  }

  @Test
  void aFolderWithACorruptFileThenAResume(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    TestImages.crops(in, new int[] {64, 64}, new int[] {96, 64});
    Files.write(in.resolve("corrupt.tif"), new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1});
    Path out = dir.resolve("out");

    Run first = cli("--master", "local[2]", "segment", "--device", "cpu", "-o", out.toString(),
        in.toString());
    assertEquals(1, first.rc(), first.out() + first.err());
    assertTrue(first.out().contains("3 files: 2 done, 0 skipped, 1 failed"), first.out());
    List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
    assertEquals(2, failures.size(), failures.toString());
    assertTrue(failures.get(1).contains("corrupt.tif") && failures.get(1).contains("cannot read"),
        failures.get(1));
    assertEquals(List.of("img00-probabilities.tif", "img01-probabilities.tif"),
        TestImages.names(out, "*.tif"));
    // the same summary.csv as fovea batch writes: one row per file with its status
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals("file,status,seconds,objects", summary.get(0));
    assertEquals(List.of("failed", "ok", "ok"), summary.subList(1, summary.size()).stream()
        .sorted().map(l -> l.split(",")[1]).toList(), summary.toString());
    // files named as fovea batch names them: relative to the input folder
    assertEquals(List.of("corrupt.tif", "img00.tif", "img01.tif"), summary.subList(1,
        summary.size()).stream().map(l -> l.split(",")[0]).sorted().toList());

    Files.delete(in.resolve("corrupt.tif"));
    Run again = cli("--master", "local[2]", "segment", "--device", "cpu", "--resume", "-o",
        out.toString(), in.toString());
    assertEquals(0, again.rc(), again.out() + again.err());
    assertTrue(again.out().contains("2 files: 0 done, 2 skipped, 0 failed"), again.out());
    assertEquals(List.of("file,error"), Files.readAllLines(out.resolve("failures.csv")),
        "no failures left to report");
  }

  /**
   * The operations fovea batch runs, on Spark too: star-convex instances with their options,
   * saliency maps, and runs without the self-check; each gives what fovea batch gives.
   */
  @Test
  void starInstancesAndSaliencyAsFoveaBatch(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    TestImages.crops(in, new int[] {96, 80});
    Path stars = dir.resolve("stars");
    Run a = cli("--master", "local[2]", "instances", "--model", "nuclei-star", "--method",
        "star", "--prob-threshold", "0.6", "--device", "cpu", "--no-verify", "-o",
        stars.toString(), in.toString());
    assertEquals(0, a.rc(), a.out() + a.err());
    assertEquals(List.of("img00-labels.tif"), TestImages.names(stars, "*.tif"));
    // the same objects as fovea batch's operation in this process
    Path local = dir.resolve("local");
    Files.createDirectories(local);
    org.fovea.io.batch.FileOperation op = org.fovea.io.batch.FileOperation.instances(
        org.fovea.models.ModelRequest.builder().setModel("nuclei-star").optDevice("cpu").build(),
        "star", org.fovea.ops.instances.InstanceParams.defaults(),
        new org.fovea.ops.instances.star.StarParams(0.6, 0.4,
            org.fovea.ops.instances.star.StarOverlap.SMALLER));
    try (org.fovea.models.Model m = op.model().load()) {
      op.run(m, in.resolve("img00.tif"), op.outputs(local.resolve("img00").toString()).stream()
          .map(Path::of).toList());
    }
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(local.resolve("img00-objects.csv")),
        Files.readAllBytes(stars.resolve("img00-objects.csv"))), "the same object table");
    assertTrue(Files.readAllLines(stars.resolve("img00-objects.csv")).size() > 3,
        "objects were found");

    Path maps = dir.resolve("maps");
    Run b = cli("--master", "local[2]", "saliency", "--method", "occlusion", "--window", "9",
        "--stride", "8", "--target", "class=1", "--device", "cpu", "-o", maps.toString(),
        in.toString());
    assertEquals(0, b.rc(), b.out() + b.err());
    assertEquals(List.of("img00-saliency-occlusion.tif"), TestImages.names(maps, "*.tif"));
    assertEquals(List.of("img00-saliency-occlusion.png"), TestImages.names(maps, "*.png"));
    Run bad = cli("instances", "--method", "sideways", "-o", dir.toString(), in.toString());
    assertEquals(2, bad.rc());
    assertTrue(bad.err().contains("--method 'sideways' is unknown"), bad.err());
  }

  @Test
  void int8IsUsedOnlyWhereTheTestTensorsPass(@TempDir Path dir) throws Exception {
    // the shipped model's tolerance refuses int8 (PrecisionTest measures by how much): each file
    // reports the refusal's sentence and nothing is written
    Path in = Files.createDirectories(dir.resolve("in"));
    TestImages.crops(in, new int[] {64, 64});
    Path out = dir.resolve("out");
    Run r = cli("--master", "local[1]", "segment", "--device", "cpu", "--engine", "onnx",
        "--precision", "int8", "-o", out.toString(), in.toString());
    assertEquals(1, r.rc(), r.out() + r.err());
    List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
    assertTrue(failures.get(1).contains("is refused in int8"), failures.toString());
    assertEquals(List.of(), TestImages.names(out, "*.tif"));
  }

  @Test
  void inputsOfOneNameKeepTheirExtensionAndSaySo(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path a = TestImages.crops(in, new int[] {64, 64}).get(0);
    Files.copy(a, in.resolve("img00.tiff"));
    Path out = dir.resolve("out");
    Run r = cli("--master", "local[1]", "segment", "--device", "cpu", "-o", out.toString(),
        in.toString());
    assertEquals(0, r.rc(), r.out() + r.err());
    assertTrue(r.err().contains("fovea-spark: note: ") && r.err().contains("have the same name"
        + " without their extension"), r.err());
    assertEquals(List.of("img00.tif-probabilities.tif", "img00.tiff-probabilities.tif"),
        TestImages.names(out, "*.tif"));
  }

  @Test
  void badInputIsOneSentence(@TempDir Path dir) {
    Run missing = cli("blocks", "-o", dir.resolve("o.tif").toString(),
        dir.resolve("nope.tif").toString());
    assertEquals(2, missing.rc());
    assertEquals("fovea-spark: input image " + dir.resolve("nope.tif")
        + " does not exist: check the path\n", missing.err());

    Run master = cli("--master", "mesos://x", "segment", "-o", dir.toString(), "a.tif");
    assertEquals(2, master.rc());
    assertTrue(master.err().startsWith("fovea-spark: master 'mesos://x' is not a Spark master"),
        master.err());

    Run precision = cli("segment", "--precision", "fp64", "-o", dir.toString(), "a.tif");
    assertEquals(2, precision.rc());
    assertTrue(precision.err().startsWith("fovea-spark: unknown precision 'fp64': use one of"),
        precision.err());

    Run model = cli("segment", "--model", "no-such-model", "-o", dir.toString(), "a.tif");
    assertEquals(2, model.rc());
    assertTrue(model.err().startsWith("fovea-spark: no model named or at 'no-such-model'"),
        model.err());
  }
}
