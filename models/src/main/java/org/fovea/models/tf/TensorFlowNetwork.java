package org.fovea.models.tf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.LayerGradients;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** A loaded SavedModel, fed and fetched through its serving signature's tensor names. */
final class TensorFlowNetwork implements Network {

  private final SavedModelBundle bundle;
  private final SavedModelDir dir;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final Map<String, String> feeds;
  private final Map<String, String> fetches;
  private final String device;
  private Optional<Differentiable> gradient;
  private Optional<LayerGradients> layers;

  /**
   * @param bundle the loaded model; closed with this network
   * @param dir where it was loaded from; closed with this network
   * @param inputs input specs, in order
   * @param outputs output specs, in order
   * @param feeds per input spec name, the graph tensor to feed ({@code op:index})
   * @param fetches per output spec name, the graph tensor to fetch
   * @param device the device that runs it
   */
  TensorFlowNetwork(SavedModelBundle bundle, SavedModelDir dir, List<TensorSpec> inputs,
      List<TensorSpec> outputs, Map<String, String> feeds, Map<String, String> fetches,
      String device) {
    this.bundle = bundle;
    this.dir = dir;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.feeds = Map.copyOf(feeds);
    this.fetches = Map.copyOf(fetches);
    this.device = device;
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public Map<String, Tensor> predict(Map<String, Tensor> in) {
    Map<String, Tensor> checked = new LinkedHashMap<>();
    for (TensorSpec s : inputs) {
      checked.put(feeds.get(s.name()), check(s, in.get(s.name())));
    }
    List<String> names = outputs.stream().map(o -> fetches.get(o.name())).toList();
    List<Tensor> res = run(checked, names, outputs.stream().map(TensorSpec::axes).toList());
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      out.put(outputs.get(i).name(), res.get(i));
    }
    return out;
  }

  /** Checks that a tensor fits its spec, with a sentence naming the tensor when not. */
  static Tensor check(TensorSpec s, Tensor t) {
    if (t == null) {
      throw new FoveaException("no tensor was given for the input '" + s.name()
          + "' of the TensorFlow model: pass one tensor per input, by name");
    }
    if (!t.axes().equals(s.axes())) {
      throw new FoveaException("the input '" + s.name() + "' has axes '" + t.axes()
          + "' but the model takes '" + s.axes() + "': reorder the tensor's axes");
    }
    String why = s.checkShape(t.shape());
    if (why != null) {
      throw new FoveaException(why + ": pad or crop the input to an allowed size");
    }
    return t;
  }

  /**
   * Runs the session once.
   *
   * @param feeds graph tensor name to value
   * @param fetches graph tensor names to fetch
   * @param axes the axes to give each fetched tensor
   * @return the fetched tensors, in order
   */
  List<Tensor> run(Map<String, Tensor> feeds, List<String> fetches, List<Axes> axes) {
    List<TFloat32> fed = new ArrayList<>();
    try {
      Session.Runner r = bundle.session().runner();
      for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
        Tensor t = e.getValue();
        TFloat32 v = TFloat32.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
        fed.add(v);
        r.feed(e.getKey(), v);
      }
      fetches.forEach(r::fetch);
      try (Result res = r.run()) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
          out.add(toTensor(res.get(i), axes.get(i), fetches.get(i)));
        }
        return out;
      }
    } catch (FoveaException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new FoveaException("TensorFlow failed to run " + dir.dir() + " on " + device + " ("
          + e.getMessage() + "): check the input sizes against the model's description", e);
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  private Tensor toTensor(org.tensorflow.Tensor t, Axes axes, String name) {
    if (!(t instanceof TFloat32 f)) {
      throw new FoveaException("the TensorFlow model " + dir.dir() + " returns " + t.dataType()
          + " for '" + name + "', not float32: Fovea reads float outputs only");
    }
    long[] shape = f.shape().asArray();
    if (shape.length != axes.size()) {
      throw new FoveaException("the TensorFlow model " + dir.dir() + " returns shape "
          + Arrays.toString(shape) + " for '" + name + "', which does not match the axes '"
          + axes + "' of its description: fix the output axes in the model description");
    }
    float[] data = new float[Math.toIntExact(f.shape().size())];
    f.copyTo(DataBuffers.of(data, false, false));
    return new Tensor(axes, shape, data);
  }

  @Override
  public String engine() {
    return "tensorflow";
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public synchronized Optional<Differentiable> gradients() {
    if (gradient == null) {
      gradient = inputs.size() == 1 && !outputs.isEmpty()
          ? TfGradient.build(this, bundle.graph(), feeds.get(inputs.get(0).name()),
              fetches.get(outputs.get(0).name()), inputs.get(0), outputs.get(0))
          : Optional.empty();
    }
    return gradient;
  }

  @Override
  public String noGradientsReason() {
    String op = TfGradient.dilatedOp(bundle.graph());
    return op != null ? TfGradient.dilationRefusal(dir.dir(), op)
        : "TensorFlow cannot differentiate the SavedModel " + dir.dir() + " (an op has no"
            + " registered gradient, or it has more than one input)";
  }

  @Override
  public synchronized Optional<LayerGradients> layerGradients() {
    if (layers == null) {
      layers = inputs.size() == 1 && !outputs.isEmpty()
          && TfGradient.dilatedOp(bundle.graph()) == null
          ? Optional.of(new TfLayerGradients(this, bundle.graph(),
              feeds.get(inputs.get(0).name()), fetches.get(outputs.get(0).name()), inputs.get(0)))
          : Optional.empty();
    }
    return layers;
  }

  /** @return the SavedModel folder, for messages */
  Path folder() {
    return dir.dir();
  }

  @Override
  public void close() {
    try {
      bundle.close();
    } finally {
      dir.close();
    }
  }
}
