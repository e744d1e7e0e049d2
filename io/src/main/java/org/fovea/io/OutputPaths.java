package org.fovea.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fovea.ops.net.FoveaException;

/**
 * The one output-path policy of every command and file job ({@code fovea segment}, {@code
 * instances}, {@code saliency}, {@code batch}, {@code fovea-spark}): <b>an output never
 * overwrites an input, nor another output of the same run.</b>
 *
 * <ul>
 *   <li>An output is named after its input's file name without the extension ({@code
 *       x.tif -> x-probabilities.tif}). Where two inputs written to one folder have the same name
 *       without extension (ignoring case: {@code c.tif}, {@code c.tiff}, {@code C.TIF}), their
 *       outputs keep the whole file name instead ({@code c.tif-probabilities.tif}, {@code
 *       c.tiff-probabilities.tif}): disambiguated, and the same in every run (so {@code --resume}
 *       finds them).
 *   <li>A run in which an output would still be an input (the same file, also through a link) or
 *       two outputs one file (inputs of the same name from different folders, or {@code -o} and
 *       {@code --csv} naming one file) is refused before the model is loaded and before anything
 *       is written, with a sentence naming the files.
 * </ul>
 *
 * <pre>{@code
 * OutputPaths.Names names = OutputPaths.names(inputs);
 * Map<Path, List<Path>> plan = new LinkedHashMap<>();
 * for (Path in : inputs) {
 *   plan.put(in, List.of(names.of(in, output, inputs.size(), "-probabilities.tif")));
 * }
 * OutputPaths.check(plan);
 * }</pre>
 *
 * @since 0.3.0
 */
public final class OutputPaths {

  private OutputPaths() {}

  /** Each input's base name: its file name without the extension, or whole where that collides. */
  public static final class Names {
    private final Map<Path, String> base = new HashMap<>();
    private final List<String> kept = new java.util.ArrayList<>();

    private Names(List<Path> inputs) {
      Map<Path, Path> seen = new HashMap<>();
      for (Path in : inputs) {
        Path before = seen.put(key(in), in);
        if (before != null) {
          throw new FoveaException("the input " + in + " is given twice" + (before.equals(in) ? ""
              : " (also as " + before + ")") + ": give each image once");
        }
      }
      Map<String, Integer> stems = new HashMap<>();
      Map<String, Integer> whole = new HashMap<>();
      for (Path in : inputs) {
        stems.merge(lower(stem(in)), 1, Integer::sum);
        whole.merge(in.getFileName().toString(), 1, Integer::sum);
      }
      for (Path in : inputs) {
        String name = in.getFileName().toString();
        // the whole name only where it tells them apart (d1/x.tif, d2/x.tif: it does not)
        boolean keep = stems.get(lower(stem(in))) > 1 && whole.get(name) == 1;
        base.put(in, keep ? name : stem(in));
        if (keep) {
          kept.add(name);
        }
      }
    }

    /**
     * @return a sentence saying which inputs' outputs keep their extension, or null when none
     */
    public String note() {
      return kept.isEmpty() ? null : String.join(", ", kept) + " have the same name without"
          + " their extension, so their outputs keep it (" + kept.get(0) + "-...): none"
          + " overwrites another";
    }

    /**
     * @param in one of the inputs
     * @return the name its outputs start with
     */
    public String base(Path in) {
      String b = base.get(in);
      if (b == null) {
        throw new IllegalArgumentException(in + " is not one of the inputs named");
      }
      return b;
    }

    /**
     * @param in one of the inputs
     * @param output the user's output: a file (one input), a folder, or null (the current folder)
     * @param inputs how many inputs the run has
     * @param suffix appended to the base name
     * @return where the output goes
     */
    public Path of(Path in, Path output, int inputs, String suffix) {
      String name = base(in) + suffix;
      if (output == null) {
        return Paths.get(name);
      }
      if (inputs > 1 || Files.isDirectory(output)) {
        return output.resolve(name);
      }
      return output;
    }
  }

  /**
   * @param inputs the inputs whose outputs go to one folder
   * @return their base names
   * @throws FoveaException when an input is named twice
   */
  public static Names names(List<Path> inputs) {
    return new Names(inputs);
  }

  /** @return the file name without its last extension */
  static String stem(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * Refuses a run that would overwrite one of its inputs or write two outputs to one file.
   *
   * @param plan each input (in order) and the files the run writes for it
   * @throws FoveaException naming the files, before anything is written
   */
  public static void check(Map<Path, List<Path>> plan) {
    Map<Object, Path> inputs = new HashMap<>();
    for (Path in : plan.keySet()) {
      inputs.put(key(in), in);
      Object id = fileKey(in);
      if (id != null) {
        inputs.put(id, in);
      }
    }
    Map<Path, Path> writer = new HashMap<>();
    for (Map.Entry<Path, List<Path>> e : plan.entrySet()) {
      for (Path o : e.getValue()) {
        Path key = key(o);
        Object id = fileKey(o);
        Path in = inputs.get(key);
        if (in == null && id != null) {
          in = inputs.get(id); // the same file through a hard link, or another case of its name
        }
        if (in != null) {
          throw new FoveaException("the output " + o + (in.equals(e.getKey())
              ? " is its input image itself" : " is the input " + in) + ": writing it would"
              + " destroy the input; choose another output name or folder");
        }
        Path before = writer.put(key, e.getKey());
        if (before != null) {
          throw new FoveaException(before.equals(e.getKey())
              ? "two outputs of " + before + " would be the same file " + o + ": give the"
                  + " outputs (-o, --csv, --rois, --overlay) different names"
              : before + " and " + e.getKey() + " would both be written to " + o + ", the first"
                  + " lost: give the inputs different names, or write them to different folders");
        }
      }
    }
  }

  /** The file system's identity of an existing file (device and inode), or null. */
  private static Object fileKey(Path p) {
    try {
      return Files.exists(p) ? Files.readAttributes(p,
          java.nio.file.attribute.BasicFileAttributes.class).fileKey() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The path, absolute, normalized, its existing folders resolved through links. */
  static Path key(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir != null && Files.isDirectory(dir)) {
      try {
        return dir.toRealPath().resolve(abs.getFileName());
      } catch (IOException e) {
        return abs;
      }
    }
    return abs;
  }
}
