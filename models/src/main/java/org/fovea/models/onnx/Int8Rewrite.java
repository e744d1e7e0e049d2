package org.fovea.models.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.FoveaException;

/**
 * Static int8 quantization of an ONNX graph's convolutions, in the QDQ form that ONNX Runtime's
 * graph optimizer fuses into {@code QLinearConv} (int8 kernels, VNNI where the CPU has it):
 *
 * <ul>
 *   <li>weights: int8, symmetric, one scale per output channel, behind a {@code
 *       DequantizeLinear} with axis 0;
 *   <li>activations (each convolution's input, and its output after a following {@code Relu}):
 *       uint8, asymmetric, one scale per tensor from the range the fp32 network gives on
 *       calibration input ({@link #calibration}), as a {@code QuantizeLinear → DequantizeLinear}
 *       pair that every consumer reads;
 *   <li>biases: int32 with scale {@code input scale × weight scale}, as ONNX Runtime's fusion
 *       wants.
 * </ul>
 *
 * <p>A convolution whose output feeds only the network's head (a softmax or sigmoid, or the graph
 * output) keeps a float output: its input and weights are quantized, its logits are not (they set
 * the probabilities directly, and one uint8 step of a logit range is a visible change there).
 * Every other layer (pooling, concatenation, resizing, activations) keeps running in float32 on
 * the dequantized tensors. Only fp32 graphs whose convolutions take their weights from
 * initializers are quantized; the graph is otherwise left as it is.
 *
 * @since 0.4.0
 */
public final class Int8Rewrite {

  /**
   * A graph with every tensor to calibrate added as a graph output.
   *
   * @param model the model's bytes
   * @param outputs the outputs (added ones, or the graph's own) whose min and max {@link
   *     #quantize} needs
   * @param inputs the graph inputs whose min and max {@link #quantize} needs (read them from the
   *     data fed)
   */
  public record Calibration(byte[] model, List<String> outputs, List<String> inputs) {
    /** Copies the lists. */
    public Calibration {
      outputs = List.copyOf(outputs);
      inputs = List.copyOf(inputs);
    }
  }

  /**
   * The range of a tensor on calibration input.
   *
   * @param min smallest value seen
   * @param max largest value seen
   */
  public record Range(float min, float max) {
    /**
     * @param other another range
     * @return the union of both
     */
    public Range union(Range other) {
      return other == null ? this
          : new Range(Math.min(min, other.min), Math.max(max, other.max));
    }
  }

  /**
   * A quantized graph.
   *
   * @param model the model's bytes
   * @param convolutions how many convolutions read int8 weights
   * @param activations how many activation tensors are quantized
   */
  public record Result(byte[] model, int convolutions, int activations) {}

  /** Layers after which a convolution's output is not re-quantized (the network's head). */
  private static final Set<String> HEAD = Set.of("Softmax", "LogSoftmax", "Sigmoid");

  private final String source;
  private final ProtoMessage model;
  private final ProtoMessage graph;
  private final OnnxGraph parsed;
  private final Set<String> graphOutputs = new HashSet<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, String> sameAs = new HashMap<>(); // tensor -> the one whose scale

  private Int8Rewrite(byte[] bytes, String source) {
    this.source = source;
    try {
      this.model = ProtoMessage.parse(bytes);
      this.parsed = OnnxModel.parse(bytes, path(source)).graph();
    } catch (ProtoReader.Corrupt e) {
      throw new FoveaException(source + " is not a readable ONNX model (" + e.getMessage()
          + "): re-export it");
    }
    ProtoMessage.Field g = model.first(7);
    if (g == null) {
      throw new FoveaException(source + " has no graph: it is not an ONNX model");
    }
    this.graph = g.message();
    for (ProtoMessage.Field f : graph.all(12)) {
      graphOutputs.add(f.message().string(1, ""));
    }
    for (OnnxNode n : parsed.nodes()) {
      names.addAll(n.outputs());
      names.add(n.name());
    }
    names.addAll(parsed.initializers().keySet());
    parsed.inputs().forEach(v -> names.add(v.name()));
  }

