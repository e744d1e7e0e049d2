package org.fovea.io.batch;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fovea.io.OutputPaths;
import org.fovea.ops.net.FoveaException;

/**
 * Runs one {@link BatchOperation} over every matching file of a folder, each file on its own: a
 * file that fails is recorded in {@code failures.csv} (file, error sentence) and the others go on.
 * {@code summary.csv} gets one row per file (file, status, seconds, objects), status {@code ok},
 * {@code skipped} (complete from an earlier run, with {@code --resume}) or {@code failed}.
 *
 * <pre>{@code
 * try (BatchOperation op = SegmentOperation.open("nuclei-dilated", null, "cpu", 1024)) {
 *   Batch.Report r = Batch.run(BatchSpec.of(in, out).withJobs(2), op, null);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Batch {

  /** The per-file table in the output folder. */
  public static final String SUMMARY = "summary.csv";
  /** The table of failed files in the output folder. */
  public static final String FAILURES = "failures.csv";

  /** What happened to one file. */
  public enum Status {
    /** processed now */
    OK,
    /** complete from an earlier run */
    SKIPPED,
    /** failed; see the error */
    FAILED
  }

  /**
   * One file's row.
   *
   * @param file the input, relative to the input folder ({@code /} separated)
   * @param status what happened
   * @param seconds time spent on it in this run
   * @param objects objects found, or null
   * @param error the error sentence of a failed file, else null
   */
  public record Row(String file, Status status, double seconds, Integer objects, String error) {}

  /**
   * @param rows one per file, in file order
   * @param seconds wall time of the whole batch
   * @param notes sentences for the user (outputs that keep their input's extension)
   */
  public record Report(List<Row> rows, double seconds, List<String> notes) {

    /**
     * @param rows one per file, in file order
     * @param seconds wall time of the whole batch
     */
    public Report(List<Row> rows, double seconds) {
      this(rows, seconds, List.of());
    }

    /** @param s a status @return how many files have it */
    public long count(Status s) {
      return rows.stream().filter(r -> r.status() == s).count();
    }
  }

  /** Told after each file; called from the worker threads, one call at a time. */
  public interface Listener {
    /**
     * @param row the file just finished
     * @param finished files finished so far (skipped ones included)
     * @param total files in the batch
     */
    void finished(Row row, int finished, int total);
  }

  private Batch() {}

  /**
   * Runs the batch. Bad input (missing input folder, an output folder inside the input folder, no
   * matching file) throws before anything is written.
   *
   * @param spec the files and options
   * @param op the operation, shared by all jobs
   * @param listener told after each file, may be null
   * @return one row per file; {@code summary.csv} and {@code failures.csv} are written too
   * @throws FoveaException for bad input, or when the output folder cannot be written
   */
  public static Report run(BatchSpec spec, BatchOperation op, Listener listener) {
    List<Path> files = files(spec);
    Path in = checkInput(spec.input());
    Path out = checkOutput(in, spec.output());
    List<String> notes = new ArrayList<>();
    Map<Path, List<Path>> plan = plan(in, out, files, op, notes);
    Report r = run(plan, f -> in.relativize(f).toString().replace(
        f.getFileSystem().getSeparator(), "/"), out, op, spec.jobs(), spec.resume(), listener);
    return new Report(r.rows(), r.seconds(), notes);
  }

  /**
   * Runs an operation over files whose outputs are already named and checked (the inputs of
   * multi-file {@code fovea instances}, which may lie in several folders), with the same rows,
   * tables and resume log as a folder batch.
   *
   * @param plan each input and its outputs, in order; an output's folder is made when missing
   * @param names an input's name in the log and the tables
   * @param tables the folder of {@link #SUMMARY}, {@link #FAILURES} and the resume log
   * @param op the operation, shared by all jobs
   * @param jobs files processed at once
   * @param resume skip the files the log records as complete
   * @param listener told after each file, may be null
   * @return one row per file; the tables are written too
   * @throws FoveaException when the folder of the tables cannot be written
   */
  public static Report run(Map<Path, List<Path>> plan, Function<Path, String> names,
      Path tables, BatchOperation op, int jobs, boolean resume, Listener listener) {
    long t0 = System.nanoTime();
    List<Path> files = new ArrayList<>(plan.keySet());
    try {
      Files.createDirectories(tables);
    } catch (IOException e) {
      throw new FoveaException("cannot create the output folder " + tables + " ("
          + e.getMessage() + "): check the path and its permissions", e);
    }
    DoneLog log = DoneLog.open(tables);
    String opKey = op.logKey();
    Row[] rows = new Row[files.size()];
    AtomicInteger finished = new AtomicInteger();
    Object lock = new Object();
    ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
      Thread t = new Thread(r, "fovea-batch");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        int k = i;
        tasks.add(pool.submit(() -> {
          Path f = files.get(k);
          rows[k] = one(names.apply(f), f, plan.get(f), op, opKey, log, resume);
          synchronized (lock) {
            if (listener != null) {
              listener.finished(rows[k], finished.incrementAndGet(), rows.length);
            }
          }
        }));
      }
      for (Future<?> f : tasks) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoveaException("the batch was interrupted; run it again with --resume", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FoveaException fe) {
        throw fe;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    Report report = new Report(List.of(rows), (System.nanoTime() - t0) / 1e9);
    writeTables(tables, report);
    return report;
  }

  /** One file: skipped when complete, else processed; every failure becomes a row. */
  private static Row one(String rel, Path file, List<Path> outputs, BatchOperation op,
      String opKey, DoneLog log, boolean resume) {
    if (resume) {
      DoneLog.Entry e = log.complete(rel, opKey, file, outputs);
      if (e != null) {
        return new Row(rel, Status.SKIPPED, 0, e.objects(), null);
      }
    }
    long t0 = System.nanoTime();
    try {
      for (Path o : outputs) {
        if (o.getParent() != null) {
          Files.createDirectories(o.getParent());
        }
      }
      Integer objects = op.run(file, outputs);
      log.add(rel, opKey, file, outputs, objects);
      return new Row(rel, Status.OK, (System.nanoTime() - t0) / 1e9, objects, null);
    } catch (FoveaException e) {
      return failed(rel, t0, e.getMessage());
    } catch (OutOfMemoryError e) {
      // one file too large for the heap must not end the batch: it is recorded like any failure
      return failed(rel, t0, "out of memory on " + file + ": give Java more memory (-Xmx, or"
          + " FOVEA_JAVA_OPTS for ./fovea) or a smaller --tile");
    } catch (IOException | RuntimeException e) {
      return failed(rel, t0, "could not process " + file + " (" + e + "): check the file, and"
          + " report this error if the file opens in ImageJ");
    }
  }

  private static Row failed(String rel, long t0, String sentence) {
    return new Row(rel, Status.FAILED, (System.nanoTime() - t0) / 1e9, null, sentence);
  }

  /**
   * Writes {@link #SUMMARY} (one row per file) and {@link #FAILURES} (one row per failed file,
   * with its sentence; only the header when none failed), each atomically: what every file job
   * (this batch, a Spark file job) leaves in its output folder.
   *
   * @param out the output folder
   * @param report the rows
   */
  public static void writeTables(Path out, Report report) {
    List<String> summary = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Row r : report.rows()) {
      summary.add(String.join(",", CsvFiles.field(r.file()),
          r.status().name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%.3f",
              r.seconds()), r.objects() == null ? "" : r.objects().toString()));
      if (r.status() == Status.FAILED) {
        failures.add(CsvFiles.field(r.file()) + "," + CsvFiles.field(r.error()));
      }
    }
    CsvFiles.write(out.resolve(SUMMARY), "file,status,seconds,objects", summary);
    CsvFiles.write(out.resolve(FAILURES), "file,error", failures);
  }

  /**
   * Checks the folders and lists the files a batch would process, writing nothing: call it before
   * loading a model, so that bad input fails at once.
   *
   * @param spec the files and options
   * @return the matching files, sorted
   * @throws FoveaException when the input folder is missing, the output folder lies inside it, or
   *     no file matches
   */
  public static List<Path> files(BatchSpec spec) {
    Path in = checkInput(spec.input());
    checkOutput(in, spec.output());
    return list(in, spec);
  }

  private static Path checkInput(Path input) {
    if (!Files.isDirectory(input)) {
      throw new FoveaException("input folder " + input + (Files.exists(input)
          ? " is a file, not a folder" : " does not exist") + ": give a folder of images with"
          + " --input");
    }
    try {
      return input.toRealPath();
    } catch (IOException e) {
      throw new FoveaException("cannot read the input folder " + input + " (" + e.getMessage()
          + "): check its permissions", e);
    }
  }

  /** The output folder, resolved through symbolic links as far as it exists. */
  private static Path checkOutput(Path in, Path output) {
    Path abs = output.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    Path real = abs;
    if (existing != null) {
      try {
        real = existing.toRealPath().resolve(existing.relativize(abs));
      } catch (IOException e) {
        throw new FoveaException("cannot read the output folder " + output + " ("
            + e.getMessage() + "): check its permissions", e);
      }
    }
    if (Files.exists(real) && !Files.isDirectory(real)) {
      throw new FoveaException("output " + output + " is a file, not a folder: give a folder with"
          + " --output");
    }
    if (real.startsWith(in)) {
      throw new FoveaException("output folder " + output + " is inside the input folder "
          + in + ", so its files would be read as inputs next time: choose an output folder"
          + " outside the input folder");
    }
    return real;
  }

  private static List<Path> list(Path in, BatchSpec spec) {
    PathMatcher m;
    try {
      m = FileSystems.getDefault().getPathMatcher("glob:" + spec.glob());
    } catch (IllegalArgumentException e) {
      throw new FoveaException("--glob '" + spec.glob() + "' is not a valid pattern ("
          + e.getMessage() + "): use for example '*.tif' or '*.{tif,png}'", e);
    }
    try (Stream<Path> s = Files.walk(in, spec.recursive() ? Integer.MAX_VALUE : 1)) {
      List<Path> files = s.filter(Files::isRegularFile)
          .filter(p -> !in.relativize(p).toString().startsWith(".")
              && !p.getFileName().toString().startsWith("."))
          .filter(p -> m.matches(p.getFileName()))
          .sorted().toList();
      if (files.isEmpty()) {
        throw new FoveaException("no file in " + spec.input() + (spec.recursive()
            ? " or its sub-folders" : "") + " matches '" + spec.glob() + "': check --glob"
            + (spec.recursive() ? "" : " or add --recursive"));
      }
      return files;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new FoveaException("cannot list the input folder " + spec.input() + " ("
          + e.getMessage() + "): check its permissions", e);
    }
  }

  /**
   * Names each file's outputs in the output folder, keeping the input's sub-folder, by the one
   * output-path policy ({@link OutputPaths}: files of one folder whose names collide without
   * their extension keep it), and refuses a batch in which an output would be an input or two
   * files would write one output.
   */
  private static Map<Path, List<Path>> plan(Path in, Path out, List<Path> files,
      BatchOperation op, List<String> notes) {
    Map<Path, List<Path>> byFolder = new LinkedHashMap<>();
    for (Path f : files) {
      Path rel = in.relativize(f).getParent();
      byFolder.computeIfAbsent(rel == null ? out : out.resolve(rel), k -> new ArrayList<>())
          .add(f);
    }
    Map<Path, List<Path>> plan = new LinkedHashMap<>();
    for (Map.Entry<Path, List<Path>> e : byFolder.entrySet()) {
      OutputPaths.Names names = OutputPaths.names(e.getValue());
      if (names.note() != null) {
        Path rel = in.relativize(e.getValue().get(0)).getParent();
        notes.add((rel == null ? "" : "in " + rel + ": ") + names.note());
      }
      for (Path f : e.getValue()) {
        plan.put(f, op.outputs(names.base(f)).stream().map(e.getKey()::resolve).toList());
      }
    }
    OutputPaths.check(plan);
    return plan;
  }
}
