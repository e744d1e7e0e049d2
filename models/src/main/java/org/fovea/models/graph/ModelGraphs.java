package org.fovea.models.graph;

import java.nio.file.Path;
import java.util.List;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.UnsupportedLayers;

/**
 * The layer graph of a model package, read from the weights that carry one.
 *
 * <p>ONNX files and TensorFlow SavedModels are read directly. A TorchScript archive holds Python
 * code, not a layer graph; for TorchScript weights the graph is read from the package's ONNX
 * export of the same weights (bioimage.io requires every weight format of a package to be the same
 * model, which {@code fovea models validate} checks to 1e-4), and a package with TorchScript alone
 * raises {@link UnsupportedLayers}, so that the caller measures the reach empirically on the
 * PyTorch engine.
 *
 * <pre>{@code
 * ModelGraph g = ModelGraphs.of(Zoo.resolve("nuclei-dilated"), null);
 * FieldReport r = ReceptiveFields.analyze(g.graph(), g.sizeOr(256));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ModelGraphs {

  private ModelGraphs() {}

  /**
   * @param pkg a model package
   * @param format the weights to read, or null for ONNX, else SavedModel, else TorchScript
   * @return the graph
   * @throws UnsupportedLayers when the graph has layers whose geometry is unknown, or none can be
   *     read (TorchScript alone)
   * @throws FoveaException when the package lacks the format or the file is malformed
   */
  public static ModelGraph of(ModelPackage pkg, WeightFormat format) {
    WeightFormat f = format;
    if (f == null) {
      f = List.of(WeightFormat.ONNX, WeightFormat.TENSORFLOW_SAVED_MODEL, WeightFormat.TORCHSCRIPT)
          .stream().filter(pkg.weights()::containsKey).findFirst()
          .orElseThrow(() -> new FoveaException("model '" + pkg.name() + "' has no ONNX,"
              + " TensorFlow or TorchScript weights: add one of them to analyse its receptive"
              + " field"));
    }
    Path w = pkg.weights().get(f);
    if (w == null) {
      throw new FoveaException("model '" + pkg.name() + "' has no " + f.key() + " weights (it has "
          + pkg.weights().keySet().stream().map(WeightFormat::key).toList() + "): choose one of"
          + " those formats");
    }
    boolean bare = pkg.formatVersion().isEmpty();
    Axes axes = bare || pkg.inputs().isEmpty() ? null : pkg.inputs().get(0).spec().axes();
    return switch (f) {
      case ONNX -> OnnxLayers.read(w);
      case TENSORFLOW_SAVED_MODEL -> SavedModelLayers.read(w, axes);
      case TORCHSCRIPT -> {
        Path onnx = pkg.weights().get(WeightFormat.ONNX);
        if (onnx == null) {
          throw new UnsupportedLayers(w.toString(), List.of("'" + w.getFileName()
              + "' (TorchScript program: Python code rather than a layer graph, and the package"
              + " has no ONNX export of the same weights)"), null);
        }
        yield OnnxLayers.read(onnx).withNote("TorchScript weights " + w.getFileName()
            + " analysed through the package's ONNX export of the same weights, "
            + onnx.getFileName());
      }
    };
  }

}
