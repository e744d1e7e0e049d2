package org.fovea.cluster;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.fovea.ops.net.FoveaException;

/**
 * Spark contexts for Fovea jobs: local mode by default, a standalone cluster by its master URL.
 *
 * <p>Local masters ({@code local}, {@code local[N]}, {@code local[*]}) are given task retries
 * ({@code local[N,F]}: Spark's local mode otherwise runs each task once). On a cluster, executors
 * get the driver's class path, as a {@link ClassPathJar} in {@code java.io.tmpdir} or the folder
 * named by the system property {@code fovea.spark.classpathDir} (so Fovea, its engines and their
 * natives need no installation on the workers, only the same paths: a shared file system, as
 * input and output files need anyway)
 * and the engines' environment ({@code DJL_OFFLINE}, {@code DJL_CACHE_DIR}).
 *
 * @since 0.1.0
 */
public final class SparkContexts {

  /** The master used when none is given: every core of this machine. */
  public static final String DEFAULT_MASTER = "local[*]";

  private static final Pattern LOCAL = Pattern.compile("local(?:\\[([^,\\]]+)])?");

  private SparkContexts() {}

  /**
   * @param master {@code local[*]}, {@code local[N]} or {@code spark://HOST:PORT}
   * @param maxFailures attempts per task before the job fails
   * @return the master Spark is given
   */
  public static String master(String master, int maxFailures) {
    String m = master == null || master.isBlank() ? DEFAULT_MASTER : master.trim();
    Matcher l = LOCAL.matcher(m);
    if (l.matches()) {
      return "local[" + (l.group(1) == null ? "1" : l.group(1)) + "," + maxFailures + "]";
    }
    if (!m.startsWith("spark://") && !m.startsWith("local[") && !m.startsWith("yarn")
        && !m.startsWith("k8s://")) {
      throw new FoveaException("master '" + m + "' is not a Spark master URL: use local[*],"
          + " local[N] or spark://HOST:PORT");
    }
    return m;
  }

  /**
   * @param master see {@link #master}
   * @param maxFailures attempts per task
   * @param settings more Spark settings ({@code --conf KEY=VALUE}), which win over Fovea's
   * @return a running context; stop it when done
   */
  public static JavaSparkContext open(String master, int maxFailures,
      Map<String, String> settings) {
    String m = master(master, maxFailures);
    SparkConf conf = new SparkConf().setMaster(m).setAppName("fovea")
        .set("spark.ui.enabled", "false")
        .set("spark.task.maxFailures", Integer.toString(maxFailures))
        .set("spark.executorEnv.DJL_OFFLINE", "true")
        .set("spark.executorEnv.TF_CPP_MIN_LOG_LEVEL", "2");
    String cache = System.getenv("DJL_CACHE_DIR");
    if (cache != null) {
      conf.set("spark.executorEnv.DJL_CACHE_DIR", cache);
    }
    if (!m.startsWith("local")) {
      Path jarDir = Path.of(System.getProperty("fovea.spark.classpathDir",
          System.getProperty("java.io.tmpdir")));
      conf.set("spark.executor.extraClassPath",
          ClassPathJar.write(System.getProperty("java.class.path"), jarDir).toString());
      StringBuilder opts = new StringBuilder();
      for (String p : new String[] {"fovea.root", "fovea.zoo"}) {
        if (System.getProperty(p) != null) {
          opts.append(" -D").append(p).append('=').append(System.getProperty(p));
        }
      }
      if (opts.length() > 0) {
        conf.set("spark.executor.extraJavaOptions", opts.toString().trim());
      }
    }
    settings.forEach(conf::set);
    return new JavaSparkContext(conf);
  }
}
