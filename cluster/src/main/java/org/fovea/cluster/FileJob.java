package org.fovea.cluster;

import org.fovea.io.batch.FileOperation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.fovea.ops.net.FoveaException;

/**
 * One operation over a list of files on Spark: one task per file; each executor loads the model
 * once ({@link ExecutorModels}) and keeps it for every file it gets.
 *
 * <p>A file whose outputs already exist is skipped, so a finished job run again writes nothing,
 * and a job stopped half-way is completed by running it again. A file that Fovea cannot process
 * (unreadable, wrong shape: a {@link FoveaException}) is reported with its sentence and not
 * retried; any other failure of a task (a lost executor, a crash) makes Spark run the task again,
 * and since outputs appear only when complete, a retried file ends exactly as a first attempt
 * would.
 *
 * @since 0.1.0
 */
public final class FileJob {

  private FileJob() {}

  /**
   * @param sc the Spark context
   * @param op the operation
   * @param inputs input files (on a file system every executor sees)
   * @param outDir output folder (likewise)
   * @return one result per input, in the inputs' order
   * @throws FoveaException when two inputs would write the same output, or an output is an input
   */
  public static List<FileResult> run(JavaSparkContext sc, FileOperation op, List<Path> inputs,
      Path outDir) {
    if (inputs.isEmpty()) {
      throw new FoveaException("no input files given: name the images to process");
    }
    check(op, inputs, outDir);
    List<String> files = inputs.stream().map(p -> p.toAbsolutePath().normalize().toString())
        .toList();
    String out = outDir.toAbsolutePath().normalize().toString();
    return sc.parallelize(files, files.size()).map(f -> task(op, f, out)).collect();
  }

  /** The work of one task: one file. */
  static FileResult task(FileOperation op, String file, String outDir) {
    Path in = Paths.get(file);
    Path out = Paths.get(outDir);
    List<Path> outs = outputs(op, in, out);
    if (outs.stream().allMatch(Files::isRegularFile)) {
      return new FileResult(file, "skipped", 0, -1, FaultInjection.attempt(),
          FaultInjection.executor(), null);
    }
    FaultInjection.maybeFail(in.getFileName().toString());
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(out);
      Integer n = op.run(ExecutorModels.get(op.model()), in, outs);
      long objects = n == null ? -1 : n;
      return new FileResult(file, "done", (System.nanoTime() - t0) / 1e9, objects,
          FaultInjection.attempt(), FaultInjection.executor(), null);
    } catch (java.io.IOException e) {
      return new FileResult(file, "failed", (System.nanoTime() - t0) / 1e9, -1,
          FaultInjection.attempt(), FaultInjection.executor(), "cannot create the output folder "
              + out + " (" + e.getMessage() + "): check the path and its permissions");
    } catch (FoveaException e) {
      return new FileResult(file, "failed", (System.nanoTime() - t0) / 1e9, -1,
          FaultInjection.attempt(), FaultInjection.executor(), e.getMessage());
    }
  }

  /** @return the input's outputs in the folder, in the operation's order (as batch names them) */
  static List<Path> outputs(FileOperation op, Path in, Path outDir) {
    String name = in.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    return op.outputs(base).stream().map(outDir::resolve).toList();
  }

  private static void check(FileOperation op, List<Path> inputs, Path outDir) {
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new FoveaException("output " + outDir + " is a file: give a folder for the outputs");
    }
    Map<Path, Path> writer = new HashMap<>();
    List<Path> ins = new ArrayList<>();
    for (Path in : inputs) {
      ins.add(in.toAbsolutePath().normalize());
    }
    for (Path in : ins) {
      for (Path o : outputs(op, in, outDir.toAbsolutePath().normalize())) {
        Path before = writer.put(o, in);
        if (before != null) {
          throw new FoveaException("inputs " + before + " and " + in + " would both write " + o
              + ": give inputs with different file names, or run them into different folders");
        }
        if (ins.contains(o)) {
          throw new FoveaException("output " + o + " would overwrite the input of the same name:"
              + " choose another output folder");
        }
      }
    }
  }
}
