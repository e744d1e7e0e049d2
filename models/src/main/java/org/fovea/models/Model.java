package org.fovea.models;

import java.util.List;
import java.util.Map;
import org.fovea.models.engine.EngineProvider;
import org.fovea.models.engine.Engines;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.Processing;
import org.fovea.models.pkg.ProcessingStep;
import org.fovea.models.pkg.References;
import org.fovea.models.pkg.TensorDescription;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * A model package loaded on an engine: pre-processing, the network, post-processing.
 *
 * <pre>{@code
 * try (Model m = Model.load(Zoo.resolve("nuclei-dilated"), null, "cpu")) {
 *   Tensor probabilities = m.run(raw);   // raw: bcyx float tensor, before normalization
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Model implements AutoCloseable {

  private final ModelPackage pkg;
  private final Network network;
  private final WeightFormat format;
  private Halo halo;
  private java.util.Optional<org.fovea.models.pkg.InstanceConfig> instances;

  private Model(ModelPackage pkg, Network network, WeightFormat format, boolean verify) {
    this.pkg = pkg;
    this.format = format;
    this.network = verify ? new VerifiedNetwork(network, this) : network;
  }

  /**
   * Loads a package on an engine.
   *
   * @param pkg the model package
   * @param engine an engine name, or null for the preferred engine among the package's formats
   * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (null)
   * @return the loaded model; close it when done; it verifies itself before its first
   *     prediction and first gradient ({@link SelfCheck}) unless {@code fovea.verify=false}
   * @throws FoveaException when no engine can run any of the package's formats
   */
  public static Model load(ModelPackage pkg, String engine, String device) {
    return load(pkg, engine, device, SelfCheck.enabled());
  }

  /**
   * Loads a package on an engine.
   *
   * @param pkg the model package
   * @param engine an engine name, or null for the preferred engine among the package's formats
   * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (null)
   * @param verify whether the model checks its engine's numbers before its first prediction and
   *     first gradient, and refuses to run when they are wrong ({@link SelfCheck})
   * @return the loaded model; close it when done
   * @throws FoveaException when no engine can run any of the package's formats
   */
  public static Model load(ModelPackage pkg, String engine, String device, boolean verify) {
    EngineProvider e = choose(pkg, engine);
    WeightFormat f = e.formats().stream().filter(pkg.weights()::containsKey).findFirst()
        .orElseThrow();
    String why = e.unavailableReason();
    if (why != null) {
      throw new FoveaException(why);
    }
    List<TensorSpec> in = pkg.inputs().stream().map(TensorDescription::spec).toList();
    List<TensorSpec> out = pkg.outputs().stream().map(TensorDescription::spec).toList();
    // an engine preparing a large graph (ONNX Runtime optimizing thousands of layers) can take
    // minutes inside native code: say so after a few seconds instead of staying silent
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "fovea-load-notice");
          t.setDaemon(true);
          return t;
        });
    long t0 = System.nanoTime();
    long notice = Long.getLong("fovea.load.notice.seconds", LOAD_NOTICE_SECONDS);
    timer.schedule(() -> SelfCheck.tell("Fovea: still loading model '" + pkg.name() + "' on "
        + e.name() + " after " + notice + " s (" + size(pkg.weights().get(f))
        + "); an engine prepares a large graph once per load, which can take minutes"),
        notice, java.util.concurrent.TimeUnit.SECONDS);
    try {
      return new Model(pkg, e.load(pkg.weights().get(f), in, out, device), f, verify);
    } finally {
      timer.shutdownNow();
      double secs = (System.nanoTime() - t0) / 1e9;
      if (secs >= notice) {
        SelfCheck.tell(String.format(java.util.Locale.ROOT, "Fovea: model '%s' loaded in %.1f s",
            pkg.name(), secs));
      }
    }
  }

  /**
   * Seconds a model load may take before the user is told it is still going (system property
   * {@code fovea.load.notice.seconds}).
   */
  static final int LOAD_NOTICE_SECONDS = 5;

  /** The weights' size in words, for the notice. */
  private static String size(java.nio.file.Path w) {
    try (var s = java.nio.file.Files.walk(w)) {
      long bytes = s.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> p.toFile().length())
          .sum();
      return String.format(java.util.Locale.ROOT, "weights %.1f MB", bytes / 1e6);
    } catch (java.io.IOException | RuntimeException ex) {
      return "weights " + w.getFileName();
    }
  }

  /**
   * Makes a model of a network that is already loaded (by an engine adapter of one's own, or a
   * wrapper around one), with the package's processing and, when asked, its self-check.
   *
   * @param pkg the package the network was loaded from
   * @param network the loaded network; the model closes it
   * @param format the weight format it was loaded from
   * @param verify whether it checks its numbers before its first prediction and gradient
   * @return the model
   */
  public static Model of(ModelPackage pkg, Network network, WeightFormat format, boolean verify) {
    return new Model(pkg, network, format, verify);
  }

  /**
   * Makes a model of a network whose geometry differs from the package's graph (such as the dense
   * form of a strided network, {@link Dense}): it has the package's processing, the halo given, and
   * no self-check of its own (the package's test tensors describe the original network; the
   * caller verifies the network it wraps).
   *
   * @param pkg the package the network was made from
   * @param network the network; the model closes it
   * @param format the weight format it was made from
   * @param halo the context each output needs
   * @return the model
   */
  static Model derived(ModelPackage pkg, Network network, WeightFormat format, Halo halo) {
    Model m = new Model(pkg, network, format, false);
    m.halo = halo;
    return m;
  }

  /**
   * The engine that runs this package: the one named, or the lowest-ranked engine over all the
   * package's weight formats (the system property {@code fovea.engine} overrides).
   *
   * @param pkg a package
   * @param engine an engine name or null
   * @return the engine
   */
  public static EngineProvider choose(ModelPackage pkg, String engine) {
    String wanted = engine != null && !engine.equals("auto") ? engine
        : System.getProperty("fovea.engine");
    if (wanted != null && !wanted.isBlank() && !wanted.equals("auto")) {
      EngineProvider e = Engines.byName(wanted);
      if (e.formats().stream().noneMatch(pkg.weights()::containsKey)) {
        throw new FoveaException("model '" + pkg.name() + "' has no weights that engine '"
            + e.name() + "' runs (it has " + pkg.weights().keySet().stream()
                .map(WeightFormat::key).toList() + "): choose another --engine");
      }
      return e;
    }
    EngineProvider best = null;
    int bestRank = Integer.MAX_VALUE;
    for (WeightFormat f : WeightFormat.values()) {
      if (!pkg.weights().containsKey(f)) {
        continue;
      }
      for (EngineProvider e : Engines.forFormat(f)) {
        int r = e.rank(f);
        if (r < bestRank && e.unavailableReason() == null) {
          best = e;
          bestRank = r;
        }
      }
    }
    if (best == null && pkg.weights().isEmpty() && !pkg.otherWeights().isEmpty()) {
      String f = pkg.otherWeights().get(0);
      throw new FoveaException("model '" + pkg.name() + "' (" + pkg.source() + ") has only "
          + String.join(", ", pkg.otherWeights()) + " weights, which no engine runs outside "
          + "Python: " + exportRoute(f));
    }
    if (best == null) {
      throw new FoveaException("no installed engine can run model '" + pkg.name() + "' (weights: "
          + pkg.weights().keySet().stream().map(WeightFormat::key).toList() + ", engines: "
          + Engines.all().stream().map(EngineProvider::name).toList() + "): install the engine"
          + " for one of its formats");
    }
    return best;
  }

  /** How to get weights Fovea runs from a format it does not. */
  private static String exportRoute(String format) {
    return switch (format) {
      case "pytorch_state_dict" -> "a state dict holds the weights but not the network, which is"
          + " Python code (the package's architecture); in Python, export the model with"
          + " torch.jit.script or torch.jit.trace (TorchScript) or torch.onnx.export (ONNX), for"
          + " instance with bioimageio.core's weight converters, and add those weights to the"
          + " package";
      case "keras_hdf5" -> "a Keras .h5 file runs only in Python Keras; save the model as a"
          + " TensorFlow SavedModel (or convert it to ONNX with tf2onnx) and add those weights to"
          + " the package";
      case "tensorflow_js" -> "TensorFlow.js weights run in a browser; use the package's"
          + " tensorflow_saved_model_bundle or onnx weights, or export them from the original"
          + " model";
      default -> "export the model to ONNX or TorchScript and add those weights to the package";
    };
  }

  /**
   * Normalizes, predicts and post-processes one input.
   *
   * @param raw the first input, unnormalized, with the input's axes
   * @return the first output after post-processing
   */
  public Tensor run(Tensor raw) {
    Tensor y = network.predict(preprocess(raw));
    // a step that takes the statistics of another tensor takes them before any processing: the
    // input as given, the output as the network gave it
    Map<String, Tensor> refs = new java.util.HashMap<>();
    refs.put(pkg.inputs().get(0).name(), raw);
    List<ProcessingStep> post = pkg.outputs().get(0).processing();
    String out = pkg.outputs().get(0).name();
    if (References.names(post, java.util.Set.of(out))) {
      refs.put(out, new Tensor(y.axes(), y.shape(), y.data().clone()));
    }
    Processing.applyAll(References.bind(post, refs), y);
    return y;
  }

  /**
   * Runs every input and output of the package: each input with its own pre-processing, each
   * output with its own post-processing (a package with several inputs and outputs).
   *
   * @param raw one tensor per input, in the package's order, unnormalized, with its axes
   * @return every output after its post-processing, by name, in the package's order
   * @throws FoveaException when the number of tensors is not the number of inputs
   */
  public Map<String, Tensor> runAll(List<Tensor> raw) {
    return runAll(raw, network);
  }

  /** {@link #runAll(List)} through the given network (the self-check's unwrapped one). */
  Map<String, Tensor> runAll(List<Tensor> raw, Network network) {
    if (raw.size() != pkg.inputs().size()) {
      throw new FoveaException("model '" + pkg.name() + "' has " + pkg.inputs().size()
          + " input(s) but " + raw.size() + " tensor(s) were given: give one per input");
    }
    Map<String, Tensor> in = new java.util.LinkedHashMap<>();
    // references (reference_tensor) are measured before any processing: the inputs as given,
    // the outputs as the network gives them
    Map<String, Tensor> refs = new java.util.HashMap<>();
    for (int i = 0; i < raw.size(); i++) {
      refs.put(pkg.inputs().get(i).name(), raw.get(i));
    }
    for (int i = 0; i < raw.size(); i++) {
      Tensor t = new Tensor(raw.get(i).axes(), raw.get(i).shape(), raw.get(i).data().clone());
      Processing.applyAll(References.bind(pkg.inputs().get(i).processing(), refs), t);
      in.put(network.inputs().get(i).name(), t);
    }
    Map<String, Tensor> out = network.predict(in);
    java.util.Set<String> outNames = new java.util.HashSet<>();
    pkg.outputs().forEach(o -> outNames.add(o.name()));
    boolean named = pkg.outputs().stream()
        .anyMatch(o -> References.names(o.processing(), outNames));
    for (int j = 0; named && j < network.outputs().size(); j++) {
      Tensor t = out.get(network.outputs().get(j).name());
      refs.put(pkg.outputs().get(j).name(), new Tensor(t.axes(), t.shape(), t.data().clone()));
    }
    Map<String, Tensor> r = new java.util.LinkedHashMap<>();
    for (int j = 0; j < network.outputs().size(); j++) {
      String name = network.outputs().get(j).name();
      Tensor t = out.get(name);
      Processing.applyAll(References.bind(pkg.outputs().get(j).processing(), refs), t);
      r.put(name, t);
    }
    return r;
  }

  /**
   * @param raw an input tensor
   * @return a normalized copy (the argument is not changed)
   */
  public Tensor preprocess(Tensor raw) {
    Tensor t = new Tensor(raw.axes(), raw.shape(), raw.data().clone());
    Processing.applyAll(pkg.inputs().get(0).processing(), t);
    return t;
  }

  /**
   * @param out a network output, changed in place
   * @return the same tensor after the package's post-processing
   * @throws FoveaException when a step takes the statistics of another tensor ({@code
   *     reference_tensor}), which only {@link #run} and {@link #runAll} have
   */
  public Tensor postprocess(Tensor out) {
    Processing.applyAll(pkg.outputs().get(0).processing(), out);
    return out;
  }

  /**
   * @param channels an image's channels
   * @param image how the sentence names the image ({@code "image 'cells.tif'"})
   * @throws FoveaException when the model does not take that many channels
   */
  public void checkChannels(long channels, String image) {
    TensorSpec in = network.inputs().get(0);
    int ic = in.axes().indexOf(org.fovea.ops.net.Axis.CHANNEL);
    if (ic < 0 ? channels != 1 : !in.allows(ic, channels)) {
      throw new FoveaException(image + " has " + channels + " channel(s) but model '"
          + pkg.name() + "' takes " + (ic < 0 ? 1 : in.min()[ic])
          + (ic >= 0 && in.step()[ic] > 0 ? " or more" : "")
          + ": split or merge the channels first, or choose a model for this many channels");
    }
  }

  /**
   * The channels each input takes when an image's channels are split among several inputs (in
   * the model's input order).
   *
   * @return one count per input
   * @throws FoveaException when an input of a model with several takes a variable number
   * @since 0.3.0
   */
  public int[] inputChannels() {
    List<TensorSpec> ins = network.inputs();
    int[] c = new int[ins.size()];
    for (int i = 0; i < c.length; i++) {
      TensorSpec t = ins.get(i);
      int ic = t.axes().indexOf(org.fovea.ops.net.Axis.CHANNEL);
      if (ic < 0) {
        c[i] = 1;
      } else if (t.reference() != null) {
        c[i] = (int) Math.round(channelsOf(ins, t.reference(), c) * t.scale()[ic] + t.offset()[ic]);
      } else if (t.step()[ic] != 0 && c.length > 1) {
        throw new FoveaException("model '" + pkg.name() + "' has " + c.length + " inputs and"
            + " input '" + t.name() + "' takes a variable number of channels: Fovea gives each"
            + " input its share of an image's channels, which needs a fixed number per input");
      } else {
        c[i] = (int) t.min()[ic];
      }
    }
    return c;
  }

  /**
   * @param inputChannels channels of each input
   * @return channels of each output, in the model's output order
   * @since 0.3.0
   */
  public int[] outputChannels(int[] inputChannels) {
    List<TensorSpec> outs = network.outputs();
    int[] c = new int[outs.size()];
    for (int j = 0; j < c.length; j++) {
      TensorSpec o = outs.get(j);
      int i = o.axes().indexOf(org.fovea.ops.net.Axis.CHANNEL);
      c[j] = i < 0 ? 1 : o.reference() == null ? (int) o.min()[i]
          : (int) Math.round(channelsOf(network.inputs(), o.reference(), inputChannels)
              * o.scale()[i] + o.offset()[i]);
    }
    return c;
  }

  /**
   * @param imageChannels an image's channels
   * @return the channels segmentation gives for it: the first output's, or for a model with
   *     several inputs or outputs every output's, one after another
   * @since 0.3.0
   */
  public int classesFor(long imageChannels) {
    if (network.inputs().size() > 1 || network.outputs().size() > 1) {
      return java.util.Arrays.stream(outputChannels(inputChannels())).sum();
    }
    return outputChannels(imageChannels);
  }

  /**
   * @param channels an image's channels
   * @param image how the sentence names the image
   * @throws FoveaException when the model does not take that many channels (with several
   *     inputs: their channels together)
   * @since 0.3.0
   */
  public void checkImageChannels(long channels, String image) {
    if (network.inputs().size() == 1) {
      checkChannels(channels, image);
      return;
    }
    int[] ic = inputChannels();
    int total = java.util.Arrays.stream(ic).sum();
    if (channels != total) {
      throw new FoveaException(image + " has " + channels + " channel(s) but model '"
          + pkg.name() + "' has " + ic.length + " inputs taking " + total + " channels together:"
          + " give an image with the inputs' channels in the model's input order");
    }
  }

  private int channelsOf(List<TensorSpec> ins, String name, int[] counts) {
    for (int k = 0; k < ins.size(); k++) {
      if (ins.get(k).name().equals(name)) {
        return counts[k];
      }
    }
    throw new FoveaException("model '" + pkg.name() + "' refers to a tensor '" + name
        + "' it does not have: fix its description");
  }

  /**
   * @param inputChannels channels of the input
   * @return channels of the first output (for a segmentation model, its classes)
   */
  public int outputChannels(long inputChannels) {
    TensorSpec o = network.outputs().get(0);
    int i = o.axes().indexOf(org.fovea.ops.net.Axis.CHANNEL);
    if (i < 0) {
      return 1;
    }
    return (int) (o.reference() == null ? o.min()[i]
        : Math.round(inputChannels * o.scale()[i] + o.offset()[i]));
  }

  /**
   * @param height an image's rows
   * @param width its columns
   * @return the rows and columns of the model's (first) output for it: the same, or scaled as the
   *     output's description says (half for a half-resolution output)
   * @throws FoveaException when the output scale is not a ratio of small whole numbers
   */
  public long[] outputSize(long height, long width) {
    org.fovea.ops.tiling.OutputScale[] s = outputScales();
    return new long[] {s[0].size(height), s[1].size(width)};
  }

  /**
   * @return output rows per input row and output columns per input column of the (first) output
   * @throws FoveaException when the output scale is not a ratio of small whole numbers
   */
  public org.fovea.ops.tiling.OutputScale[] outputScales() {
    return SegmentationPlan.scales(network.outputs().get(0), pkg.name());
  }

  /**
   * @param height an image's rows
   * @param width its columns
   * @param what what needs one output per pixel, for the sentence ({@code "instances"})
   * @throws FoveaException when the model's output has another size than the image
   */
  public void requireSameSize(long height, long width, String what) {
    long[] o = outputSize(height, width);
    if (o[0] != height || o[1] != width) {
      throw new FoveaException("model '" + pkg.name() + "' gives " + o[1] + "x" + o[0]
          + " outputs for a " + width + "x" + height + " image, and " + what + " need one output"
          + " per pixel: for a strided model use --dense atrous (Fiji: Dense prediction), or"
          + " choose a model whose output has the image's size");
    }
  }

  /**
   * @return the context each output needs, from the receptive-field analysis (computed once per
   *     loaded model)
   */
  public synchronized Halo halo() {
    if (halo == null) {
      halo = Halo.of(this);
    }
    return halo;
  }

  /**
   * @return how the package says its outputs become objects ({@code config.fovea.instances}, or a
   *     StarDist export's {@code config.stardist}), read once per loaded model; null when it says
   *     nothing
   * @throws FoveaException when that part of the description is malformed
   */
  public synchronized org.fovea.models.pkg.InstanceConfig instanceConfig() {
    if (instances == null) {
      instances = java.util.Optional.ofNullable(org.fovea.models.pkg.InstanceConfig.of(pkg));
    }
    return instances.orElse(null);
  }

  /** @return the package */
  public ModelPackage pkg() {
    return pkg;
  }

  /** @return the network on its engine */
  public Network network() {
    return network;
  }

  /** @return the weight format that was loaded */
  public WeightFormat format() {
    return format;
  }

  @Override
  public void close() {
    network.close();
  }
}
