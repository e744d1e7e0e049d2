package org.fovea.models.tf;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.fovea.models.onnx.OnnxModel;
import org.fovea.ops.net.FoveaException;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;

/**
 * Converts an ONNX model of 2D convolutional layers into a TensorFlow SavedModel folder that
 * computes the same function on the same NCHW tensors.
 *
 * <p>Inside, the graph works in NHWC: ONNX Conv becomes explicit zero padding and a VALID Conv2D
 * (weights reordered from OIHW to HWIO, grouped convolutions split or depthwise), MaxPool pads with
 * -infinity, Resize (nearest, whole factors) becomes ResizeNearestNeighbor, Concat and Softmax move
 * their axis. Weights are graph constants. The SavedModel has the tag {@code serve} and the
 * signature {@code serving_default}, whose input and output keys are the ONNX names.
 *
 * @since 0.1.0
 */
public final class OnnxToSavedModel {

  /** How a convolution with dilations above 1 is built. */
  public enum DilatedConv {
    /** Conv2D's own {@code dilations} attribute: one op, but TensorFlow's gradient ignores it. */
    NATIVE,
    /** SpaceToBatchND, undilated VALID convolution, BatchToSpaceND: same values, exact gradients. */
    SPACE_TO_BATCH
  }

  private OnnxToSavedModel() {}

  /**
   * Converts with dilated convolutions built as {@link DilatedConv#SPACE_TO_BATCH}.
   *
   * @param onnx the {@code .onnx} file
   * @param out the SavedModel folder to create; it must not exist, or be empty
   * @throws FoveaException when the model cannot be read or converted or the folder not written
   */
  public static void convert(Path onnx, Path out) {
    convert(OnnxModel.read(onnx), out, DilatedConv.SPACE_TO_BATCH);
  }

  /**
   * Converts a model already read. The folder is written under a temporary name next to
   * {@code out} and renamed when complete, so {@code out} never holds half a model.
   *
   * @param model the ONNX model
   * @param out the SavedModel folder to create; it must not exist, or be empty
   * @param dilated how to build dilated convolutions
   * @throws FoveaException when the model cannot be converted or the folder not written
   */
  public static void convert(OnnxModel model, Path out, DilatedConv dilated) {
    TfNatives.require();
    Path target = out.toAbsolutePath().normalize();
    checkTarget(target);
    Path tmp = null;
    try (Graph g = new Graph()) {
      Signature sig = new OnnxTranslator(model, Ops.create(g), dilated == DilatedConv.NATIVE)
          .translate();
      Files.createDirectories(target.getParent());
      tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp");
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(tmp.toString()).withTags(SavedModelBundle.DEFAULT_TAG)
            .withSession(s).withSignature(sig).export();
      }
      Files.deleteIfExists(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException | RuntimeException e) {
      if (e instanceof FoveaException f) {
        throw f;
      }
      throw new FoveaException("cannot write the SavedModel " + out + " (" + e.getMessage()
          + "): check that its parent folder is writable and has free space", e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void checkTarget(Path target) {
    if (Files.isDirectory(target)) {
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isEmpty()) {
          return;
        }
      } catch (IOException e) {
        // reported below as not empty
      }
    }
    if (Files.exists(target)) {
      throw new FoveaException("cannot write the SavedModel to " + target
          + " because it already exists: remove it or choose another folder",
          new FileAlreadyExistsException(target.toString()));
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover hidden temporary folder does no harm
    }
  }

  /**
   * Command line: {@code OnnxToSavedModel IN.onnx OUT_DIR [--native-dilation]}.
   *
   * @param args the ONNX file, the SavedModel folder to create, and optionally
   *     {@code --native-dilation}
   */
  public static void main(String[] args) {
    if (args.length < 2 || args.length > 3 || (args.length == 3
        && !args[2].equals("--native-dilation"))) {
      System.err.println("usage: OnnxToSavedModel IN.onnx OUT_DIR [--native-dilation]");
      System.exit(2);
    }
    try {
      DilatedConv d = args.length == 3 ? DilatedConv.NATIVE : DilatedConv.SPACE_TO_BATCH;
      convert(OnnxModel.read(Path.of(args[0])), Path.of(args[1]), d);
      System.out.println("wrote " + Path.of(args[1]).toAbsolutePath());
    } catch (FoveaException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
