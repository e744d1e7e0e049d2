package org.fovea.models.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.FoveaException;

/**
 * The "algorithme à trous" on an ONNX graph: every spatial layer with stride s &gt; 1 gets stride
 * 1, and every later spatial layer has its dilation and padding multiplied by the product of the
 * strides before it. The rewritten network gives one output per input pixel, with the same weights;
 * its output {@code D[x]} equals output {@code floor(x / S)} of the original network run on the
 * input shifted by {@code x mod S} (shift-and-stitch), away from the border.
 *
 * <p>Max pooling keeps its type (ONNX MaxPool has dilations); average pooling, which has none
 * before opset 19, becomes the equivalent depthwise convolution with weights {@code 1/k}; explicit
 * {@code Pad} layers have their spatial pads scaled; SAME padding becomes the explicit padding it
 * has on inputs that are multiples of the stride (which the shift-and-stitch passes of {@code
 * DenseNetwork} always are, so both agree). Layers whose meaning depends on the whole
 * image or on its size (global pooling, reshapes, resizing, instance normalization...) cannot
 * follow a stride: such a graph is refused with {@link Unsupported}, and the caller runs
 * shift-and-stitch instead. Tensors are assumed to be laid out batch, channel, then the spatial
 * axes, as ONNX convolutions require.
 */
public final class AtrousRewrite {

  /**
   * A rewritten graph.
   *
   * @param model the rewritten model's bytes (the value_info and output shapes dropped, since the
   *     sizes changed)
   * @param stride the original network's total stride per spatial axis (all 1: nothing to do)
   * @param changes one line per rewritten layer, for the log
   */
  public record Result(byte[] model, long[] stride, List<String> changes) {
    /** Copies the arrays. */
    public Result {
      stride = stride.clone();
      changes = List.copyOf(changes);
    }

    /** @return whether the network was strided, so that the rewrite changed something */
    public boolean strided() {
      return Arrays.stream(stride).anyMatch(s -> s != 1);
    }
  }

