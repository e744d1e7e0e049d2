package org.fovea.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fovea.models.Model;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.batch.Batch;
import org.fovea.io.batch.BatchOperation;
import org.fovea.io.batch.BatchSpec;
import org.fovea.io.batch.FileOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code fovea batch}: one operation over every image of a folder, each file on its own.
 * An operation joins with a subcommand that opens a {@link BatchOperation} and calls
 * {@link #execute}.
 *
 * @since 0.1.0
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Runs an operation (segment, instances, saliency) over every image of a folder: failures"
        + " are recorded in OUTPUT/failures.csv and the other files go on; OUTPUT/summary.csv has"
        + " one row per file; exit code 1 when any file failed.",
    subcommands = {BatchCommand.Segment.class, BatchCommand.Instances.class,
        BatchCommand.Saliency.class})
public final class BatchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, description = "folder of input images")
  Path input;

  @Option(names = "--output", required = true,
      description = "folder for the outputs (not inside the input folder)")
  Path output;

  @Option(names = "--glob", defaultValue = BatchSpec.DEFAULT_GLOB,
      description = "file names to process (default: ${DEFAULT-VALUE})")
  String glob;

  @Option(names = "--recursive", description = "also read sub-folders (kept in the output)")
  boolean recursive;

  @Option(names = "--resume",
      description = "skip files whose outputs are complete from an earlier run with the same"
          + " operation and options")
  boolean resume;

  @Option(names = "--jobs", defaultValue = "1",
      description = "files processed at once, sharing one loaded model (default: ${DEFAULT-VALUE})")
  int jobs;

  @Override
  public Integer call() {
    throw new FoveaException("fovea batch needs an operation after its options: segment or"
        + " instances (see fovea batch --help)");
  }

  /** @return the folders and options, checked (nothing written): bad input fails here */
  BatchSpec spec() {
    BatchSpec s = new BatchSpec(input, output, glob, recursive, resume, jobs);
    Batch.files(s);
    return s;
  }

  /**
   * Loads the operation's model once, runs the batch, and prints its outcome.
   *
   * @param op the operation
   * @return 0 when every file succeeded or was skipped, 1 when any failed
   */
  int execute(FileOperation op) {
    BatchSpec s = spec();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Batch.Report r;
    try (Model m = op.model().load()) {
      BatchOperation bo = op.on(m);
      BatchProgress bar = new BatchProgress(err, "batch " + op.name());
      try {
        r = Batch.run(s, bo, bar);
      } finally {
        bar.done();
      }
    }
    r.notes().forEach(n -> err.println("fovea: note: " + n));
    long failed = r.count(Batch.Status.FAILED);
    out.printf(Locale.ROOT, "batch %s: %d files, %d ok, %d skipped, %d failed, seconds=%.2f -> %s%n",
        op.name(), r.rows().size(), r.count(Batch.Status.OK), r.count(Batch.Status.SKIPPED),
        failed, r.seconds(), output.resolve(Batch.SUMMARY));
    out.flush();
    if (failed > 0) {
      err.printf("fovea: %d of %d files failed; their errors are in %s%n", failed,
          r.rows().size(), output.resolve(Batch.FAILURES));
      err.flush();
      return 1;
    }
    return 0;
  }

  /** {@code fovea batch ... segment}. */
  @Command(name = "segment", mixinStandardHelpOptions = true,
      description = "NAME-probabilities.tif per image, as fovea segment writes it.")
  static final class Segment implements Callable<Integer> {

    @ParentCommand
    BatchCommand batch;

    @Mixin
    ModelOptions m;

    @Override
    public Integer call() {
      batch.spec();
      return batch.execute(FileOperation.segment(m.request()));
    }
  }

  /** {@code fovea batch ... instances}. */
  @Command(name = "instances", mixinStandardHelpOptions = true,
      description = "NAME-labels.tif and NAME-objects.csv per image, as fovea instances writes"
          + " them; summary.csv counts the objects.")
  static final class Instances implements Callable<Integer> {

    @ParentCommand
    BatchCommand batch;

    @Mixin
    ModelOptions m;

    @Mixin
    InstanceOptions watershed;

    @Mixin
    StarOptions star;

    @Option(names = "--method", defaultValue = "auto", description = "auto (star on models that"
        + " declare star-convex outputs, otherwise the watershed), watershed or star"
        + " (default: ${DEFAULT-VALUE})")
    String method;

    @Override
    public Integer call() {
      batch.spec();
      if (!method.equals("auto") && !method.equals("watershed") && !method.equals("star")) {
        throw new FoveaException("method '" + method + "' is not available: use auto, watershed"
            + " or star");
      }
      return batch.execute(FileOperation.instances(m.request(), method, watershed.params(),
          star.params()));
    }
  }

  /** {@code fovea batch ... saliency}. */
  @Command(name = "saliency", mixinStandardHelpOptions = true,
      description = "NAME-saliency-METHOD.tif (the 32-bit map) and NAME-saliency-METHOD.png (the"
          + " overlay) per image, as fovea saliency -o ... --overlay ... writes them.")
  static final class Saliency implements Callable<Integer> {

    @ParentCommand
    BatchCommand batch;

    @Mixin
    ModelOptions m;

    @Mixin
    SaliencyOptions so;

    @Override
    public Integer call() {
      batch.spec();
      return batch.execute(FileOperation.saliency(m.request(), so.settings(), so.target));
    }
  }
}