  /**
   * @param model an fp32 ONNX model's bytes
   * @param source the file it came from, for messages
   * @return the model with the tensors that {@link #quantize} needs ranges for as extra outputs
   * @throws FoveaException when the bytes are not an ONNX model, or it has no convolution to
   *     quantize
   */
  public static Calibration calibration(byte[] model, String source) {
    Int8Rewrite r = new Int8Rewrite(model, source);
    Set<String> tensors = r.activations(r.convolutions());
    List<ProtoMessage.Field> fields = new ArrayList<>(r.graph.fields);
    List<String> added = new ArrayList<>();
    List<String> inputs = new ArrayList<>();
    Set<String> graphInputs = new HashSet<>();
    r.parsed.inputs().forEach(v -> graphInputs.add(v.name()));
    for (String t : tensors) {
      if (graphInputs.contains(t)) {
        inputs.add(t);
        continue;
      }
      if (!r.graphOutputs.contains(t)) {
        ProtoMessage tt = new ProtoMessage().varint(1, OnnxTensor.FLOAT);
        ProtoMessage vi = new ProtoMessage().addString(1, t)
            .message(2, new ProtoMessage().message(1, tt));
        fields.add(new ProtoMessage.Field(12, ProtoReader.LEN, 0, vi.encode()));
      }
      added.add(t);
    }
    return new Calibration(r.withGraph(new ProtoMessage(fields)), added, inputs);
  }

  /**
   * @param model the fp32 ONNX model's bytes (the one given to {@link #calibration})
   * @param ranges the range of every tensor a {@link Calibration} names, on calibration
   *     input
   * @param source the file it came from, for messages
   * @return the quantized model
   * @throws FoveaException when a range is missing
   */
  public static Result quantize(byte[] model, Map<String, Range> ranges, String source) {
    return new Int8Rewrite(model, source).run(ranges);
  }

  /** The source as a path (for external data next to it), when it is one. */
  private static java.nio.file.Path path(String source) {
    try {
      return java.nio.file.Path.of(source);
    } catch (java.nio.file.InvalidPathException e) {
      return java.nio.file.Path.of("model.onnx");
    }
  }

  /** The convolutions that can be quantized: fp32 weights (and bias) from initializers. */
  private List<OnnxNode> convolutions() {
    List<OnnxNode> convs = new ArrayList<>();
    for (OnnxNode n : parsed.nodes()) {
      if (!n.opType().equals("Conv") || !(n.domain().isEmpty() || n.domain().equals("ai.onnx"))
          || n.inputs().size() < 2) {
        continue;
      }
      OnnxTensor w = parsed.initializers().get(n.input(1));
      OnnxTensor b = n.inputs().size() > 2 && !n.input(2).isEmpty()
          ? parsed.initializers().get(n.input(2)) : null;
      boolean hasBias = n.inputs().size() > 2 && !n.input(2).isEmpty();
      if (w != null && w.dataType() == OnnxTensor.FLOAT && w.dims().length >= 3
          && (!hasBias || (b != null && b.dataType() == OnnxTensor.FLOAT))) {
        convs.add(n);
      }
    }
    if (convs.isEmpty()) {
      throw new FoveaException(source + " has no convolution with fp32 weights in its"
          + " initializers, so int8 quantization has nothing to quantize: run it in fp32");
    }
    return convs;
  }

  /** The tensor a convolution's output is quantized at (after its Relu), or null for none. */
  private String activationOut(OnnxNode conv) {
    String o = conv.outputs().get(0);
    List<OnnxNode> users = parsed.consumers(o);
    if (users.size() == 1 && users.get(0).opType().equals("Relu") && !graphOutputs.contains(o)) {
      o = users.get(0).outputs().get(0);
      users = parsed.consumers(o);
    }
    if (graphOutputs.contains(o) || users.isEmpty()
        || users.stream().allMatch(u -> HEAD.contains(u.opType()))) {
      return null;
    }
    return o;
  }

  /**
   * The activation tensors to quantize: each convolution's input and output, and the outputs of
   * the layers between them that ONNX Runtime runs on uint8 (max pooling and resizing, which keep
   * their input's scale, and concatenation of quantized tensors).
   */
  private Set<String> activations(List<OnnxNode> convs) {
    Set<String> t = new LinkedHashSet<>();
    for (OnnxNode c : convs) {
      t.add(c.input(0));
      String o = activationOut(c);
      if (o != null) {
        t.add(o);
      }
    }
    for (OnnxNode n : parsed.nodes()) {
      if (!(n.domain().isEmpty() || n.domain().equals("ai.onnx")) || n.outputs().isEmpty()) {
        continue;
      }
      String o = n.outputs().get(0);
      if (graphOutputs.contains(o) || parsed.consumers(o).isEmpty()) {
        continue;
      }
      switch (n.opType()) {
        case "MaxPool", "Resize" -> {
          if (n.outputs().size() == 1 && t.contains(n.input(0))) {
            t.add(o);
            sameAs.put(o, n.input(0));
          }
        }
        case "Concat" -> {
          if (n.inputs().stream().allMatch(t::contains)) {
            t.add(o);
          }
        }
        default -> { }
      }
    }
    return t;
  }

