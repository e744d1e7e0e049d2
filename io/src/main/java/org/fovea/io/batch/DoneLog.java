package org.fovea.io.batch;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.FoveaException;

/**
 * The record of finished files in an output folder, {@code .fovea-batch-done.jsonl}: one JSON
 * line per file, appended only after all of the file's outputs were renamed into place. A file
 * counts as complete when its line names the same operation and options, the input still has the
 * recorded size and modification time, and every output still has its recorded size and
 * modification time. A run killed half-way leaves no line (or a broken last line, which is
 * ignored) for the file it was writing, so that file is done again. {@code fovea batch --resume}
 * and {@code fovea-spark ... --resume} read and write the same log.
 *
 * @since 0.1.0
 */
public final class DoneLog {

  /** The log's file name in the output folder. */
  public static final String NAME = ".fovea-batch-done.jsonl";

  /**
   * One finished file.
   *
   * @param file the input's name relative to the input folder
   * @param operation the operation and the options that change its outputs
   * @param inputSize the input's size in bytes then
   * @param inputMillis the input's modification time then
   * @param objects objects found, or null
   * @param outputs the outputs then
   */
  public record Entry(String file, String operation, long inputSize, long inputMillis,
      Integer objects, List<Output> outputs) implements java.io.Serializable {}

  /**
   * One output as it was when finished.
   *
   * @param name its file name
   * @param size its size in bytes
   * @param millis its modification time
   */
  public record Output(String name, long size, long millis) implements java.io.Serializable {}

  private static final Gson GSON = new Gson();
  private final Path path;
  private final Map<String, Entry> entries = new HashMap<>();

  private DoneLog(Path path) {
    this.path = path;
  }

  /**
   * Reads the log of an output folder (an absent log is empty). Later lines replace earlier ones
   * for the same file; broken lines are skipped.
   *
   * @param outputDir the output folder
   * @return its log
   * @throws FoveaException when the log cannot be read
   */
  public static DoneLog open(Path outputDir) {
    DoneLog log = new DoneLog(outputDir.resolve(NAME));
    if (!Files.isRegularFile(log.path)) {
      return log;
    }
    try {
      String text = Files.readString(log.path, StandardCharsets.UTF_8);
      String[] lines = text.split("\n", -1);
      // the last piece has no newline: empty, or a line cut off by a killed run
      for (int i = 0; i < lines.length - 1; i++) {
        try {
          Entry e = GSON.fromJson(lines[i], Entry.class);
          if (e != null && e.file() != null && e.outputs() != null) {
            log.entries.put(e.file(), e);
          }
        } catch (JsonParseException ignored) {
          // a damaged line: that file is simply done again
        }
      }
      if (!text.isEmpty() && !text.endsWith("\n")) {
        Files.writeString(log.path, "\n", StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new FoveaException("cannot read the batch log " + log.path + " (" + e.getMessage()
          + "): delete it to process every file again", e);
    }
    return log;
  }

  /**
   * @param file the input's name relative to the input folder
   * @return what the log says of it, or null
   */
  public synchronized Entry entry(String file) {
    return entries.get(file);
  }

  /**
   * @param file the input's name relative to the input folder
   * @param operation the operation and its options
   * @param input the input
   * @param outputs its outputs
   * @return the entry when the file's outputs are complete and made by {@code operation} from
   *     the input as it is now, else null
   */
  public synchronized Entry complete(String file, String operation, Path input,
      List<Path> outputs) {
    return complete(entries.get(file), operation, input, outputs);
  }

  /**
   * The check of {@link #complete(String, String, Path, List)} on an entry read elsewhere (such
   * as on the Spark driver, checked on an executor).
   *
   * @param e the entry, or null
   * @param operation the operation and its options
   * @param input the input
   * @param outputs its outputs
   * @return the entry when it is complete, else null
   */
  public static Entry complete(Entry e, String operation, Path input, List<Path> outputs) {
    if (e == null || !operation.equals(e.operation()) || e.outputs().size() != outputs.size()) {
      return null;
    }
    try {
      if (Files.size(input) != e.inputSize()
          || Files.getLastModifiedTime(input).toMillis() != e.inputMillis()) {
        return null;
      }
      for (int i = 0; i < outputs.size(); i++) {
        Path p = outputs.get(i);
        Output o = e.outputs().get(i);
        if (!Files.isRegularFile(p) || !p.getFileName().toString().equals(o.name())
            || Files.size(p) != o.size() || Files.getLastModifiedTime(p).toMillis() != o.millis()) {
          return null;
        }
      }
    } catch (IOException ex) {
      return null;
    }
    return e;
  }

  /**
   * Records a finished file: call only after all its outputs are in place.
   *
   * @param file the input's name relative to the input folder
   * @param operation the operation and its options
   * @param input the input
   * @param outputs its outputs, in place
   * @param objects objects found, or null
   * @throws FoveaException when the log cannot be written
   */
  public synchronized void add(String file, String operation, Path input, List<Path> outputs,
      Integer objects) {
    try {
      List<Output> outs = new java.util.ArrayList<>();
      for (Path p : outputs) {
        outs.add(new Output(p.getFileName().toString(), Files.size(p),
            Files.getLastModifiedTime(p).toMillis()));
      }
      Entry e = new Entry(file, operation, Files.size(input),
          Files.getLastModifiedTime(input).toMillis(), objects, outs);
      Files.writeString(path, GSON.toJson(e) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
      entries.put(file, e);
    } catch (IOException ex) {
      throw new FoveaException("cannot write the batch log " + path + " (" + ex.getMessage()
          + "): check that the output folder is writable", ex);
    }
  }
}
