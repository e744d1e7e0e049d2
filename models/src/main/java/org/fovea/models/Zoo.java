package org.fovea.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.ModelPackages;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;

/**
 * Finds models by name or path: the shipped demo models, the user's models, or any file.
 *
 * <p>Shipped models live in the folder named by the system property {@code fovea.zoo} (the
 * {@code fovea} launcher sets it to {@code models/zoo}); user models in {@code fovea.models}, the
 * environment variable {@code FOVEA_MODELS}, or {@code ~/.fovea/models}. A model is a
 * bioimage.io package (a folder with {@code rdf.yaml}, or a {@code .zip}), or a bare {@code .onnx},
 * {@code .pt} or SavedModel folder.
 *
 * @since 0.1.0
 */
public final class Zoo {

  /** The model that runs when none is named. */
  public static final String DEFAULT_MODEL = "nuclei-dilated";

  /** Where a listed model comes from. */
  public enum Origin {
    /** Shipped with Fovea. */
    SHIPPED,
    /** In the user's model folder. */
    USER
  }

  /**
   * A model found in a model folder.
   *
   * @param name the name to call it by
   * @param path its folder or file
   * @param origin shipped or user
   */
  public record Entry(String name, Path path, Origin origin) {}

  private Zoo() {}

  /** @return the folder of shipped models, or null when unknown */
  public static Path shippedFolder() {
    String p = System.getProperty("fovea.zoo");
    if (p == null && System.getProperty("fovea.root") != null) {
      p = Paths.get(System.getProperty("fovea.root"), "models", "zoo").toString();
    }
    return p == null ? null : Paths.get(p);
  }

  /** @return the folder of the user's models */
  public static Path userFolder() {
    String p = System.getProperty("fovea.models");
    if (p == null) {
      p = System.getenv("FOVEA_MODELS");
    }
    return p != null ? Paths.get(p) : Paths.get(System.getProperty("user.home"), ".fovea", "models");
  }

  /** @return the shipped and user models, shipped first, by name */
  public static List<Entry> list() {
    List<Entry> l = new ArrayList<>();
    scan(shippedFolder(), Origin.SHIPPED, l);
    scan(userFolder(), Origin.USER, l);
    return l;
  }

  private static void scan(Path dir, Origin origin, List<Entry> into) {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.sorted().forEach(p -> {
        String n = p.getFileName().toString();
        if (ModelPackages.isPackage(p) || n.endsWith(".onnx") || n.endsWith(".pt")
            || Files.isRegularFile(p.resolve("saved_model.pb"))) {
          into.add(new Entry(n.replaceFirst("\\.(zip|onnx|pt)$", ""), p, origin));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param nameOrPath a model name from {@link #list()}, or a path; null for the default model
   * @return the model's package
   * @throws FoveaException when nothing of that name or path exists, listing what does
   */
  public static ModelPackage resolve(String nameOrPath) {
    return resolve(nameOrPath, Bare.DEFAULT);
  }

  /**
   * @param nameOrPath a model name or path; null for the default model
   * @param bare how to read a bare model file (ignored for packages)
   * @return the model's package
   */
  public static ModelPackage resolve(String nameOrPath, Bare bare) {
    String n = nameOrPath == null || nameOrPath.isBlank() ? DEFAULT_MODEL : nameOrPath;
    Path p = Paths.get(n);
    if (!Files.exists(p)) {
      p = list().stream().filter(e -> e.name().equals(n)).map(Entry::path).findFirst()
          .orElseThrow(() -> new FoveaException("no model named or at '" + n + "': known models"
              + " are " + list().stream().map(Entry::name).toList() + "; give a path to a"
              + " bioimage.io package, .onnx, .pt or SavedModel folder"));
    }
    return read(p, bare);
  }

  /**
   * What a bare model file (no rdf.yaml) is taken to be: its axes and its normalization.
   *
   * @param axes input and output axes, such as {@code bcyx}
   * @param normalize {@code scale_range} (1st to 99.8th percentile), {@code
   *     zero_mean_unit_variance} or {@code none}
   */
  public record Bare(String axes, String normalize) {
    /** One channel in, class maps out, normalized from the 1st to the 99.8th percentile. */
    public static final Bare DEFAULT = new Bare("bcyx", "scale_range");

    List<org.fovea.models.pkg.ProcessingStep> steps(Axes a) {
      String spatial = a.spatial().stream().map(x -> String.valueOf(x.letter()))
          .reduce("", String::concat);
      return switch (normalize) {
        case "scale_range" -> List.of(org.fovea.models.pkg.Processing.of("scale_range",
            java.util.Map.of("axes", spatial, "min_percentile", 1.0, "max_percentile", 99.8), a));
        case "zero_mean_unit_variance" -> List.of(org.fovea.models.pkg.Processing.of(
            "zero_mean_unit_variance", java.util.Map.of("axes", spatial), a));
        case "none" -> List.of();
        default -> throw new FoveaException("unknown normalization '" + normalize + "': use"
            + " scale_range, zero_mean_unit_variance or none");
      };
    }
  }

  private static ModelPackage read(Path p, Bare bare) {
    if (ModelPackages.isPackage(p)) {
      return ModelPackages.read(p);
    }
    Axes a = Axes.of(bare.axes());
    long[] min = new long[a.size()];
    long[] step = new long[a.size()];
    for (int i = 0; i < a.size(); i++) {
      min[i] = 1;
      step[i] = a.get(i) == org.fovea.ops.net.Axis.CHANNEL ? 0 : 1;
    }
    return ModelPackages.bare(p, WeightFormat.guess(p), a, min, step, a, bare.steps(a));
  }
}
