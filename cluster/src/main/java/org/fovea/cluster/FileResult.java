package org.fovea.cluster;

import java.io.Serializable;

/**
 * What happened to one file of a job.
 *
 * @param file the input file
 * @param status {@code done}, {@code skipped} (its outputs were already there) or {@code failed}
 * @param seconds time spent on it
 * @param objects objects found (instances), or -1
 * @param attempt Spark's attempt number of the task that finished it (0: the first)
 * @param executor the executor that ran it
 * @param error the failure's sentence, or null
 * @since 0.1.0
 */
public record FileResult(String file, String status, double seconds, long objects, int attempt,
    String executor, String error) implements Serializable {

  /** @return whether the file failed */
  public boolean failed() {
    return "failed".equals(status);
  }
}
