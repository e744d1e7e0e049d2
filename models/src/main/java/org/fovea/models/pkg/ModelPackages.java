package org.fovea.models.pkg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.TensorSpec;

/**
 * Reads bioimage.io model packages (format 0.4.x and 0.5.x), and wraps bare model files.
 *
 * <p>Reading never downloads and never runs anything: the description is parsed as plain YAML
 * (tags that would construct Java types are refused), every file it names must lie inside the
 * package, and checksums given in the description are verified. A zipped package is extracted
 * safely (no entry may land outside its folder; size and entry count are limited) into {@code
 * <fovea.cache>/packages/<first 16 hex digits of the zip's SHA-256>}, where {@code fovea.cache} is
 * the system property of that name or else {@code ~/.cache/fovea}; a complete extraction is
 * reused.
 *
 * @since 0.1.0
 */
public final class ModelPackages {

  private ModelPackages() {}

  /**
   * @param path a file or folder
   * @return whether it is a model package: a {@code .zip}, a description file ({@code rdf.yaml},
   *     {@code bioimageio.yaml}, {@code NAME.bioimageio.yaml} or another {@code .yaml}), or a
   *     folder holding one at its top or in its single sub-folder
   */
  public static boolean isPackage(Path path) {
    String n = path.getFileName() == null ? ""
        : path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".zip") || n.endsWith(".yaml") || n.endsWith(".yml")) {
      return true;
    }
    if (!Files.isDirectory(path)) {
      return false;
    }
    try {
      return Layout.find(path, Layout::isRdf) != null;
    } catch (FoveaException several) {
      return true; // several descriptions: reading it says which to name
    }
  }

  /**
   * Reads a model package.
   *
   * @param folderOrRdfOrZip a package folder (holding {@code rdf.yaml} or {@code
   *     *.bioimageio.yaml} at its top or in its single sub-folder), the description file itself,
   *     or a {@code .zip} of a package
   * @return the package
   * @throws FoveaException with a sentence naming the file and the fix when the path is missing,
   *     not a package, unsafe, or the description is invalid
   */
  public static ModelPackage read(Path folderOrRdfOrZip) {
    if (folderOrRdfOrZip == null) {
      throw new FoveaException("no model package was given; give a package folder, its rdf.yaml "
          + "or a bioimage.io .zip");
    }
    Path source = folderOrRdfOrZip.toAbsolutePath().normalize();
    if (!Files.exists(source)) {
      throw new FoveaException(source + " does not exist; give a package folder, its rdf.yaml "
          + "or a bioimage.io .zip");
    }
    if (Files.isDirectory(source)) {
      Path rdf = Layout.find(source, Layout::isRdf);
      if (rdf == null) {
        throw new FoveaException(source + " holds no rdf.yaml (nor *.bioimageio.yaml) at its top "
            + "or in a single sub-folder; give the folder of an unpacked bioimage.io package");
      }
      return RdfReader.read(rdf, rdf.getParent(), source);
    }
    String n = source.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".yaml") || n.endsWith(".yml")) {
      return RdfReader.read(source, source.getParent(), source);
    }
    if (!SafeZip.looksLikeZip(source)) {
      throw new FoveaException(source + " is not a zip file, a folder or an rdf.yaml; give a "
          + "package folder, its rdf.yaml or a bioimage.io .zip");
    }
    Path dir = PackageCache.extract(source, entries -> {
      if (!Layout.contains(entries, Layout::isRdf, source)) {
        throw new FoveaException(source + " holds no rdf.yaml (nor *.bioimageio.yaml) at its top "
            + "or in a single top folder, so it is not a bioimage.io model package; give the "
            + "package's .zip as bioimage.io exports it");
      }
    });
    Path rdf = Layout.find(dir, Layout::isRdf);
    if (rdf == null) {
      throw new FoveaException("the extracted copy of " + source + " in " + dir + " holds no "
          + "rdf.yaml; delete that folder and read the package again");
    }
    return RdfReader.read(rdf, rdf.getParent(), source);
  }

  /**
   * Describes a model file that comes without a description: one input named {@code input} and
   * one output named {@code output} whose sizes follow the input's (scale 1, offset 0 on the axes
   * both have; size 1 on output axes the input lacks), no halo, no postprocessing.
   *
   * @param weights the model file or folder ({@code .onnx}, TorchScript {@code .pt}, SavedModel
   *     folder or {@code .zip} of one)
   * @param format its format, or null to guess from the name and content
   * @param inputAxes the input's axes
   * @param min the input's minimum size per axis
   * @param step the input's size step per axis (0 for a fixed size)
   * @param outputAxes the output's axes
   * @param preprocessing the steps to run on the input, or null for none
   * @return the package; its {@code formatVersion} is empty and its name is the file's name
   * @throws FoveaException when the file is missing or the sizes do not match the axes
   */
  public static ModelPackage bare(Path weights, WeightFormat format, Axes inputAxes, long[] min,
      long[] step, Axes outputAxes, List<ProcessingStep> preprocessing) {
    if (weights == null || !Files.exists(weights)) {
      throw new FoveaException("the model file " + weights + " does not exist; give the path of "
          + "an .onnx file, a TorchScript .pt file or a SavedModel folder");
    }
    Path w = weights.toAbsolutePath().normalize();
    WeightFormat fmt = format != null ? format : WeightFormat.guess(w);
    if (min.length != inputAxes.size() || step.length != inputAxes.size()) {
      throw new FoveaException("the sizes given for " + w + " (min " + Arrays.toString(min)
          + ", step " + Arrays.toString(step) + ") do not have one entry per input axis '"
          + inputAxes + "'; give one minimum and one step per axis");
    }
    Path resolved = fmt == WeightFormat.TENSORFLOW_SAVED_MODEL ? RdfReader.savedModel(w,
        "the bare model " + w) : w;
    TensorSpec in;
    try {
      in = new TensorSpec("input", inputAxes, min, step, new long[min.length], null, null, null);
    } catch (IllegalArgumentException e) {
      throw new FoveaException("the input sizes given for " + w + " are invalid (" + e.getMessage()
          + "); give non-negative minimums and steps", e);
    }
    int n = outputAxes.size();
    double[] scale = new double[n];
    long[] outMin = new long[n];
    for (int i = 0; i < n; i++) {
      Axis a = outputAxes.get(i);
      scale[i] = 1;
      outMin[i] = inputAxes.has(a) ? 0 : 1;
    }
    TensorSpec out = new TensorSpec("output", outputAxes, outMin, new long[n], new long[n],
        "input", scale, new long[n]);
    Path root = w.getParent() == null ? w : w.getParent();
    return new ModelPackage(root, w, w.getFileName().toString(), "", "",
        List.of(new TensorDescription(in, preprocessing, List.of())),
        List.of(new TensorDescription(out, List.of(), List.of())), Map.of(fmt, resolved),
        List.of(), List.of(), List.of(), List.of());
  }
}
