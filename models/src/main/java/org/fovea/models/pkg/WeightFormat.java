package org.fovea.models.pkg;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fovea.ops.net.FoveaException;

/**
 * The weight formats Fovea runs, with their bioimage.io keys.
 *
 * @since 0.1.0
 */
public enum WeightFormat {
  /** An ONNX graph, {@code .onnx}. */
  ONNX("onnx"),
  /** A TorchScript archive, {@code .pt}. */
  TORCHSCRIPT("torchscript"),
  /** A TensorFlow SavedModel folder (or a {@code .zip} of one). */
  TENSORFLOW_SAVED_MODEL("tensorflow_saved_model_bundle");

  private final String key;

  WeightFormat(String key) {
    this.key = key;
  }

  /** @return the bioimage.io {@code weights} key */
  public String key() {
    return key;
  }

  /**
   * @param key a bioimage.io weights key
   * @return the format, or null when Fovea does not run it
   */
  public static WeightFormat fromKey(String key) {
    for (WeightFormat f : values()) {
      if (f.key.equals(key)) {
        return f;
      }
    }
    return null;
  }

  /**
   * Guesses the format of a bare weights file or folder from its name and content.
   *
   * @param p a path
   * @return the format
   * @throws FoveaException when the path is none of the three
   */
  public static WeightFormat guess(Path p) {
    String n = p.getFileName().toString().toLowerCase();
    if (Files.isDirectory(p) && Files.exists(p.resolve("saved_model.pb"))) {
      return TENSORFLOW_SAVED_MODEL;
    }
    if (n.endsWith(".onnx")) {
      return ONNX;
    }
    if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".torchscript")) {
      return TORCHSCRIPT;
    }
    throw new FoveaException(p + " is not a model Fovea can read: give a bioimage.io package "
        + "(folder or .zip with rdf.yaml), an .onnx file, a TorchScript .pt file, or a SavedModel "
        + "folder with saved_model.pb");
  }
}
