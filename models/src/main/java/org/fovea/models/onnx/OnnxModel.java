package org.fovea.models.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fovea.ops.net.FoveaException;

/**
 * An ONNX model file, read without ONNX Runtime: its operator set versions and its graph with
 * every node, attribute and initializer. Used to convert models and to analyse their receptive
 * field.
 *
 * @since 0.1.0
 */
public final class OnnxModel {

  private final Path file;
  private final long irVersion;
  private final Map<String, Long> opsets;
  private final String producerName;
  private final String producerVersion;
  private final OnnxGraph graph;

  OnnxModel(Path file, long irVersion, Map<String, Long> opsets, String producerName,
      String producerVersion, OnnxGraph graph) {
    this.file = file;
    this.irVersion = irVersion;
    this.opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
    this.producerName = producerName;
    this.producerVersion = producerVersion;
    this.graph = graph;
  }

  /**
   * Reads an {@code .onnx} file. Weights kept in external data files are read from the model's
   * folder.
   *
   * @param file the model file
   * @return the model
   * @throws FoveaException when the file is missing, unreadable, truncated or not ONNX
   */
  public static OnnxModel read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new FoveaException(file + " does not exist: check the path of the ONNX model", e);
    } catch (IOException e) {
      throw new FoveaException("cannot read " + file + " (" + e.getMessage()
          + "): check that it is a readable file", e);
    } catch (OutOfMemoryError e) {
      throw new FoveaException(file + " is too large to read into memory: give Java more memory "
          + "with -Xmx", e);
    }
    return parse(bytes, file);
  }

  /**
   * Parses the bytes of an {@code .onnx} file.
   *
   * @param bytes the file's content
   * @param file where it came from, for messages and external data files
   * @return the model
   * @throws FoveaException when the bytes are not a complete ONNX model
   */
  public static OnnxModel parse(byte[] bytes, Path file) {
    try {
      return new OnnxParser(file).model(bytes);
    } catch (ProtoReader.Corrupt e) {
      throw new FoveaException(file + " is not a readable ONNX model (" + e.getMessage()
          + "): re-export it", e);
    }
  }

  /** @return the file it was read from */
  public Path file() {
    return file;
  }

  /** @return the ONNX IR version of the file format */
  public long irVersion() {
    return irVersion;
  }

  /** @return the operator set version of the default ONNX domain, such as 17 */
  public long opsetVersion() {
    return opsets.get("");
  }

  /** @return operator set versions by domain; the default ONNX domain is the empty string */
  public Map<String, Long> opsets() {
    return opsets;
  }

  /** @return the exporting tool, such as {@code pytorch}, or empty */
  public String producerName() {
    return producerName;
  }

  /** @return the exporting tool's version, or empty */
  public String producerVersion() {
    return producerVersion;
  }

  /** @return the main graph */
  public OnnxGraph graph() {
    return graph;
  }

  @Override
  public String toString() {
    return "OnnxModel[" + file + ", opset " + opsetVersion() + ", " + graph + "]";
  }
}
