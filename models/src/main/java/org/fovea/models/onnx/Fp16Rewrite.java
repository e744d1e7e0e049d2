package org.fovea.models.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.FoveaException;

/**
 * An fp32 ONNX graph in float16, for GPUs (CUDA's half-precision convolutions): every float
 * initializer and {@code Constant} becomes float16 (rounded to nearest, ties to even), {@code Cast}
 * nodes to float cast to float16, and the graph's float inputs and outputs stay float32 behind a
 * {@code Cast} each, so that callers feed and read float32 as before. The inputs that ONNX keeps
 * float32 whatever the data's type ({@code Resize}'s {@code roi} and {@code scales}) are left as
 * they are. Recorded intermediate shapes ({@code value_info}) are dropped: ONNX Runtime infers
 * them again. Graphs with operators outside {@link #OPERATORS} are refused with their name.
 *
 * @since 0.5.0
 */
public final class Fp16Rewrite {

  /**
   * A float16 graph.
   *
   * @param model the model's bytes
   * @param tensors how many initializers and constants were converted
   */
  public record Result(byte[] model, int tensors) {}

  /** The standard operators whose float16 form is the same computation (all accept float16). */
  public static final Set<String> OPERATORS = Set.of("Conv", "ConvTranspose", "Relu",
      "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "Tanh", "Softmax", "LogSoftmax",
      "Add", "Sub", "Mul", "Div", "Neg", "Abs", "Sqrt", "Exp", "Concat", "Split", "Slice", "Pad",
      "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization",
      "InstanceNormalization", "Resize", "Upsample", "Transpose", "Reshape", "Flatten",
      "Squeeze", "Unsqueeze", "Identity", "Clip", "Constant", "Cast", "Shape", "Gather",
      "Dropout", "Softplus", "PRelu", "ReduceMean", "ReduceMax", "ReduceSum");

  private Fp16Rewrite() {}

