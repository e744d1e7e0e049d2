package org.fovea.cluster;

import org.fovea.io.batch.DoneLog;
import org.fovea.io.batch.FileOperation;
import org.fovea.io.OutputPaths;
import org.fovea.models.Model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.fovea.ops.net.FoveaException;

/**
 * One operation over a list of files on Spark: the files are dealt out in at most
 * {@value #TASKS_PER_CORE} tasks per core of the cluster (a few files per task: Spark's own cost
 * of a task, some milliseconds, is then not paid per file; more tasks than cores still balance
 * files of uneven cost); each executor loads the model once ({@link ExecutorModels}) and keeps it
 * for every file it gets.
 *
 * <p>Resume works as in {@code fovea batch --resume}, with the same log ({@link DoneLog}, in the
 * output folder): the driver reads it, each task skips its file when the log's entry names the
 * same operation and options and neither the input nor its outputs changed since, and the driver
 * records every file done. A job stopped half-way is therefore completed by running it again with
 * resume; an output changed or removed since is made again. A file that Fovea cannot process
 * (unreadable, wrong shape: a {@link FoveaException}) is reported with its sentence and not
 * retried; any other failure of a task (a lost executor, a crash) makes Spark run the task again,
 * with every file of that task, and since outputs appear only when complete, a retried file ends
 * exactly as a first attempt would.
 *
 * @since 0.1.0
 */
public final class FileJob {

  /** Tasks per core of the cluster ({@code defaultParallelism}), at most one per file. */
  static final int TASKS_PER_CORE = 4;

  private FileJob() {}

  /**
   * @param sc the Spark context
   * @param op the operation
   * @param inputs input files (on a file system every executor and the driver see)
   * @param outDir output folder (likewise)
   * @param resume skip the files the output folder's log records as complete
   * @return one result per input, in the inputs' order
   * @throws FoveaException when two inputs would write the same output, or an output is an input
   */
  public static List<FileResult> run(JavaSparkContext sc, FileOperation op, List<Path> inputs,
      Path outDir, boolean resume) {
    if (inputs.isEmpty()) {
      throw new FoveaException("no input files given: name the images to process");
    }
    Path out = outDir.toAbsolutePath().normalize();
    Map<Path, List<Path>> plan = plan(op, inputs, out);
    try {
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw new FoveaException("cannot create the output folder " + outDir + " ("
          + e.getMessage() + "): check the path and its permissions", e);
    }
    DoneLog log = DoneLog.open(out);
    List<Task> tasks = new ArrayList<>();
    for (Map.Entry<Path, List<Path>> e : plan.entrySet()) {
      Path in = e.getKey();
      tasks.add(new Task(in.toString(), e.getValue().stream().map(Path::toString).toList(),
          resume ? log.entry(name(in)) : null));
    }
    int slices = (int) Math.min(tasks.size(),
        (long) TASKS_PER_CORE * Math.max(1, sc.defaultParallelism()));
    // parallelize deals the list out in contiguous slices and collect keeps their order
    List<FileResult> results = sc.parallelize(tasks, slices)
        .map(t -> task(op, t.file(), t.outputs(), t.done())).collect();
    for (FileResult r : results) {
      if (r.status().equals("done")) {
        Path in = Paths.get(r.file());
        log.add(name(in), r.operation(), in, plan.get(in),
            r.objects() >= 0 ? Integer.valueOf((int) r.objects()) : null);
      }
    }
    return results;
  }

  /** One file, its outputs and what the log says of it (null: not recorded, or no resume). */
  private record Task(String file, List<String> outputs, DoneLog.Entry done)
      implements java.io.Serializable {}

  /** The log's name of an input: its file name, as batch names a file at the top of its folder. */
  private static String name(Path in) {
    return in.getFileName().toString();
  }

  /** The work of one task: one file. */
  static FileResult task(FileOperation op, String file, List<String> outputs,
      DoneLog.Entry done) {
    Path in = Paths.get(file);
    List<Path> outs = outputs.stream().map(Paths::get).toList();
    long t0 = System.nanoTime();
    String key = null;
    try {
      Model m = ExecutorModels.get(op.model());
      key = op.on(m).logKey();
      DoneLog.Entry e = DoneLog.complete(done, key, in, outs);
      if (e != null) {
        return new FileResult(file, "skipped", 0, e.objects() == null ? -1 : e.objects(),
            FaultInjection.attempt(), FaultInjection.executor(), null, key);
      }
      FaultInjection.maybeFail(in.getFileName().toString());
      Integer n = op.run(m, in, outs);
      return new FileResult(file, "done", (System.nanoTime() - t0) / 1e9, n == null ? -1 : n,
          FaultInjection.attempt(), FaultInjection.executor(), null, key);
    } catch (FoveaException e) {
      return new FileResult(file, "failed", (System.nanoTime() - t0) / 1e9, -1,
          FaultInjection.attempt(), FaultInjection.executor(), e.getMessage(), key);
    }
  }

  /**
   * Names every input's outputs as {@code fovea batch} does ({@link OutputPaths}: inputs whose
   * names collide without their extension keep it) and refuses a job where an output is an input
   * or two inputs write one file.
   *
   * @param op the operation
   * @param inputs the input files
   * @param outDir the output folder
   * @return each input (absolute) and its outputs, in the inputs' order
   */
  static Map<Path, List<Path>> plan(FileOperation op, List<Path> inputs, Path outDir) {
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new FoveaException("output " + outDir + " is a file: give a folder for the outputs");
    }
    List<Path> ins = inputs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    OutputPaths.Names names = OutputPaths.names(ins);
    Map<Path, List<Path>> plan = new LinkedHashMap<>();
    for (Path in : ins) {
      plan.put(in, op.outputs(names.base(in)).stream().map(outDir::resolve).toList());
    }
    OutputPaths.check(plan);
    return plan;
  }
}
