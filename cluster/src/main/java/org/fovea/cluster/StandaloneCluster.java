package org.fovea.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fovea.ops.net.FoveaException;

/**
 * A real Spark standalone cluster on this machine, from the jars on the class path: one master
 * and one worker, each a child JVM bound to 127.0.0.1 on free ports. For tests and trying a
 * cluster out; a production cluster is started with the same classes ({@code ./fovea-spark master},
 * {@code ./fovea-spark worker}).
 *
 * <p>The worker launches executors with a Spark home of its own ({@code RELEASE} and an empty
 * {@code jars/} folder: the executors' class path comes from the driver,
 * {@link SparkContexts}).
 *
 * @since 0.1.0
 */
public final class StandaloneCluster implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private final List<Process> processes = new ArrayList<>();
  private final String masterUrl;

  private StandaloneCluster(Path dir, int cores, String memory, List<String> javaOptions)
      throws IOException {
    Path home = Files.createDirectories(dir.resolve("spark-home"));
    Files.createDirectories(home.resolve("jars"));
    Files.writeString(home.resolve("RELEASE"), "Spark from Maven jars (Fovea)\n");
    int port = freePort();
    try {
      processes.add(start(dir, home, "master", javaOptions, "org.apache.spark.deploy.master.Master",
          "--host", HOST, "--port", Integer.toString(port), "--webui-port", "0"));
      masterUrl = "spark://" + HOST + ":" + port;
      awaitPort(port, processes.get(0), dir.resolve("master.log"));
      processes.add(start(dir, home, "worker", javaOptions, "org.apache.spark.deploy.worker.Worker",
          "--host", HOST, "--port", "0", "--webui-port", "0", "--cores", Integer.toString(cores),
          "--memory", memory, "--work-dir", Files.createDirectories(dir.resolve("work")).toString(),
          masterUrl));
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts a master and a worker.
   *
   * @param dir a folder for logs, the Spark home and the worker's files
   * @param cores cores the worker offers
   * @param memory memory the worker offers, such as {@code 2g}
   * @param javaOptions options of both JVMs (the {@code --add-opens} list Spark needs on Java 17)
   * @return the running cluster; close it to stop both
   * @throws IOException when a JVM cannot be started
   */
  public static StandaloneCluster start(Path dir, int cores, String memory,
      List<String> javaOptions) throws IOException {
    return new StandaloneCluster(dir, cores, memory, javaOptions);
  }

  /** @return {@code spark://127.0.0.1:PORT} */
  public String masterUrl() {
    return masterUrl;
  }

  private static Process start(Path dir, Path home, String name, List<String> javaOptions,
      String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1"); // daemons: quick start matters more than peak speed
    cmd.addAll(javaOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.12");
    pb.environment().put("SPARK_LOCAL_IP", HOST);
    pb.environment().put("SPARK_NO_DAEMONIZE", "1");
    return pb.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(int port, Process p, Path log) throws IOException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        throw new FoveaException("the Spark master stopped at start (exit " + p.exitValue()
            + "): see " + log);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(HOST, port), 200);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", ie);
        }
      }
    }
    throw new FoveaException("the Spark master did not listen on port " + port + " within 60 s:"
        + " see " + log);
  }

  /** Stops the worker (and its executors), then the master, and waits for them to end. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }
}
