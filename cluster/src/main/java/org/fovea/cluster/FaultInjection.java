package org.fovea.cluster;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * A test hook: the Spark setting {@value #KEY} names a task key (an input file's name, or
 * {@code tile-ROW-COL} for a tile); the first attempt of that task throws, so that a test can see
 * Spark retry it. Unset, it does nothing.
 *
 * @since 0.1.0
 */
public final class FaultInjection {

  /** The Spark setting that names the task to fail once. */
  public static final String KEY = "spark.fovea.test.failFirstAttempt";

  private FaultInjection() {}

  /**
   * Throws when {@code key} is the task named by {@value #KEY} and this is its first attempt.
   *
   * @param key the task's key
   */
  public static void maybeFail(String key) {
    SparkEnv env = SparkEnv.get();
    TaskContext tc = TaskContext.get();
    if (env == null || tc == null) {
      return;
    }
    String wanted = env.conf().get(KEY, "");
    if (!wanted.isEmpty() && wanted.equals(key) && tc.attemptNumber() == 0) {
      throw new IllegalStateException("injected failure of the first attempt of task " + key
          + " (" + KEY + ")");
    }
  }

  /** @return this task's attempt number (0 for the first), or 0 outside a Spark task */
  public static int attempt() {
    TaskContext tc = TaskContext.get();
    return tc == null ? 0 : tc.attemptNumber();
  }

  /** @return the executor this runs on ({@code driver} in local mode) */
  public static String executor() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "none" : env.executorId();
  }
}
