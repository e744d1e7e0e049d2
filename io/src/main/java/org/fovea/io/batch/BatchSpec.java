package org.fovea.io.batch;

import java.nio.file.Path;
import org.fovea.ops.net.FoveaException;

/**
 * Which files a batch reads and where it writes: an immutable value, made with {@link #of} and
 * varied with the {@code with*} methods.
 *
 * <pre>{@code
 * BatchSpec spec = BatchSpec.of(Path.of("raw"), Path.of("out")).withGlob("*.tif").withJobs(2);
 * }</pre>
 *
 * @param input the folder of input images
 * @param output the folder the outputs, {@code summary.csv} and {@code failures.csv} go to; it must
 *     not lie inside {@code input}
 * @param glob file names to take (a {@code java.nio} glob on the name, such as {@code *.tif})
 * @param recursive whether sub-folders are read too (their structure is kept in the output)
 * @param resume whether files whose outputs are complete from an earlier run are skipped
 * @param jobs how many files are processed at once, sharing one loaded model
 * @since 0.1.0
 */
public record BatchSpec(Path input, Path output, String glob, boolean recursive, boolean resume,
    int jobs) {

  /** The default glob: TIFF files. */
  public static final String DEFAULT_GLOB = "*.{tif,tiff,TIF,TIFF}";

  /** Checks the values. */
  public BatchSpec {
    if (input == null || output == null) {
      throw new FoveaException("a batch needs an input folder and an output folder: give --input"
          + " and --output");
    }
    if (glob == null || glob.isBlank()) {
      throw new FoveaException("the file pattern is empty: give --glob, for example '*.tif'");
    }
    if (jobs < 1) {
      throw new FoveaException("--jobs " + jobs + " is not a number of parallel files: give 1 or"
          + " more");
    }
  }

  /**
   * @param input the input folder
   * @param output the output folder
   * @return TIFF files of {@code input}, not recursive, no resume, one job
   */
  public static BatchSpec of(Path input, Path output) {
    return new BatchSpec(input, output, DEFAULT_GLOB, false, false, 1);
  }

  /** @param g the file name glob @return a copy with it */
  public BatchSpec withGlob(String g) {
    return new BatchSpec(input, output, g, recursive, resume, jobs);
  }

  /** @param r whether to read sub-folders @return a copy with it */
  public BatchSpec withRecursive(boolean r) {
    return new BatchSpec(input, output, glob, r, resume, jobs);
  }

  /** @param r whether to skip complete files @return a copy with it */
  public BatchSpec withResume(boolean r) {
    return new BatchSpec(input, output, glob, recursive, r, jobs);
  }

  /** @param n files processed at once @return a copy with it */
  public BatchSpec withJobs(int n) {
    return new BatchSpec(input, output, glob, recursive, resume, n);
  }
}