  private Result run(Map<String, Range> ranges) {
    List<OnnxNode> convs = convolutions();
    Set<String> acts = activations(convs);
    Map<String, float[]> qparams = new HashMap<>(); // tensor -> {scale, zero point}
    List<ProtoMessage> inits = new ArrayList<>();
    Map<String, List<ProtoMessage>> after = new HashMap<>(); // producer output -> Q, DQ nodes
    List<ProtoMessage> atStart = new ArrayList<>();
    Map<String, String> dequantized = new HashMap<>();
    Map<String, String[]> qnames = new HashMap<>(); // tensor -> {scale, zero point} names
    for (String t : acts) {
      String[] sz;
      if (sameAs.containsKey(t) && qparams.containsKey(sameAs.get(t))) {
        // a max or an interpolation stays within its input's range: its scale, so that ONNX
        // Runtime runs the layer on uint8 as it is
        qparams.put(t, qparams.get(sameAs.get(t)));
        sz = qnames.get(sameAs.get(t));
      } else {
        Range r = ranges.get(t);
        if (r == null || !Float.isFinite(r.min()) || !Float.isFinite(r.max())) {
          throw new FoveaException("the calibration of " + source + " gave no finite range for"
              + " tensor '" + t + "': run it in fp32");
        }
        float lo = Math.min(0f, r.min());
        float hi = Math.max(0f, r.max());
        float scale = hi > lo ? (hi - lo) / 255f : 1f;
        int zp = Math.max(0, Math.min(255, Math.round(-lo / scale)));
        qparams.put(t, new float[] {scale, zp});
        sz = new String[] {fresh(t + "_fovea_scale"), fresh(t + "_fovea_zero_point")};
        inits.add(tensor(sz[0], new long[0], OnnxTensor.FLOAT, floats(new float[] {scale})));
        inits.add(tensor(sz[1], new long[0], OnnxTensor.UINT8, new byte[] {(byte) zp}));
      }
      qnames.put(t, sz);
      String sName = sz[0];
      String zName = sz[1];
      String q = fresh(t + "_fovea_q");
      String dq = fresh(t + "_fovea_dq");
      List<ProtoMessage> pair = List.of(
          node("QuantizeLinear", List.of(t, sName, zName), q, fresh(q + "_node"), null),
          node("DequantizeLinear", List.of(q, sName, zName), dq, fresh(dq + "_node"), null));
      if (parsed.producer(t) == null) {
        atStart.addAll(pair);
      } else {
        after.put(t, pair);
      }
      dequantized.put(t, dq);
    }
    Map<String, OnnxNode> convByOutput = new HashMap<>();
    convs.forEach(c -> convByOutput.put(c.outputs().get(0), c));
    Set<String> replacedWeights = new HashSet<>();
    Map<String, List<String>> convInputs = new HashMap<>(); // conv output -> new inputs
    List<ProtoMessage> weightNodes = new ArrayList<>();
    for (OnnxNode c : convs) {
      OnnxTensor w = parsed.initializers().get(c.input(1));
      long out = w.dims()[0];
      float[] wf = w.floats();
      int per = (int) (wf.length / out);
      float[] ws = new float[(int) out];
      byte[] wq = new byte[wf.length];
      for (int o = 0; o < out; o++) {
        float m = 0;
        for (int i = o * per; i < (o + 1) * per; i++) {
          m = Math.max(m, Math.abs(wf[i]));
        }
        ws[o] = m > 0 ? m / 127f : 1f;
        for (int i = o * per; i < (o + 1) * per; i++) {
          wq[i] = (byte) Math.max(-127, Math.min(127, Math.round(wf[i] / ws[o])));
        }
      }
      String base = c.input(1);
      String wq8 = fresh(base + "_fovea_int8");
      String wsn = fresh(base + "_fovea_scale");
      String wzn = fresh(base + "_fovea_zero_point");
      String wdq = fresh(base + "_fovea_dq");
      inits.add(tensor(wq8, w.dims(), OnnxTensor.INT8, wq));
      inits.add(tensor(wsn, new long[] {out}, OnnxTensor.FLOAT, floats(ws)));
      inits.add(tensor(wzn, new long[] {out}, OnnxTensor.INT8, new byte[(int) out]));
      weightNodes.add(node("DequantizeLinear", List.of(wq8, wsn, wzn), wdq, fresh(wdq + "_node"),
          0L));
      replacedWeights.add(base);
      List<String> in = new ArrayList<>();
      in.add(dequantized.get(c.input(0)));
      in.add(wdq);
      if (c.inputs().size() > 2 && !c.input(2).isEmpty()) {
        float xs = qparams.get(c.input(0))[0];
        float[] bf = parsed.initializers().get(c.input(2)).floats();
        float[] bs = new float[(int) out];
        ByteBuffer bq = ByteBuffer.allocate(4 * (int) out).order(ByteOrder.LITTLE_ENDIAN);
        for (int o = 0; o < out; o++) {
          bs[o] = xs * ws[o];
          long v = Math.round(bf[o] / (double) bs[o]);
          bq.putInt((int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, v)));
        }
        String bb = c.input(2);
        String bq32 = fresh(bb + "_fovea_int32");
        String bsn = fresh(bb + "_fovea_scale");
        String bzn = fresh(bb + "_fovea_zero_point");
        String bdq = fresh(bb + "_fovea_dq");
        inits.add(tensor(bq32, new long[] {out}, OnnxTensor.INT32, bq.array()));
        inits.add(tensor(bsn, new long[] {out}, OnnxTensor.FLOAT, floats(bs)));
        inits.add(tensor(bzn, new long[] {out}, OnnxTensor.INT32, new byte[4 * (int) out]));
        weightNodes.add(node("DequantizeLinear", List.of(bq32, bsn, bzn), bdq,
            fresh(bdq + "_node"), 0L));
        replacedWeights.add(bb);
        in.add(bdq);
      }
      convInputs.put(c.outputs().get(0), in);
    }
    // weights still read by a node that is not rewritten stay
    for (OnnxNode n : parsed.nodes()) {
      if (!(n.opType().equals("Conv") && convInputs.containsKey(n.outputs().get(0)))) {
        n.inputs().forEach(replacedWeights::remove);
      }
    }
    replacedWeights.removeAll(graphOutputs);
    List<ProtoMessage.Field> fields = new ArrayList<>();
    boolean nodesDone = false;
    for (ProtoMessage.Field f : graph.fields) {
      if (f.number() == 1) {
        if (!nodesDone) {
          nodesDone = true;
          for (ProtoMessage n : weightNodes) {
            fields.add(nodeField(n));
          }
          for (ProtoMessage n : atStart) {
            fields.add(nodeField(n));
          }
        }
        ProtoMessage n = f.message();
        List<String> outs = n.strings(2);
        List<String> newIn = outs.isEmpty() ? null : convInputs.get(outs.get(0));
        if (newIn == null) {
          newIn = new ArrayList<>();
          for (String i : n.strings(1)) {
            newIn.add(dequantized.getOrDefault(i, i));
          }
        }
        fields.add(nodeField(withInputs(n, newIn)));
        for (String o : outs) {
          for (ProtoMessage p : after.getOrDefault(o, List.of())) {
            fields.add(nodeField(p));
          }
        }
      } else if (f.number() == 5 && replacedWeights.contains(f.message().string(8, ""))) {
        continue;
      } else if (f.number() == 11 && replacedWeights.contains(f.message().string(1, ""))) {
        continue; // an initializer also listed as an input (IR version < 4)
      } else {
        fields.add(f);
      }
    }
    for (ProtoMessage t : inits) {
      fields.add(new ProtoMessage.Field(5, ProtoReader.LEN, 0, t.encode()));
    }
    return new Result(withGraph(new ProtoMessage(fields)), convs.size(), acts.size());
  }

  private byte[] withGraph(ProtoMessage g) {
    List<ProtoMessage.Field> top = new ArrayList<>();
    for (ProtoMessage.Field f : model.fields) {
      top.add(f.number() == 7 ? new ProtoMessage.Field(7, ProtoReader.LEN, 0, g.encode()) : f);
    }
    return new ProtoMessage(top).encode();
  }

  private static ProtoMessage.Field nodeField(ProtoMessage n) {
    return new ProtoMessage.Field(1, ProtoReader.LEN, 0, n.encode());
  }

  private static ProtoMessage withInputs(ProtoMessage node, List<String> in) {
    ProtoMessage m = new ProtoMessage();
    boolean done = false;
    for (ProtoMessage.Field f : node.fields) {
      if (f.number() == 1) {
        if (!done) {
          in.forEach(i -> m.addString(1, i));
          done = true;
        }
      } else {
        m.fields.add(f);
      }
    }
    return m;
  }

  private static ProtoMessage node(String op, List<String> in, String out, String name,
      Long axis) {
    ProtoMessage n = new ProtoMessage();
    in.forEach(i -> n.addString(1, i));
    n.addString(2, out).addString(3, name).addString(4, op);
    if (axis != null) {
      n.message(5, new ProtoMessage().addString(1, "axis").varint(3, axis).varint(20, 2));
    }
    return n;
  }

  private static ProtoMessage tensor(String name, long[] dims, int type, byte[] raw) {
    ProtoMessage t = new ProtoMessage();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, type).addString(8, name).bytes(9, raw);
  }

  private static byte[] floats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private String fresh(String base) {
    String s = base.replace(' ', '_');
    for (int i = 2; names.contains(s); i++) {
      s = base + "_" + i;
    }
    names.add(s);
    return s;
  }
}
