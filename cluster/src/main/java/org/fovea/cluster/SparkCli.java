package org.fovea.cluster;

import org.fovea.io.batch.Batch;
import org.fovea.io.batch.FileOperation;
import org.fovea.models.ModelRequest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.fovea.ops.net.FoveaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The {@code fovea-spark} command line: Fovea's batch operations on Spark.
 *
 * @since 0.1.0
 */
@Command(name = "fovea-spark", mixinStandardHelpOptions = true, version = "fovea-spark 0.1.0",
    description = "Fovea operations on Apache Spark: local[*] by default, a cluster by --master.",
    subcommands = {SparkCli.Segment.class, SparkCli.Instances.class, SparkCli.Saliency.class,
        SparkCli.Blocks.class,
        SparkBench.class, CommandLine.HelpCommand.class})
public final class SparkCli {

  /** Exit code for a user error: bad input, missing file, unusable device (as {@code fovea}). */
  public static final int USER_ERROR = 2;

  @Option(names = "--master", defaultValue = SparkContexts.DEFAULT_MASTER,
      description = "local[*], local[N] or spark://HOST:PORT (default: ${DEFAULT-VALUE})")
  String master;

  @Option(names = "--max-failures", defaultValue = "4",
      description = "attempts per task before the job fails (default: ${DEFAULT-VALUE})")
  int maxFailures;

  @Option(names = "--conf", description = "a Spark setting KEY=VALUE (repeatable)")
  Map<String, String> conf = new LinkedHashMap<>();

  /** @return a Spark context for these options */
  JavaSparkContext context() {
    return SparkContexts.open(master, maxFailures, conf);
  }

