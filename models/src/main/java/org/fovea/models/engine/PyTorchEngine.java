package org.fovea.models.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Reinitializable;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * PyTorch (libtorch) through DJL 0.35.1: runs TorchScript {@code .pt} weights, with gradients.
 *
 * <p>DJL is kept offline: the natives come from the {@code pytorch-native-cpu} jar and are unpacked
 * once into {@link NativeCache#djl()}; nothing is downloaded.
 *
 * @since 0.1.0
 */
public final class PyTorchEngine implements EngineProvider {

  /** The DJL engine: started once per process, offline. */
  private static final LoadOnce<Engine> ENGINE = new LoadOnce<>(() -> {
    NativeCache.configureDjl();
    Engine engine = Engine.getEngine("PyTorch");
    TorchOneDnn.apply(java.nio.file.Path.of(ai.djl.pytorch.jni.LibUtils.getLibtorchPath()));
    return engine;
  }, t -> "PyTorch natives could not be loaded (" + Engines.reason(t) + "): put"
      + " ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64 and pytorch-jni 2.7.1-0.35.1 on"
      + " the class path (DJL 0.35.1 must not download them)");

  @Override
  public String name() {
    return "pytorch";
  }

  @Override
  public Set<WeightFormat> formats() {
    return EnumSet.of(WeightFormat.TORCHSCRIPT);
  }

  @Override
  public int rank(WeightFormat format) {
    return 1; // measured slower than ONNX Runtime, faster than TensorFlow (BENCHMARKS.md)
  }

  @Override
  public String version() {
    try {
      return ENGINE.get().getVersion();
    } catch (FoveaException e) {
      return "2.7.1 (not loaded)";
    }
  }

  /** @return whether libtorch's convolutions run on oneDNN ({@link TorchOneDnn}) */
  @Override
  public String settings() {
    return "oneDNN " + TorchOneDnn.state();
  }

  @Override
  public String unavailableReason() {
    return ENGINE.unavailableReason();
  }

  @Override
  public List<String> devices() {
    List<String> d = new ArrayList<>(List.of("cpu"));
    try {
      int n = ENGINE.get().getGpuCount();
      for (int i = 0; i < n; i++) {
        d.add("gpu:" + i);
      }
    } catch (FoveaException e) {
      // listed as cpu; unavailableReason() explains
    }
    return d;
  }

  @Override
  public String gpuUnavailableReason() {
    if (devices().size() > 1) {
      return null;
    }
    String why = unavailableReason();
    if (why != null) {
      return why;
    }
    String host = GpuHost.probe().noDriverReason();
    return "DJL's PyTorch here is the CPU build (pytorch-native-cpu)"
        + (host != null ? " and " + host : "; with a driver, DJL fetches its CUDA libtorch at run"
            + " time when started with PYTORCH_FLAVOR=cu128 and -Doffline=false (see the README)");
  }

  @Override
  public Network load(Path weights, List<TensorSpec> inputs, List<TensorSpec> outputs,
      String device) {
    ENGINE.get();
    if (!Files.isRegularFile(weights)) {
      throw new FoveaException("TorchScript weights file " + weights + " does not exist: check the"
          + " path or the model package's weights entry");
    }
    String dev = Devices.resolve(device, devices(), name(), gpuUnavailableReason());
    Device djlDevice = dev.startsWith("gpu") ? Device.gpu(Devices.index(dev)) : Device.cpu();
    Model model = Model.newInstance(weights.getFileName().toString(), djlDevice, "PyTorch");
    try {
      model.load(weights, null, Map.of("trainParam", "true", "mapLocation", "true"));
    } catch (Exception | Error e) {
      model.close();
      throw new FoveaException("PyTorch cannot load " + weights + " (" + Engines.reason(e)
          + "): the file is corrupt or not a TorchScript archive; re-export it with"
          + " torch.jit.script or torch.jit.trace", e);
    }
    return new PtNetwork(model, inputs, outputs, dev);
  }

  /** A loaded TorchScript module. */
  private static final class PtNetwork implements Network, Differentiable, Reinitializable {
    private final Model model;
    private final Block block;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final String device;
    private final Map<String, float[]> saved = new java.util.HashMap<>();

    PtNetwork(Model model, List<TensorSpec> inputs, List<TensorSpec> outputs, String device) {
      this.model = model;
      this.block = model.getBlock();
      this.inputs = List.copyOf(inputs);
      this.outputs = List.copyOf(outputs);
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

    private NDList feed(NDManager m, Map<String, Tensor> in) {
      NDList list = new NDList();
      for (TensorSpec s : inputs) {
        Tensor t = Engines.checked(s, in);
        list.add(m.create(FloatBuffer.wrap(t.data()), new Shape(t.shape())));
      }
      return list;
    }

    private Map<String, Tensor> fetch(NDList out) {
      if (out.size() < outputs.size()) {
        throw new FoveaException("the TorchScript model returned " + out.size()
            + " outputs but the package declares " + outputs.size());
      }
      Map<String, Tensor> result = new LinkedHashMap<>();
      for (int i = 0; i < outputs.size(); i++) {
        NDArray a = out.get(i);
        result.put(outputs.get(i).name(),
            new Tensor(outputs.get(i).axes(), a.getShape().getShape(), a.toFloatArray()));
      }
      return result;
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> in) {
      // every call's arrays live in a child manager and die with it
      try (NDManager m = model.getNDManager().newSubManager()) {
        NDList out = block.forward(new ParameterStore(m, false), feed(m, in), false);
        return fetch(out);
      } catch (FoveaException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new FoveaException("PyTorch failed on this input (" + Engines.reason(e)
            + "): check the input shape against the model's", e);
      }
    }

    @Override
    public Optional<Differentiable> gradients() {
      return Optional.of(this);
    }

    @Override
    public Tensor gradient(Tensor input, Tensor weights) {
      try (NDManager m = model.getNDManager().newSubManager();
          GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray x = feed(m, Map.of(inputs.get(0).name(), input)).get(0);
        x.setRequiresGradient(true);
        NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true).get(0);
        NDArray w = m.create(FloatBuffer.wrap(weights.data()), new Shape(weights.shape()));
        gc.backward(y.mul(w).sum());
        return new Tensor(input.axes(), input.shape(), x.getGradient().toFloatArray());
      } catch (FoveaException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new FoveaException("PyTorch could not differentiate this model ("
            + Engines.reason(e) + ")", e);
      }
    }

    @Override
    public Optional<Reinitializable> reinitializable() {
      return Optional.of(this);
    }

    /** Layers by the prefix of their parameters' names ({@code body.3} of {@code body.3.weight}). */
    @Override
    public List<String> layers() {
      List<String> l = new ArrayList<>();
      for (var p : block.getParameters()) {
        String n = p.getKey();
        String layer = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n;
        if (!l.contains(layer)) {
          l.add(layer);
        }
      }
      java.util.Collections.reverse(l);
      return l;
    }

    @Override
    public void reinitialize(String layer, long seed) {
      java.util.Random r = new java.util.Random(seed);
      boolean found = false;
      for (var p : block.getParameters()) {
        String n = p.getKey();
        if (!(n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n).equals(layer)) {
          continue;
        }
        found = true;
        NDArray a = p.getValue().getArray();
        float[] v = a.toFloatArray();
        saved.putIfAbsent(n, v.clone());
        double mean = 0;
        double sq = 0;
        for (float f : v) {
          mean += f;
          sq += (double) f * f;
        }
        mean /= Math.max(1, v.length);
        double sd = Math.sqrt(Math.max(0, sq / Math.max(1, v.length) - mean * mean));
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (sd * r.nextGaussian());
        }
        a.set(FloatBuffer.wrap(v));
      }
      if (!found) {
        throw new FoveaException("the TorchScript model has no layer '" + layer + "' (it has "
            + layers() + ")");
      }
    }

    @Override
    public void restore() {
      for (var p : block.getParameters()) {
        float[] v = saved.remove(p.getKey());
        if (v != null) {
          p.getValue().getArray().set(FloatBuffer.wrap(v));
        }
      }
    }

    @Override
    public String engine() {
      return "pytorch";
    }

    @Override
    public String device() {
      return device;
    }

    @Override
    public void close() {
      model.close();
    }
  }
}
