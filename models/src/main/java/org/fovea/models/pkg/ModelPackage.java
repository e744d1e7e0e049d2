package org.fovea.models.pkg;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.TensorSpec;

/**
 * A bioimage.io model package as Fovea reads it (see {@link ModelPackages#read(Path)}).
 *
 * @param root the folder that holds the package's description (for a zip, the folder it was
 *     extracted to; for a bare model, the folder of the weights)
 * @param source what the package was read from, absolute: a folder, an {@code rdf.yaml} or a
 *     {@code .zip} (for a bare model, the weights)
 * @param name the model's name
 * @param description the model's one-line description, or an empty string
 * @param formatVersion the description's {@code format_version}, such as {@code 0.5.3}, or an
 *     empty string for a bare model
 * @param inputs the input tensors, in the model's order
 * @param outputs the output tensors, in the model's order
 * @param weights the absolute paths of the weight files or folders of the formats Fovea knows; a
 *     zipped TensorFlow SavedModel appears as the folder it was extracted to
 * @param otherWeights the {@code weights} keys of formats Fovea does not run, such as {@code
 *     pytorch_state_dict}, in the package's order
 * @param testInputs the absolute paths of the test input tensors ({@code .npy}), one per input,
 *     or an empty list
 * @param testOutputs the absolute paths of the expected test outputs, one per output, or an empty
 *     list
 * @param tolerances the package's {@code config.bioimageio.reproducibility_tolerance} entries
 *     (bioimage.io 0.5), or an empty list
 * @since 0.1.0
 */
public record ModelPackage(Path root, Path source, String name, String description,
    String formatVersion, List<TensorDescription> inputs, List<TensorDescription> outputs,
    Map<WeightFormat, Path> weights, List<String> otherWeights, List<Path> testInputs,
    List<Path> testOutputs, List<ReproducibilityTolerance> tolerances) {

  /** Checks the required parts and copies every collection so that the package cannot change. */
  public ModelPackage {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    formatVersion = formatVersion == null ? "" : formatVersion;
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    EnumMap<WeightFormat, Path> w = new EnumMap<>(WeightFormat.class);
    w.putAll(weights);
    weights = Collections.unmodifiableMap(w);
    otherWeights = otherWeights == null ? List.of() : List.copyOf(otherWeights);
    testInputs = testInputs == null ? List.of() : List.copyOf(testInputs);
    testOutputs = testOutputs == null ? List.of() : List.copyOf(testOutputs);
    tolerances = tolerances == null ? List.of() : List.copyOf(tolerances);
  }

  /**
   * @return the description file the package was read from ({@code rdf.yaml}, {@code
   *     *.bioimageio.yaml}), or null for a bare model
   */
  public Path descriptionFile() {
    if (formatVersion.isEmpty()) {
      return null;
    }
    String n = source.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (java.nio.file.Files.isRegularFile(source) && (n.endsWith(".yaml") || n.endsWith(".yml"))) {
      return source;
    }
    return Layout.find(root, Layout::isRdf);
  }

  /** @return the specs of the inputs, in order */
  public List<TensorSpec> inputSpecs() {
    return inputs.stream().map(TensorDescription::spec).toList();
  }

  /** @return the specs of the outputs, in order */
  public List<TensorSpec> outputSpecs() {
    return outputs.stream().map(TensorDescription::spec).toList();
  }

  /**
   * @param tensorName an input's name
   * @return that input
   * @throws FoveaException when the package has no input of that name
   */
  public TensorDescription input(String tensorName) {
    return find(inputs, tensorName, "input");
  }

  /**
   * @param tensorName an output's name
   * @return that output
   * @throws FoveaException when the package has no output of that name
   */
  public TensorDescription output(String tensorName) {
    return find(outputs, tensorName, "output");
  }

  private TensorDescription find(List<TensorDescription> list, String tensorName, String what) {
    for (TensorDescription d : list) {
      if (d.name().equals(tensorName)) {
        return d;
      }
    }
    throw new FoveaException("model package " + source + " has no " + what + " named '"
        + tensorName + "'; use one of " + list.stream().map(TensorDescription::name).toList());
  }
}