  /** A graph the rewrite cannot express; the message says which layer and why. */
  public static final class Unsupported extends FoveaException {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message);
    }
  }

  /** Layers that act on each position alone (or on channels only). */
  private static final Set<String> POINTWISE = Set.of("Relu", "LeakyRelu", "PRelu", "Sigmoid",
      "Tanh", "Clip", "Elu", "Selu", "Celu", "HardSigmoid", "HardSwish", "Softplus", "Softsign",
      "Mish", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Pow", "Add", "Sub",
      "Mul", "Div", "Sum", "Max", "Min", "Mean", "BatchNormalization", "Identity", "Dropout",
      "Cast", "Floor", "Ceil", "Round", "Sign", "ThresholdedRelu", "LRN", "Where", "Equal",
      "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or");

  /** Layers over the channel axis only, when their axis attribute says so. */
  private static final Set<String> CHANNEL_AXIS = Set.of("Softmax", "LogSoftmax", "Hardmax",
      "Concat");

  private final String source;
  private final Map<String, long[]> dilation = new HashMap<>(); // tensor -> grid factor per axis
  private final Map<String, Long> channels = new HashMap<>();
  private final Map<String, ProtoMessage> initializers = new HashMap<>();
  private final Map<String, ProtoMessage> constants = new HashMap<>();
  private final List<ProtoMessage> added = new ArrayList<>();
  private final List<ProtoMessage> inserted = new ArrayList<>(); // nodes before the current one
  private final List<String> changes = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private long opset;

  private AtrousRewrite(String source) {
    this.source = source;
  }

  /**
   * @param model an ONNX model's bytes
   * @param source the file it came from, for messages
   * @return the rewritten model
   * @throws Unsupported when the graph has a layer the rewrite cannot express after a stride
   * @throws FoveaException when the bytes are not an ONNX model
   */
  public static Result rewrite(byte[] model, String source) {
    try {
      return new AtrousRewrite(source).run(ProtoMessage.parse(model));
    } catch (ProtoReader.Corrupt e) {
      throw new FoveaException(source + " is not a readable ONNX model (" + e.getMessage()
          + "): re-export it");
    }
  }

  /**
   * The same network with only its first {@code keep} strided layers strided (the others get
   * stride 1, nothing else changes): a family of networks of total stride 2, 4, 8 ... with the same
   * weights, for benchmarks.
   *
   * @param model an ONNX model's bytes
   * @param keep how many strided layers stay strided, in graph order
   * @return the model's bytes
   */
  public static byte[] keepingStrides(byte[] model, int keep) {
    ProtoMessage m = ProtoMessage.parse(model);
    ProtoMessage graph = m.first(7).message();
    int seen = 0;
    List<ProtoMessage.Field> fields = new ArrayList<>();
    for (ProtoMessage.Field f : graph.fields) {
      if (f.number() == 1) {
        ProtoMessage node = f.message();
        long[] st = attributeInts(node, "strides");
        if (st != null && Arrays.stream(st).anyMatch(x -> x > 1) && ++seen > keep) {
          node = copyWithout(node, Set.of("strides"));
          node.message(5, ints("strides", ones(st.length)));
          f = new ProtoMessage.Field(1, ProtoReader.LEN, 0, node.encode());
        }
      }
      if (f.number() != 13) {
        fields.add(f);
      }
    }
    List<ProtoMessage.Field> top = new ArrayList<>();
    for (ProtoMessage.Field f : m.fields) {
      top.add(f.number() == 7 ? new ProtoMessage.Field(7, ProtoReader.LEN, 0,
          new ProtoMessage(fields).encode()) : f);
    }
    return new ProtoMessage(top).encode();
  }

  /**
   * @param model an ONNX model's bytes
   * @return how many of its layers have a stride over 1
   */
  public static int stridedLayers(byte[] model) {
    int n = 0;
    for (ProtoMessage.Field f : ProtoMessage.parse(model).first(7).message().all(1)) {
      long[] st = attributeInts(f.message(), "strides");
      n += st != null && Arrays.stream(st).anyMatch(x -> x > 1) ? 1 : 0;
    }
    return n;
  }

  private Result run(ProtoMessage model) {
    for (ProtoMessage.Field f : model.all(8)) { // opset_import
      ProtoMessage o = f.message();
      String domain = o.string(1, "");
      if (domain.isEmpty() || domain.equals("ai.onnx")) {
        opset = o.longs(2).length > 0 ? o.longs(2)[0] : 0;
      }
    }
    ProtoMessage.Field gf = model.first(7);
    if (gf == null) {
      throw new FoveaException(source + " has no graph: it is not an ONNX model");
    }
    ProtoMessage graph = gf.message();
    for (ProtoMessage.Field f : graph.all(5)) {
      ProtoMessage t = f.message();
      initializers.put(t.string(8, ""), t);
      names.add(t.string(8, ""));
    }
    for (ProtoMessage.Field f : graph.all(11)) {
      ProtoMessage vi = f.message();
      String name = vi.string(1, "");
      if (initializers.containsKey(name)) {
        continue;
      }
      long[] dims = dims(vi);
      dilation.put(name, dims == null ? new long[0] : ones(Math.max(0, dims.length - 2)));
      if (dims != null && dims.length > 1 && dims[1] > 0) {
        channels.put(name, dims[1]);
      }
    }
    List<ProtoMessage.Field> rebuilt = new ArrayList<>();
    for (ProtoMessage.Field f : graph.fields) {
      if (f.number() == 1) {
        ProtoMessage node = f.message();
        node.strings(3).forEach(names::add);
        ProtoMessage rewritten = node(node);
        for (ProtoMessage n : inserted) {
          rebuilt.add(new ProtoMessage.Field(1, ProtoReader.LEN, 0, n.encode()));
        }
        inserted.clear();
        rebuilt.add(new ProtoMessage.Field(1, ProtoReader.LEN, 0, rewritten.encode()));
      } else if (f.number() == 13) {
        continue; // value_info: the intermediate sizes change
      } else if (f.number() == 12) {
        rebuilt.add(new ProtoMessage.Field(12, ProtoReader.LEN, 0, withoutShape(f.message())
            .encode()));
      } else {
        rebuilt.add(f);
      }
    }
    for (ProtoMessage t : added) {
      rebuilt.add(new ProtoMessage.Field(5, ProtoReader.LEN, 0, t.encode()));
    }
    List<ProtoMessage.Field> outs = graph.all(12);
    if (outs.isEmpty()) {
      throw new FoveaException(source + " has no graph output: it is not a usable ONNX model");
    }
    long[] total = null;
    for (ProtoMessage.Field f : outs) {
      String name = f.message().string(1, "");
      long[] d = dilation.get(name);
      if (d == null) {
        throw new Unsupported("the output '" + name + "' of " + source + " does not follow the"
            + " image input position by position");
      }
      if (total != null && d.length > 0 && total.length > 0 && !Arrays.equals(d, total)) {
        throw new Unsupported("the outputs of " + source + " have different strides ("
            + Arrays.toString(total) + " and " + Arrays.toString(d) + ")");
      }
      total = total == null || total.length == 0 ? d : total;
    }
    List<ProtoMessage.Field> top = new ArrayList<>();
    for (ProtoMessage.Field f : model.fields) {
      top.add(f.number() == 7 ? new ProtoMessage.Field(7, ProtoReader.LEN, 0,
          new ProtoMessage(rebuilt).encode()) : f);
    }
    return new Result(new ProtoMessage(top).encode(), total.length == 0 ? ones(2) : total,
        changes);
  }

  /** @return the node, rewritten where it reads a dilated grid or has a stride */
  private ProtoMessage node(ProtoMessage node) {
    String op = node.string(4, "");
    String domain = node.string(7, "");
    String name = node.string(3, "");
    List<String> in = node.strings(1);
    List<String> out = node.strings(2);
    String label = op + " '" + (name.isEmpty() ? out.isEmpty() ? "?" : out.get(0) : name) + "'";
    if (op.equals("Constant")) {
      ProtoMessage.Field v = attributeField(node, "value");
      if (v != null && !out.isEmpty()) {
        constants.put(out.get(0), v.message().first(5).message());
      }
      return node;
    }
    long[] din = null;
    for (String i : in) {
      long[] d = dilation.get(i);
      if (d == null) {
        continue; // a weight, constant or shape: not on the image grid
      }
      if (din == null || din.length == 0) {
        din = d;
      } else if (d.length > 0 && !Arrays.equals(d, din)) {
        throw new Unsupported(label + " of " + source + " joins tensors on different grids ("
            + Arrays.toString(din) + " and " + Arrays.toString(d) + ")");
      }
    }
    if (din == null) {
      return node; // computes weights or shapes from constants only
    }
    if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
      return unchangedIfDense(node, op + " (domain " + domain + ")", label, din, out);
    }
    long[] dout;
    ProtoMessage result = node;
    switch (op) {
      case "Conv", "MaxPool" -> {
        if (op.equals("MaxPool") && out.size() > 1) {
          return unchangedIfDense(node, "MaxPool with indices", label, din, out);
        }
        Window w = window(node, in, op);
        dout = times(din.length == 0 ? ones(w.kernel.length) : din, w.strides);
        result = w.stridesAreOne() && isOne(din) ? node
            : windowed(node, op, w, din.length == 0 ? ones(w.kernel.length) : din, label);
      }
      case "AveragePool" -> {
        Window w = window(node, in, op);
        long[] d = din.length == 0 ? ones(w.kernel.length) : din;
        dout = times(d, w.strides);
        result = w.stridesAreOne() && isOne(din) ? node : averageAsConv(node, w, d, in, label);
      }
      case "Pad" -> {
        dout = din;
        result = isOne(din) ? node : pad(node, in, din, label);
      }
      default -> {
        if (POINTWISE.contains(op)) {
          dout = din;
        } else if (CHANNEL_AXIS.contains(op)) {
          long axis = attributeInt(node, "axis", op.equals("Concat") ? 1 : opset >= 13 ? -1 : 1);
          boolean channel = axis == 1 || (din.length > 0 && axis == -(din.length + 1));
          if (!isOne(din) && (!channel || (!op.equals("Concat") && opset < 13))) {
            throw new Unsupported(label + " of " + source + " works along axis " + axis
                + ", not only the channel axis");
          }
          dout = din;
        } else {
          return unchangedIfDense(node, op, label, din, out);
        }
      }
    }
    for (String o : out) {
      dilation.put(o, dout);
    }
    trackChannels(op, result, in, out);
    return result;
  }

  private ProtoMessage unchangedIfDense(ProtoMessage node, String what, String label, long[] din,
      List<String> out) {
    if (!isOne(din)) {
      throw new Unsupported(label + " of " + source + " (" + what + ") comes after a stride and"
          + " cannot be rewritten to a dense grid");
    }
    // before any stride: unchanged; its outputs are not known to follow the image grid
    return node;
  }

  private void trackChannels(String op, ProtoMessage node, List<String> in, List<String> out) {
    Long c = null;
    if (op.equals("Conv") && in.size() > 1 && initializers.containsKey(in.get(1))) {
      long[] w = initializers.get(in.get(1)).longs(1);
      c = w.length > 0 ? w[0] : null;
    } else if (op.equals("Concat")) {
      long sum = 0;
      for (String i : in) {
        Long ci = channels.get(i);
        if (ci == null) {
          sum = -1;
          break;
        }
        sum += ci;
      }
      c = sum < 0 ? null : sum;
    } else {
      for (String i : in) {
        Long ci = channels.get(i);
        if (ci != null && dilation.containsKey(i)) {
          c = c == null ? ci : Math.max(c, ci);
        }
      }
    }
    if (c != null && !out.isEmpty()) {
      channels.put(out.get(0), c);
    }
  }

  /** A sliding window's attributes, with SAME padding made explicit. */
  private record Window(long[] kernel, long[] strides, long[] dilations, long[] pads) {
    boolean stridesAreOne() {
      return Arrays.stream(strides).allMatch(s -> s == 1);
    }
  }

  private Window window(ProtoMessage node, List<String> in, String op) {
    long[] k = attributeInts(node, "kernel_shape");
    if (k == null && op.equals("Conv") && in.size() > 1 && initializers.containsKey(in.get(1))) {
      long[] w = initializers.get(in.get(1)).longs(1);
      k = Arrays.copyOfRange(w, 2, w.length);
    }
    String label = op + " '" + node.string(3, "") + "'";
    if (k == null) {
      throw new Unsupported(label + " of " + source + " has no kernel_shape");
    }
    int n = k.length;
    long[] s = or(attributeInts(node, "strides"), ones(n));
    long[] d = or(attributeInts(node, "dilations"), ones(n));
    long[] p = or(attributeInts(node, "pads"), new long[2 * n]);
    String auto = attributeString(node, "auto_pad", "NOTSET");
    if (auto.equals("VALID")) {
      p = new long[2 * n];
    } else if (auto.startsWith("SAME")) {
      // SAME pads so that out = ceil(in / s): for an input that is a multiple of the stride (the
      // dense passes make every strided layer's input one) that is k_eff - s in all, the extra
      // one after (SAME_UPPER) or before (SAME_LOWER)
      for (int a = 0; a < n; a++) {
        long total = Math.max(0, d[a] * (k[a] - 1) + 1 - s[a]);
        long lo = auto.equals("SAME_UPPER") ? total / 2 : total - total / 2;
        p[a] = lo;
        p[a + n] = total - lo;
      }
    }
    return new Window(k, s, d, p);
  }

  private ProtoMessage windowed(ProtoMessage node, String op, Window w, long[] din, String label) {
    int n = w.kernel.length;
    long[] dil = times(w.dilations, din);
    long[] pads = new long[2 * n];
    for (int a = 0; a < n; a++) {
      pads[a] = w.pads[a] * din[a];
      pads[a + n] = w.pads[a + n] * din[a];
    }
    ProtoMessage m = copyWithout(node, Set.of("strides", "dilations", "pads", "auto_pad"));
    boolean padFirst = false;
    for (int a = 0; a < 2 * n; a++) {
      padFirst |= op.equals("MaxPool") && pads[a] >= w.kernel[a % n];
    }
    if (padFirst) {
      // ONNX Runtime's pooling wants pads smaller than the kernel (not the dilated span): pad
      // with -inf first, which is what MaxPool's own padding means
      List<String> in = node.strings(1);
      String padded = fresh(in.get(0) + "_fovea_padded");
      long[] all = new long[2 * (n + 2)];
      for (int a = 0; a < n; a++) {
        all[2 + a] = pads[a];
        all[n + 4 + a] = pads[n + a];
      }
      String pname = fresh(label.replaceAll("[^A-Za-z0-9_]", "") + "_fovea_pads");
      added.add(int64Tensor(pname, all));
      String vname = fresh(label.replaceAll("[^A-Za-z0-9_]", "") + "_fovea_minus_inf");
      ProtoMessage v = new ProtoMessage().varint(2, 1).addString(8, vname);
      v.bytes(9, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
          .putFloat(Float.NEGATIVE_INFINITY).array());
      added.add(v);
      ProtoMessage pad = new ProtoMessage().addString(1, in.get(0)).addString(1, pname)
          .addString(1, vname).addString(2, padded).addString(3, fresh(padded + "_node"))
          .addString(4, "Pad");
      pad.message(5, new ProtoMessage().addString(1, "mode").varint(20, 3).bytes(4,
          "constant".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      inserted.add(pad);
      ProtoMessage rewired = new ProtoMessage();
      boolean first = true;
      for (ProtoMessage.Field f : m.fields) {
        if (f.number() == 1 && first) {
          rewired.addString(1, padded);
          first = false;
        } else {
          rewired.fields.add(f);
        }
      }
      m = rewired;
      pads = new long[2 * n];
    }
    m.message(5, ints("strides", ones(n)));
    m.message(5, ints("dilations", dil));
    m.message(5, ints("pads", pads));
    changes.add(String.format(Locale.ROOT, "%s: stride %s -> 1, dilation %s -> %s", label,
        str(w.strides), str(w.dilations), str(dil)));
    return m;
  }

  /** A dilated average pooling as a depthwise convolution with weights 1/k. */
  private ProtoMessage averageAsConv(ProtoMessage node, Window w, long[] din, List<String> in,
      String label) {
    Long c = channels.get(in.get(0));
    if (c == null) {
      throw new Unsupported(label + " of " + source + " would become a depthwise convolution,"
          + " but the number of channels it pools is not known from the graph");
    }
    int n = w.kernel.length;
    long[] dims = new long[n + 2];
    dims[0] = c;
    dims[1] = 1;
    long count = 1;
    for (int a = 0; a < n; a++) {
      dims[a + 2] = w.kernel[a];
      count *= w.kernel[a];
    }
    ByteBuffer raw = ByteBuffer.allocate((int) (c * count * 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < c * count; i++) {
      raw.putFloat(1f / count);
    }
    String wname = fresh(node.string(3, "avgpool") + "_fovea_weights");
    ProtoMessage t = new ProtoMessage();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, 1); // FLOAT
    t.addString(8, wname);
    t.bytes(9, raw.array());
    added.add(t);
    initializers.put(wname, t);
    long[] dil = times(w.dilations, din);
    long[] pads = new long[2 * n];
    for (int a = 0; a < n; a++) {
      pads[a] = w.pads[a] * din[a];
      pads[a + n] = w.pads[a + n] * din[a];
    }
    ProtoMessage m = new ProtoMessage();
    m.addString(1, in.get(0));
    m.addString(1, wname);
    node.strings(2).forEach(o -> m.addString(2, o));
    m.addString(3, node.string(3, "") + "_fovea_dense");
    m.addString(4, "Conv");
    m.message(5, ints("kernel_shape", w.kernel));
    m.message(5, ints("strides", ones(n)));
    m.message(5, ints("dilations", dil));
    m.message(5, ints("pads", pads));
    m.message(5, new ProtoMessage().addString(1, "group").varint(20, 2).varint(3, c));
    changes.add(String.format(Locale.ROOT, "%s: stride %s -> 1, as a depthwise convolution with"
        + " dilation %s", label, str(w.strides), str(dil)));
    return m;
  }

  /** A Pad layer with its spatial pads multiplied by the grid factor. */
  private ProtoMessage pad(ProtoMessage node, List<String> in, long[] din, String label) {
    if (in.size() < 2 || opset < 11) {
      throw new Unsupported(label + " of " + source + " has its pads as attributes (opset "
          + opset + "); re-export with opset 11 or later");
    }
    if (in.size() > 3 && !in.get(3).isEmpty()) {
      throw new Unsupported(label + " of " + source + " pads selected axes only");
    }
    ProtoMessage t = constants.containsKey(in.get(1)) ? constants.get(in.get(1))
        : initializers.get(in.get(1));
    if (t == null) {
      throw new Unsupported(label + " of " + source + " computes its pads at run time");
    }
    long[] p = int64s(t);
    int rank = p.length / 2;
    int n = din.length;
    if (p.length % 2 != 0 || rank < n) {
      throw new Unsupported(label + " of " + source + " has " + p.length + " pads");
    }
    long[] scaled = p.clone();
    for (int a = 0; a < n; a++) {
      scaled[rank - n + a] *= din[a];
      scaled[2 * rank - n + a] *= din[a];
    }
    String pname = fresh(node.string(3, "pad") + "_fovea_pads");
    added.add(int64Tensor(pname, scaled));
    ProtoMessage m = new ProtoMessage();
    for (ProtoMessage.Field f : node.fields) {
      m.fields.add(f.number() == 1 && f.string().equals(in.get(1))
          ? new ProtoMessage.Field(1, ProtoReader.LEN, 0, pname.getBytes(
              java.nio.charset.StandardCharsets.UTF_8)) : f);
    }
    changes.add(label + ": pads " + str(p) + " -> " + str(scaled));
    return m;
  }

  /** A 1-D int64 initializer. */
  private static ProtoMessage int64Tensor(String name, long[] values) {
    ProtoMessage t = new ProtoMessage();
    t.varint(1, values.length);
    t.varint(2, 7); // INT64
    t.addString(8, name);
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    t.bytes(9, raw.array());
    return t;
  }

  private static long[] int64s(ProtoMessage tensor) {
    ProtoMessage.Field raw = tensor.first(9);
    if (raw != null) {
      ByteBuffer b = ByteBuffer.wrap(raw.bytes()).order(ByteOrder.LITTLE_ENDIAN);
      long[] v = new long[raw.bytes().length / 8];
      for (int i = 0; i < v.length; i++) {
        v[i] = b.getLong();
      }
      return v;
    }
    return tensor.longs(7);
  }

  private String fresh(String base) {
    String s = base;
    for (int i = 2; names.contains(s); i++) {
      s = base + i;
    }
    names.add(s);
    return s;
  }

  private static ProtoMessage copyWithout(ProtoMessage node, Set<String> attrs) {
    ProtoMessage m = new ProtoMessage();
    for (ProtoMessage.Field f : node.fields) {
      if (f.number() == 5 && attrs.contains(f.message().string(1, ""))) {
        continue;
      }
      m.fields.add(f);
    }
    return m;
  }

  private static ProtoMessage ints(String name, long[] v) {
    ProtoMessage a = new ProtoMessage().addString(1, name).varint(20, 7); // INTS
    for (long x : v) {
      a.varint(8, x);
    }
    return a;
  }

  private static ProtoMessage.Field attributeField(ProtoMessage node, String name) {
    for (ProtoMessage.Field f : node.all(5)) {
      if (f.message().string(1, "").equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static long[] attributeInts(ProtoMessage node, String name) {
    ProtoMessage.Field f = attributeField(node, name);
    return f == null ? null : f.message().longs(8);
  }

  private static long attributeInt(ProtoMessage node, String name, long fallback) {
    ProtoMessage.Field f = attributeField(node, name);
    if (f == null) {
      return fallback;
    }
    ProtoMessage.Field i = f.message().first(3);
    return i == null ? fallback : i.value();
  }

  private static String attributeString(ProtoMessage node, String name, String fallback) {
    ProtoMessage.Field f = attributeField(node, name);
    return f == null ? fallback : f.message().string(4, fallback);
  }

  /** @return the dims of a value_info's tensor type (-1 for symbolic ones), or null */
  private static long[] dims(ProtoMessage vi) {
    ProtoMessage.Field type = vi.first(2);
    ProtoMessage.Field tt = type == null ? null : type.message().first(1);
    ProtoMessage.Field shape = tt == null ? null : tt.message().first(2);
    if (shape == null) {
      return null;
    }
    List<ProtoMessage.Field> ds = shape.message().all(1);
    long[] r = new long[ds.size()];
    for (int i = 0; i < r.length; i++) {
      ProtoMessage.Field v = ds.get(i).message().first(1);
      r[i] = v == null ? -1 : v.value();
    }
    return r;
  }

  /** @return the value_info without the shape of its tensor type (sizes change) */
  private static ProtoMessage withoutShape(ProtoMessage vi) {
    ProtoMessage.Field type = vi.first(2);
    ProtoMessage.Field tt = type == null ? null : type.message().first(1);
    if (tt == null) {
      return vi;
    }
    ProtoMessage tensorType = tt.message().remove(f -> f.number() == 2);
    ProtoMessage typeProto = type.message().remove(f -> f.number() == 1)
        .message(1, tensorType);
    return new ProtoMessage(vi.fields).remove(f -> f.number() == 2).message(2, typeProto);
  }

  private static long[] ones(int n) {
    long[] r = new long[n];
    Arrays.fill(r, 1);
    return r;
  }

  private static long[] or(long[] v, long[] fallback) {
    return v == null || v.length == 0 ? fallback : v;
  }

  private static long[] times(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new FoveaException("spatial ranks differ: " + a.length + " and " + b.length);
    }
    long[] r = new long[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = a[i] * b[i];
    }
    return r;
  }

  private static boolean isOne(long[] d) {
    return Arrays.stream(d).allMatch(x -> x == 1);
  }

  private static String str(long[] v) {
    return Arrays.toString(v).replace(" ", "");
  }
}
