package org.fovea.cluster;

import java.io.Serializable;

/**
 * What happened to one file of a job.
 *
 * @param file the input file
 * @param status {@code done}, {@code skipped} (with resume: the output folder's log records it
 *     complete and neither it nor its outputs changed since) or {@code failed}
 * @param seconds time spent on it
 * @param objects objects found (instances), or -1
 * @param attempt Spark's attempt number of the task that finished it (0: the first)
 * @param executor the executor that ran it
 * @param error the failure's sentence, or null
 * @param operation the operation and the options that change its outputs, as the log records
 *     them (null when the model could not be loaded)
 * @since 0.1.0
 */
public record FileResult(String file, String status, double seconds, long objects, int attempt,
    String executor, String error, String operation) implements Serializable {

  /** @return whether the file failed */
  public boolean failed() {
    return "failed".equals(status);
  }
}