  /**
   * @param model an fp32 ONNX model's bytes
   * @param source the file it came from, for messages
   * @return the float16 model
   * @throws FoveaException when the bytes are not an ONNX model, or the graph has an operator
   *     Fovea does not convert
   */
  public static Result convert(byte[] model, String source) {
    ProtoMessage top;
    OnnxGraph parsed;
    try {
      top = ProtoMessage.parse(model);
      parsed = OnnxModel.parse(model, path(source)).graph();
    } catch (ProtoReader.Corrupt e) {
      throw new FoveaException(source + " is not a readable ONNX model (" + e.getMessage()
          + "): re-export it");
    }
    ProtoMessage.Field g = top.first(7);
    if (g == null) {
      throw new FoveaException(source + " has no graph: it is not an ONNX model");
    }
    for (OnnxNode n : parsed.nodes()) {
      boolean standard = n.domain().isEmpty() || n.domain().equals("ai.onnx");
      if (!standard || !OPERATORS.contains(n.opType())) {
        throw new FoveaException(source + " has the operator " + (standard ? "" : n.domain() + ".")
            + n.opType() + ", which Fovea's fp16 conversion does not handle: run it in fp32"
            + " (leave out --precision)");
      }
      if (n.opType().equals("Constant") && n.attribute("value") == null) {
        throw new FoveaException(source + " has a Constant node '" + n.name() + "' without a"
            + " tensor value, which Fovea's fp16 conversion does not handle: run it in fp32");
      }
    }
    // the tensors ONNX keeps in float32 whatever the data's type
    Set<String> keep = new HashSet<>();
    for (OnnxNode n : parsed.nodes()) {
      if (n.opType().equals("Resize")) {
        for (int i = 1; i <= 2 && i < n.inputs().size(); i++) {
          keep.add(n.input(i));
        }
      } else if (n.opType().equals("Upsample") && n.inputs().size() > 1) {
        keep.add(n.input(1));
      }
    }
    Set<String> names = new HashSet<>(parsed.initializers().keySet());
    parsed.nodes().forEach(n -> {
      names.addAll(n.outputs());
      names.add(n.name());
    });
    parsed.inputs().forEach(v -> names.add(v.name()));
    Map<String, String> renamed = new HashMap<>(); // graph float input or output -> its fp16 twin
    List<ProtoMessage> before = new ArrayList<>();
    List<ProtoMessage> after = new ArrayList<>();
    for (OnnxValueInfo v : parsed.inputs()) {
      if (v.elemType() == OnnxTensor.FLOAT && !parsed.initializers().containsKey(v.name())) {
        String h = GraphNames.fresh(names, v.name() + "_fovea_fp16");
        renamed.put(v.name(), h);
        before.add(cast(v.name(), h, GraphNames.fresh(names, h + "_cast"), OnnxTensor.FLOAT16));
      }
    }
    for (OnnxValueInfo v : parsed.outputs()) {
      if (parsed.initializers().containsKey(v.name())) {
        keep.add(v.name()); // an output read straight from an initializer keeps its type
      } else if (v.elemType() == OnnxTensor.FLOAT && !renamed.containsKey(v.name())) {
        String h = GraphNames.fresh(names, v.name() + "_fovea_fp16");
        renamed.put(v.name(), h);
        after.add(cast(h, v.name(), GraphNames.fresh(names, h + "_cast"), OnnxTensor.FLOAT));
      }
    }
    int converted = 0;
    List<ProtoMessage.Field> fields = new ArrayList<>();
    boolean nodesDone = false;
    for (ProtoMessage.Field f : g.message().fields) {
      switch (f.number()) {
        case 1 -> { // node
          if (!nodesDone) {
            nodesDone = true;
            before.forEach(n -> fields.add(field(1, n)));
          }
          ProtoMessage n = f.message();
          boolean kept = n.strings(2).stream().anyMatch(keep::contains);
          String op = n.string(4, "");
          ProtoMessage r = new ProtoMessage();
          for (ProtoMessage.Field nf : n.fields) {
            if (nf.number() == 1 || nf.number() == 2) {
              // graph inputs are read, and graph outputs written and read, as their fp16 twins
              String s = nf.string();
              r.addString(nf.number(), renamed.getOrDefault(s, s));
            } else if (nf.number() == 5 && !kept && op.equals("Constant")) {
              ProtoMessage a = nf.message();
              if (a.string(1, "").equals("value") && a.first(5) != null) {
                ProtoMessage t = a.first(5).message();
                ProtoMessage h = half(t);
                if (h != t) {
                  converted++;
                }
                ProtoMessage na = new ProtoMessage();
                for (ProtoMessage.Field af : a.fields) {
                  na.fields.add(af.number() == 5 ? field(5, h) : af);
                }
                r.fields.add(field(5, na));
              } else {
                r.fields.add(nf);
              }
            } else if (nf.number() == 5 && !kept && op.equals("Cast")) {
              ProtoMessage a = nf.message();
              boolean toFloat = a.string(1, "").equals("to") && a.first(3) != null
                  && a.first(3).value() == OnnxTensor.FLOAT;
              if (toFloat) {
                ProtoMessage na = new ProtoMessage();
                for (ProtoMessage.Field af : a.fields) {
                  na.fields.add(af.number() == 3
                      ? new ProtoMessage.Field(3, ProtoReader.VARINT, OnnxTensor.FLOAT16, null)
                      : af);
                }
                r.fields.add(field(5, na));
              } else {
                r.fields.add(nf);
              }
            } else {
              r.fields.add(nf);
            }
          }
          fields.add(field(1, r));
        }
        case 5 -> { // initializer
          ProtoMessage t = f.message();
          if (keep.contains(t.string(8, ""))) {
            fields.add(f);
          } else {
            ProtoMessage h = half(t);
            converted += h != t ? 1 : 0;
            fields.add(field(5, h));
          }
        }
        case 11 -> { // input: an initializer listed as an input (IR < 4) takes its new type
          ProtoMessage v = f.message();
          String name = v.string(1, "");
          OnnxTensor init = parsed.initializers().get(name);
          fields.add(init != null && init.dataType() == OnnxTensor.FLOAT && !keep.contains(name)
              ? field(11, typed(v, OnnxTensor.FLOAT16)) : f);
        }
        case 13 -> { } // value_info: inferred again
        default -> fields.add(f);
      }
    }
    if (!nodesDone) {
      before.forEach(n -> fields.add(field(1, n)));
    }
    // the output casts come last among the nodes (repeated fields keep their order)
    after.forEach(n -> fields.add(field(1, n)));
    List<ProtoMessage.Field> m = new ArrayList<>();
    for (ProtoMessage.Field f : top.fields) {
      m.add(f.number() == 7 ? field(7, new ProtoMessage(fields)) : f);
    }
    return new Result(new ProtoMessage(m).encode(), converted);
  }

