package org.fovea.io.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * One operation that {@link Batch} runs on every file of a folder: {@code segment},
 * {@code instances}, and any operation that joins later (it needs only these methods and a
 * subcommand of {@code fovea batch}).
 *
 * <p>{@link #run} is called from several threads at once when the batch runs with more than one
 * job: an implementation shares its loaded model between them and keeps no per-file state.
 *
 * @since 0.1.0
 */
public interface BatchOperation extends AutoCloseable {

  /** @return the operation's name, as on the command line ({@code segment}) */
  String name();

  /**
   * @return the options that change the outputs (model, engine, thresholds, ...), recorded with
   *     each finished file so that {@code --resume} redoes files made with other options
   */
  String options();

  /**
   * @return what the resume log records a finished file as made by: the name and the options
   *     ({@code fovea batch} and {@code fovea-spark} compare the same key)
   */
  default String logKey() {
    return name() + " " + options();
  }

  /**
   * @param base the input's file name without its extension
   * @return the names of the files this operation writes for that input, in the output folder
   *     (for example {@code base + "-labels.tif"})
   */
  List<String> outputs(String base);

  /**
   * Processes one file. Each output is written under a temporary name and renamed when complete.
   *
   * @param input the input image
   * @param outputs where the outputs go, in the order of {@link #outputs}
   * @return the number of objects found, or null for an operation that does not count objects
   * @throws org.fovea.ops.net.FoveaException with one sentence when the file cannot be processed
   */
  Integer run(Path input, List<Path> outputs);

  /** Releases the loaded model. */
  @Override
  default void close() {}
}
