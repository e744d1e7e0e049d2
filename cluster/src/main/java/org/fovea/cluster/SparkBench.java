package org.fovea.cluster;

import org.fovea.io.batch.FileOperation;
import org.fovea.models.ModelRequest;

import ij.ImagePlus;
import ij.io.FileSaver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.fovea.ops.net.FoveaException;
import org.fovea.models.Model;
import org.fovea.io.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fovea-spark bench}: the same files segmented by the same {@link FileOperation} in this
 * process (one model load, one file after another, as {@code fovea segment} with every file) and
 * by a Spark file job, side by side in one run, with their ratio.
 *
 * @since 0.1.0
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Spark file job vs the single-process batch on the same images; prints the ratio.")
final class SparkBench implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--images", defaultValue = "64", description = "images (default: ${DEFAULT-VALUE})")
  int images;

  @Option(names = "--size", defaultValue = "256",
      description = "image side, cut from the shipped sample (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--spark-master", defaultValue = "local[2]",
      description = "the Spark master to compare (default: ${DEFAULT-VALUE})")
  String master;

  @Option(names = "--model", defaultValue = "nuclei-dilated")
  String model;

  @Option(names = "--runs", defaultValue = "3",
      description = "runs of each, alternating; medians are compared (default: ${DEFAULT-VALUE})")
  int runs;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("fovea-spark-bench");
    try {
      List<Path> files = images(dir.resolve("in"), images, size);
      FileOperation op = FileOperation.segment(ModelRequest.builder().setModel(model)
          .optDevice("cpu").build().resolved());
      long c0 = System.nanoTime();
      try (JavaSparkContext sc = SparkContexts.open(master, 4, Map.of());
          Model m = op.model().load()) {
        double startup = (System.nanoTime() - c0) / 1e9;
        // warm-up of both paths on 4 files (natives, JIT), outside the measurement
        single(m, op, files.subList(0, 4), dir.resolve("warm-single"));
        FileJob.run(sc, op, files.subList(0, 4), dir.resolve("warm-spark"), false);
        double[] singles = new double[runs];
        double[] sparks = new double[runs];
        for (int run = 0; run < runs; run++) {
          long t0 = System.nanoTime();
          single(m, op, files, dir.resolve("single" + run));
          singles[run] = (System.nanoTime() - t0) / 1e9;
          long t1 = System.nanoTime();
          List<FileResult> r = FileJob.run(sc, op, files, dir.resolve("spark" + run), false);
          sparks[run] = (System.nanoTime() - t1) / 1e9;
          if (r.stream().anyMatch(x -> !x.status().equals("done"))) {
            throw new FoveaException("the Spark job did not process every file: " + r);
          }
          out.printf(Locale.ROOT, "run %d: single %.2f s, spark %.2f s, ratio %.2f%n", run + 1,
              singles[run], sparks[run], sparks[run] / singles[run]);
        }
        double tSingle = median(singles);
        double tSpark = median(sparks);
        out.printf(Locale.ROOT, "%d images %dx%d, model %s, %d cores%n", images, size, size,
            model, Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "median single process (one model, file after file)     %8.2f s  %6.3f s/image%n",
            tSingle, tSingle / images);
        out.printf(Locale.ROOT, "median spark %-10s file job (%d files per task) %8.2f s  %6.3f s/image"
            + "  (+ %.2f s context start)%n", sc.master(), filesPerTask(sc, images), tSpark,
            tSpark / images, startup);
        out.printf(Locale.ROOT, "ratio of medians spark/single %.2f (with context start %.2f)%n",
            tSpark / tSingle, (tSpark + startup) / tSingle);
      }
      return 0;
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static int filesPerTask(JavaSparkContext sc, int n) {
    long tasks = Math.min(n, (long) FileJob.TASKS_PER_CORE * Math.max(1, sc.defaultParallelism()));
    return (int) ((n + tasks - 1) / tasks);
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private static void single(Model m, FileOperation op, List<Path> files, Path out)
      throws IOException {
    Files.createDirectories(out);
    for (Map.Entry<Path, List<Path>> e : FileJob.plan(op, files, out).entrySet()) {
      op.run(m, e.getKey(), e.getValue());
    }
  }


  /** Crops of the shipped sample at seeded random places. */
  static List<Path> images(Path dir, int n, int size) throws IOException {
    Files.createDirectories(dir);
    ImagePlus sample = ImageFiles.open(ImageFiles.sample());
    if (size > sample.getWidth() || size > sample.getHeight()) {
      throw new FoveaException("--size " + size + " is larger than the sample ("
          + sample.getWidth() + "x" + sample.getHeight() + "): give at most that");
    }
    Random rnd = new Random(42);
    List<Path> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ImagePlus imp = sample.duplicate();
      imp.setRoi(rnd.nextInt(sample.getWidth() - size + 1),
          rnd.nextInt(sample.getHeight() - size + 1), size, size);
      Path p = dir.resolve(String.format("b%03d.tif", i));
      new FileSaver(imp.crop()).saveAsTiff(p.toString());
      l.add(p);
    }
    return l;
  }
}
