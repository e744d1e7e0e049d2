package org.fovea.models.tf;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fovea.models.engine.EngineProvider;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.TensorSpec;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;

/**
 * Runs TensorFlow SavedModels with TensorFlow Java: loads the folder with the tag {@code serve}
 * and feeds and fetches the tensors of its {@code serving_default} signature. Natives load once
 * per process, on the first {@link #load}, {@link #unavailableReason()}, {@link #version()} or
 * {@link #devices()}.
 *
 * @since 0.1.0
 */
public final class TensorFlowEngine implements EngineProvider {

  /** Creates the provider; this loads nothing. */
  public TensorFlowEngine() {
    // natives load lazily in TfNatives
  }

  @Override
  public String name() {
    return "tensorflow";
  }

  @Override
  public Set<WeightFormat> formats() {
    return Set.of(WeightFormat.TENSORFLOW_SAVED_MODEL);
  }

  @Override
  public int rank(WeightFormat format) {
    return format == WeightFormat.TENSORFLOW_SAVED_MODEL ? 2 : Integer.MAX_VALUE; // BENCHMARKS.md
  }

  /** @return TensorFlow's version, such as {@code 2.18.0}, or {@code unavailable} */
  @Override
  public String version() {
    String v = TfNatives.version();
    return v == null ? "unavailable" : v;
  }

  @Override
  public String unavailableReason() {
    return TfNatives.unavailableReason();
  }

  /** @return {@code cpu}, then {@code gpu:N} for each GPU TensorFlow can use here */
  @Override
  public List<String> devices() {
    return TfNatives.unavailableReason() != null ? List.of("cpu") : TfDevices.list();
  }

  @Override
  public String gpuUnavailableReason() {
    String why = unavailableReason();
    if (why != null) {
      return why;
    }
    if (TfDevices.list().size() > 1) {
      return null;
    }
    String host = org.fovea.models.engine.GpuHost.probe().noDriverReason();
    if (TfNatives.gpuBuild()) {
      return "the TensorFlow GPU natives are installed but " + (host != null ? host
          : "TensorFlow found no GPU it can use: TensorFlow " + version() + " needs CUDA 12 and"
              + " cuDNN 9 libraries on the library path");
    }
    return "TensorFlow here is the CPU build (tensorflow-core-native:linux-x86_64): build Fovea with"
        + " -Pgpu for linux-x86_64-gpu" + (host != null ? "; besides, " + host : "");
  }

  @Override
  public Network load(Path weights, List<TensorSpec> inputs, List<TensorSpec> outputs,
      String device) {
    TfNatives.require();
    String dev = TfDevices.resolve(device, this::gpuUnavailableReason);
    SavedModelDir dir = SavedModelDir.of(weights);
    SavedModelBundle bundle = null;
    try {
      try {
        bundle = SavedModelBundle.loader(dir.dir().toString()).withTags(SavedModelBundle.DEFAULT_TAG)
            .withConfigProto(TfDevices.config(dev)).load();
      } catch (RuntimeException e) {
        throw new FoveaException("the folder " + dir.dir() + " holds no loadable TensorFlow "
            + "SavedModel with the tag 'serve' (" + firstLine(e) + "): re-export the SavedModel "
            + "or check that saved_model.pb and variables/ are complete", e);
      }
      Signature sig = signature(bundle, dir.dir());
      Map<String, String> feeds = match(inputs, sig.getInputs(), "input", dir.dir());
      Map<String, String> fetches = match(outputs, sig.getOutputs(), "output", dir.dir());
      return new TensorFlowNetwork(bundle, dir, inputs, outputs, feeds, fetches, dev);
    } catch (RuntimeException e) {
      if (bundle != null) {
        bundle.close();
      }
      dir.close();
      throw e;
    }
  }

  private static Signature signature(SavedModelBundle bundle, Path dir) {
    List<Signature> sigs = bundle.signatures();
    for (Signature s : sigs) {
      if (s.key().equals(Signature.DEFAULT_KEY)) {
        return s;
      }
    }
    if (sigs.size() == 1) {
      return sigs.get(0);
    }
    throw new FoveaException("the SavedModel " + dir + " has no '" + Signature.DEFAULT_KEY
        + "' signature (it has " + sigs.stream().map(Signature::key).collect(Collectors.toList())
        + "): re-export it with a serving_default signature");
  }

  /** Maps each spec name to the graph tensor of the signature entry with that key. */
  private static Map<String, String> match(List<TensorSpec> specs,
      Map<String, Signature.TensorDescription> sig, String kind, Path dir) {
    Map<String, String> m = new LinkedHashMap<>();
    for (TensorSpec s : specs) {
      Signature.TensorDescription d = sig.get(s.name());
      if (d == null && specs.size() == 1 && sig.size() == 1) {
        d = sig.values().iterator().next();
      }
      if (d == null) {
        throw new FoveaException("the serving signature of " + dir + " has no " + kind + " '"
            + s.name() + "' (it has " + sig.keySet() + "): name the " + kind
            + "s of the model description after the signature's keys");
      }
      m.put(s.name(), d.name);
    }
    return m;
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