  /** {@code fovea-spark segment}. */
  @Command(name = "segment", mixinStandardHelpOptions = true,
      description = "Class probabilities of each file, a few files per Spark task, as fovea segment.")
  static final class Segment implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SparkCli parent;
    @CommandLine.Mixin
    SparkOptions.Model m;
    @CommandLine.Mixin
    PerFile files;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      FileOperation op = FileOperation.segment(m.request());
      return runFiles(parent, spec, op, files);
    }
  }

  /** {@code fovea-spark instances}. */
  @Command(name = "instances", mixinStandardHelpOptions = true,
      description = "Label image and object table of each file, a few files per Spark task, as"
          + " fovea instances.")
  static final class Instances implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SparkCli parent;
    @CommandLine.Mixin
    SparkOptions.Model m;
    @CommandLine.Mixin
    SparkOptions.Watershed watershed;
    @CommandLine.Mixin
    SparkOptions.Star star;
    @CommandLine.Mixin
    PerFile files;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      FileOperation op = FileOperation.instances(m.request(), star.method(),
          watershed.params(), star.params());
      return runFiles(parent, spec, op, files);
    }
  }

  /** {@code fovea-spark saliency}. */
  @Command(name = "saliency", mixinStandardHelpOptions = true,
      description = "Saliency map of each file, a few files per Spark task, as fovea saliency.")
  static final class Saliency implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SparkCli parent;
    @CommandLine.Mixin
    SparkOptions.Model m;
    @CommandLine.Mixin
    SparkOptions.Saliency saliency;
    @CommandLine.Mixin
    PerFile files;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      FileOperation op = FileOperation.saliency(m.request(), saliency.settings(),
          saliency.target);
      return runFiles(parent, spec, op, files);
    }
  }

  /** {@code fovea-spark blocks}. */
  @Command(name = "blocks", mixinStandardHelpOptions = true,
      description = "Class probabilities of one large image, one Spark task per tile (with the"
          + " receptive-field halo); equal to fovea segment on the same tiles.")
  static final class Blocks implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SparkCli parent;
    @CommandLine.Mixin
    SparkOptions.Model m;
    @Option(names = {"-o", "--output"}, required = true, description = "output TIFF")
    Path output;
    @Parameters(paramLabel = "INPUT", description = "a single-plane image (uncompressed TIFF is"
        + " read region by region)")
    Path input;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(input)) {
        throw new FoveaException("input image " + input + " does not exist: check the path");
      }
      ModelRequest ref = m.request();
      try (JavaSparkContext sc = parent.context()) {
        BlockJob.Result r = BlockJob.segment(sc, ref, input, output, m.tile);
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %s tiles=%d halo=%d seconds=%.2f"
            + " master=%s -> %s%n", input, r.status(), r.tiles(), r.halo(), r.seconds(),
            sc.master(), output);
      }
      return 0;
    }
  }

  /** The files, output folder and resume switch of every per-file subcommand. */
  static final class PerFile {
    @Option(names = {"-o", "--output"}, required = true, description = "output folder")
    Path output;
    @Option(names = "--resume", description = "skip files the output folder's log records as"
        + " complete, as fovea batch --resume (the same log)")
    boolean resume;
    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "image files or folders of .tif")
    List<Path> inputs;
  }

  /** A few files per Spark task ({@link FileJob}); prints a line per file, writes summary.csv
   * and failures.csv. */
  static int runFiles(SparkCli parent, CommandLine.Model.CommandSpec spec, FileOperation op,
      PerFile f) {
    List<Path> inputs = f.inputs;
    Path output = f.output;
    boolean resume = f.resume;
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = expand(inputs);
    String note = files.isEmpty() ? null : org.fovea.io.OutputPaths.names(files.stream()
        .map(p -> p.toAbsolutePath().normalize()).toList()).note();
    if (note != null) {
      spec.commandLine().getErr().println("fovea-spark: note: " + note);
    }
    try (JavaSparkContext sc = parent.context()) {
      long t0 = System.nanoTime();
      List<FileResult> rs = FileJob.run(sc, op, files, output, resume);
      int failed = 0;
      for (FileResult r : rs) {
        out.printf(Locale.ROOT, "%s: %s%s seconds=%.2f attempt=%d executor=%s%s%n", r.file(),
            r.status(), r.objects() >= 0 ? " objects=" + r.objects() : "", r.seconds(),
            r.attempt(), r.executor(), r.error() == null ? "" : " error=" + r.error());
        failed += r.failed() ? 1 : 0;
      }
      List<Batch.Row> rows = new ArrayList<>();
      for (FileResult r : rs) {
        // named as fovea batch names a file at the top of its input folder
        rows.add(new Batch.Row(Path.of(r.file()).getFileName().toString(), switch (r.status()) {
          case "done" -> Batch.Status.OK;
          case "skipped" -> Batch.Status.SKIPPED;
          default -> Batch.Status.FAILED;
        }, r.seconds(), r.objects() >= 0 ? Integer.valueOf((int) r.objects()) : null, r.error()));
      }
      Batch.writeTables(output, new Batch.Report(rows, (System.nanoTime() - t0) / 1e9));
      out.printf(Locale.ROOT, "%d files: %d done, %d skipped, %d failed in %.2f s on %s%n",
          rs.size(), rs.stream().filter(r -> r.status().equals("done")).count(),
          rs.stream().filter(r -> r.status().equals("skipped")).count(), failed,
          (System.nanoTime() - t0) / 1e9, sc.master());
      out.flush();
      return failed > 0 ? 1 : 0;
    }
  }

  /** Files, and the .tif/.tiff files of folders (sorted). */
  static List<Path> expand(List<Path> inputs) {
    List<Path> l = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(f -> f.getFileName().toString().matches("(?i).*\\.tiff?")
              && Files.isRegularFile(f)).sorted().forEach(l::add);
        } catch (IOException e) {
          throw new FoveaException("cannot list folder " + p + " (" + e.getMessage() + "): check"
              + " that it is readable", e);
        }
      } else {
        l.add(p);
      }
    }
    return l;
  }

  /**
   * @param args command-line arguments
   * @return the exit code (2 for bad input, 1 when a file failed)
   */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * @param out results
   * @param err errors
   * @param args arguments
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new SparkCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      Throwable t = ex;
      while (t.getCause() != null && !(t instanceof FoveaException)) {
        t = t.getCause();
      }
      if (t instanceof FoveaException) {
        cmd.getErr().println("fovea-spark: " + t.getMessage());
        cmd.getErr().flush();
        return USER_ERROR;
      }
      cmd.getErr().println("fovea-spark: " + ex);
      cmd.getErr().flush();
      return 1;
    });
    return cl.execute(args);
  }

  /**
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }
}
