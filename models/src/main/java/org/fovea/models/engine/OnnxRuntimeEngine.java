package org.fovea.models.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;

/**
 * ONNX Runtime through its own Java API: runs {@code .onnx} weights, forward only.
 *
 * @since 0.1.0
 */
public final class OnnxRuntimeEngine implements EngineProvider {

  /** The ONNX Runtime environment: created once per process, on first use. */
  private static final LoadOnce<OrtEnvironment> ENV = new LoadOnce<>(
      () -> {
        OrtNatives.install();
        // FATAL only: ONNX Runtime's own log lines (colour codes and all) would reach the user's
        // stderr raw; its errors reach Fovea as exceptions and are reported as sentences
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "fovea");
      },
      t -> "ONNX Runtime natives could not be loaded (" + Engines.reason(t) + "): put the"
          + " onnxruntime jar for this platform (or onnxruntime_gpu) on the class path");

  /**
   * @return the process's ONNX Runtime environment, loading the natives on first use
   * @throws org.fovea.ops.net.FoveaException when they cannot be loaded
   */
  static OrtEnvironment environment() {
    return ENV.get();
  }

  @Override
  public String name() {
    return "onnxruntime";
  }

  @Override
  public Set<WeightFormat> formats() {
    return EnumSet.of(WeightFormat.ONNX);
  }

  @Override
  public int rank(WeightFormat format) {
    return 0;
  }

  @Override
  public String version() {
    String v = OrtEnvironment.class.getPackage().getImplementationVersion();
    return v != null ? v : "1.29.0";
  }

  /**
   * @return what Fovea changes in the graphs it gives ONNX Runtime (part of the self-check's
   *     cache key: a verdict from before the change is not reused)
   */
  @Override
  public String settings() {
    return "softmax written out on the CPU";
  }

  @Override
  public String unavailableReason() {
    return ENV.unavailableReason();
  }

  @Override
  public List<String> devices() {
    List<String> d = new ArrayList<>(List.of("cpu"));
    if (gpuUnavailableReason() == null) {
      d.add("gpu:0");
    }
    return d;
  }

  /** Why CUDA cannot be used, probed once: null when it can. */
  private static final LoadOnce<Boolean> CUDA = new LoadOnce<>(OnnxRuntimeEngine::probeCuda,
      t -> t instanceof FoveaException ? t.getMessage() : Engines.reason(t));

  @Override
  public String gpuUnavailableReason() {
    return CUDA.unavailableReason();
  }

  private static Boolean probeCuda() {
    OrtEnvironment env = ENV.get();
    String host = GpuHost.probe().noDriverReason();
    if (!OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
      throw new FoveaException("this ONNX Runtime is the CPU build (com.microsoft.onnxruntime:"
          + "onnxruntime has no CUDA execution provider): build Fovea with -Pgpu for onnxruntime_gpu"
          + (host != null ? "; besides, " + host : ""));
    }
    if (host != null) {
      throw new FoveaException("onnxruntime_gpu is installed but " + host);
    }
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.addCUDA(0);
    } catch (OrtException | RuntimeException | LinkageError e) {
      throw new FoveaException("onnxruntime_gpu cannot start its CUDA provider ("
          + Engines.reason(e) + "): ONNX Runtime " + env.getVersion() + " needs CUDA 12 and"
          + " cuDNN 9 libraries on the library path");
    }
    return Boolean.TRUE;
  }

  @Override
  public Network load(Path weights, List<TensorSpec> inputs, List<TensorSpec> outputs,
      String device) {
    OrtEnvironment env = ENV.get();
    if (!Files.isRegularFile(weights)) {
      throw new FoveaException("ONNX weights file " + weights + " does not exist: check the path"
          + " or the model package's weights entry");
    }
    String dev = Devices.resolve(device, devices(), name(), gpuUnavailableReason());
    try {
      OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
      opts.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      if (dev.startsWith("gpu")) {
        opts.addCUDA(Devices.index(dev));
      }
      // on the CPU, a softmax over the channel axis written out runs faster (BENCHMARKS.md)
      byte[] faster = dev.startsWith("gpu") ? null : softmaxWrittenOut(weights);
      OrtSession session = faster != null ? env.createSession(faster, opts)
          : env.createSession(weights.toString(), opts);
      return new OrtNetwork(env, session, inputs, outputs, dev);
    } catch (OrtException e) {
      throw new FoveaException("ONNX Runtime cannot load " + weights + " (" + Engines.reason(e)
          + "): the file is corrupt or not an ONNX model; re-export it", e);
    }
  }

  /** The graph with its channel softmaxes written out, or null to load the file as it is. */
  private static byte[] softmaxWrittenOut(Path weights) {
    try {
      return Files.size(weights) > (512L << 20) ? null
          : org.fovea.models.onnx.SoftmaxRewrite.rewrite(Files.readAllBytes(weights));
    } catch (java.io.IOException e) {
      return null; // loading the file says what is wrong with it
    } catch (OutOfMemoryError e) {
      // no direct memory to read the file through (-XX:MaxDirectMemorySize): load it as it is
      if (e.getMessage() == null || !e.getMessage().contains("direct buffer memory")) {
        throw e;
      }
      return null;
    }
  }

  /**
   * The layers ONNX Runtime runs after its graph optimizations on the CPU, such as the {@code
   * QLinearConv} it fuses a quantized convolution into: what it actually runs, not what the file
   * says.
   *
   * @param weights an ONNX model file
   * @return the number of nodes per operator type (domain-qualified outside the ONNX domain, as
   *     {@code com.microsoft.FusedConv}) of the optimized graph
   * @throws FoveaException when ONNX Runtime cannot load the file
   */
  public static Map<String, Integer> optimizedOperators(Path weights) {
    OrtEnvironment env = ENV.get();
    Path out = null;
    try {
      out = Files.createTempFile("fovea-optimized", ".onnx");
      try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        opts.setOptimizedModelFilePath(out.toString());
        env.createSession(weights.toString(), opts).close();
      }
      Map<String, Integer> ops = new java.util.TreeMap<>();
      for (org.fovea.models.onnx.OnnxNode n
          : org.fovea.models.onnx.OnnxModel.read(out).graph().nodes()) {
        String d = n.domain();
        ops.merge(d.isEmpty() || d.equals("ai.onnx") ? n.opType() : d + "." + n.opType(), 1,
            Integer::sum);
      }
      return ops;
    } catch (OrtException e) {
      throw new FoveaException("ONNX Runtime cannot load " + weights + " (" + Engines.reason(e)
          + "): the file is corrupt or not an ONNX model; re-export it", e);
    } catch (java.io.IOException e) {
      throw new FoveaException("cannot write ONNX Runtime's optimized graph to a temporary file ("
          + e.getMessage() + "): check java.io.tmpdir", e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (java.io.IOException e) {
          // a leftover temporary file
        }
      }
    }
  }

  /** A loaded ONNX Runtime session. */
  private static final class OrtNetwork implements Network {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final String device;
    private final Map<String, String> inputNames;
    private final Map<String, String> outputNames;

    OrtNetwork(OrtEnvironment env, OrtSession session, List<TensorSpec> inputs,
        List<TensorSpec> outputs, String device) {
      this.env = env;
      this.session = session;
      this.inputs = List.copyOf(inputs);
      this.outputs = List.copyOf(outputs);
      this.device = device;
      this.inputNames = names(inputs, session.getInputNames(), "input");
      this.outputNames = names(outputs, session.getOutputNames(), "output");
    }

    /**
     * Maps spec names to the graph's names: equal names, or the only one when the model has a
     * single tensor (a bare .onnx file whose names the caller could not know).
     */
    private Map<String, String> names(List<TensorSpec> specs, Set<String> actual, String what) {
      Map<String, String> m = new LinkedHashMap<>();
      for (TensorSpec s : specs) {
        if (actual.contains(s.name())) {
          m.put(s.name(), s.name());
        } else if (specs.size() == 1 && actual.size() == 1) {
          m.put(s.name(), actual.iterator().next());
        } else {
          try {
            session.close();
          } catch (OrtException e) {
            // already failing: the message below is the one that matters
          }
          throw new FoveaException("the ONNX model has no " + what + " named '" + s.name()
              + "' (it has " + actual + "): fix the tensor name in rdf.yaml");
        }
      }
      return m;
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
      Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
      try {
        for (TensorSpec s : inputs) {
          Tensor t = Engines.checked(s, in);
          feeds.put(inputNames.get(s.name()), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.data()), t.shape()));
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        try (OrtSession.Result r = session.run(feeds)) {
          for (TensorSpec s : outputs) {
            OnnxTensor o = (OnnxTensor) r.get(outputNames.get(s.name())).orElseThrow(() -> new FoveaException(
                "the ONNX model has no output named '" + s.name() + "': fix the tensor name in rdf.yaml"));
            long[] shape = o.getInfo().getShape();
            result.put(s.name(), new Tensor(s.axes(), shape, floats(o.getFloatBuffer())));
          }
        }
        return result;
      } catch (OrtException e) {
        throw new FoveaException("ONNX Runtime failed on this input (" + Engines.reason(e)
            + "): check the input shape against the model's", e);
      } catch (OutOfMemoryError e) {
        if (e.getMessage() == null || !e.getMessage().contains("direct buffer memory")) {
          throw e;
        }
        // ONNX Runtime's Java API copies each input into direct (off-heap) memory
        throw new FoveaException("Java has no direct memory left for ONNX Runtime's input ("
            + e.getMessage() + "): allow more with -XX:MaxDirectMemorySize (by default as much as"
            + " the heap, -Xmx), or segment with smaller tiles (--tile)", e);
      } finally {
        feeds.values().forEach(OnnxTensor::close);
      }
    }

    /**
     * The values of an output: ONNX Runtime's {@code getFloatBuffer} already copies them into a
     * new heap buffer, whose array is taken as it is rather than copied again.
     */
    private static float[] floats(FloatBuffer fb) {
      if (fb.hasArray() && fb.arrayOffset() == 0 && fb.position() == 0
          && fb.array().length == fb.remaining()) {
        return fb.array();
      }
      float[] data = new float[fb.remaining()];
      fb.get(data);
      return data;
    }

    @Override
    public boolean concurrent() {
      return true; // an OrtSession runs concurrent calls (ONNX Runtime's documented guarantee)
    }

    @Override
    public String engine() {
      return "onnxruntime";
    }

    @Override
    public String device() {
      return device;
    }

    @Override
    public void close() {
      try {
        session.close();
      } catch (OrtException e) {
        throw new FoveaException("ONNX Runtime could not close its session: " + e.getMessage(), e);
      }
    }
  }
}