  /**
   * @param f a float
   * @return the nearest IEEE 754 half-precision value's bits (ties to even; beyond the largest
   *     half, infinity; NaN stays NaN)
   */
  public static short toHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      int m = mant | 0x800000;
      int shift = 14 - e;
      int h = m >>> shift;
      int rem = m & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rem > mid || rem == mid && (h & 1) != 0) {
        h++;
      }
      return (short) (sign | h);
    }
    int h = (e << 10) | (mant >>> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || rem == 0x1000 && (h & 1) != 0) {
      h++; // a carry into the exponent is right, up to infinity
    }
    return (short) (sign | h);
  }

  /**
   * @param h a half-precision value's bits
   * @return its value
   */
  public static float toFloat(short h) {
    int s = (h & 0x8000) << 16;
    int e = (h >>> 10) & 0x1f;
    int m = h & 0x3ff;
    if (e == 0x1f) {
      return Float.intBitsToFloat(s | 0x7f800000 | (m << 13));
    }
    if (e == 0) {
      float v = m * 0x1p-24f;
      return s != 0 ? -v : v;
    }
    return Float.intBitsToFloat(s | ((e - 15 + 127) << 23) | (m << 13));
  }

  /** A float TensorProto as float16 (raw data); any other tensor as it is. */
  private static ProtoMessage half(ProtoMessage t) {
    ProtoMessage.Field type = t.first(2);
    if (type == null || type.value() != OnnxTensor.FLOAT) {
      return t;
    }
    if (t.first(13) != null) { // external data
      throw new FoveaException("a float tensor '" + t.string(8, "") + "' keeps its values in"
          + " an external file, which Fovea's fp16 conversion does not read: run it in fp32");
    }
    float[] v = floats(t);
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putShort(toHalf(x));
    }
    ProtoMessage r = new ProtoMessage();
    for (ProtoMessage.Field f : t.fields) {
      if (f.number() == 2) {
        r.varint(2, OnnxTensor.FLOAT16);
      } else if (f.number() != 4 && f.number() != 9) { // float_data, raw_data
        r.fields.add(f);
      }
    }
    return r.bytes(9, b.array());
  }

  /** The values of a float TensorProto, from raw data or float_data (packed or not). */
  private static float[] floats(ProtoMessage t) {
    ProtoMessage.Field raw = t.first(9);
    if (raw != null) {
      ByteBuffer b = ByteBuffer.wrap(raw.bytes()).order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[raw.bytes().length / 4];
      b.asFloatBuffer().get(v);
      return v;
    }
    List<Float> v = new ArrayList<>();
    for (ProtoMessage.Field f : t.all(4)) {
      if (f.wire() == ProtoReader.LEN) {
        ByteBuffer b = ByteBuffer.wrap(f.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
          v.add(b.getFloat());
        }
      } else {
        v.add(Float.intBitsToFloat((int) f.value()));
      }
    }
    float[] r = new float[v.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = v.get(i);
    }
    return r;
  }

  /** A ValueInfoProto with its tensor element type changed. */
  private static ProtoMessage typed(ProtoMessage v, int elemType) {
    ProtoMessage r = new ProtoMessage();
    for (ProtoMessage.Field f : v.fields) {
      if (f.number() == 2) { // TypeProto
        ProtoMessage tp = new ProtoMessage();
        for (ProtoMessage.Field tf : f.message().fields) {
          if (tf.number() == 1) { // tensor_type
            ProtoMessage tt = new ProtoMessage();
            for (ProtoMessage.Field x : tf.message().fields) {
              tt.fields.add(x.number() == 1
                  ? new ProtoMessage.Field(1, ProtoReader.VARINT, elemType, null) : x);
            }
            tp.fields.add(field(1, tt));
          } else {
            tp.fields.add(tf);
          }
        }
        r.fields.add(field(2, tp));
      } else {
        r.fields.add(f);
      }
    }
    return r;
  }

  private static ProtoMessage cast(String in, String out, String name, int to) {
    ProtoMessage n = new ProtoMessage().addString(1, in).addString(2, out).addString(3, name)
        .addString(4, "Cast");
    return n.message(5, new ProtoMessage().addString(1, "to").varint(3, to).varint(20, 2));
  }

  private static ProtoMessage.Field field(int number, ProtoMessage m) {
    return new ProtoMessage.Field(number, ProtoReader.LEN, 0, m.encode());
  }

  /** The source as a path (for external data next to it, and messages), when it is one. */
  private static java.nio.file.Path path(String source) {
    try {
      return java.nio.file.Path.of(source);
    } catch (java.nio.file.InvalidPathException e) {
      return java.nio.file.Path.of("model.onnx");
    }
  }
}
