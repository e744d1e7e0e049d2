package org.fovea.models.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test helper: writes small ONNX protobuf messages by hand, field by field. */
public final class OnnxBytes {

  private OnnxBytes() {}

  /** A protobuf message under construction. */
  public static final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void raw(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) (v & 0x7f) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }

    /** Writes a varint field. */
    public Msg varint(int field, long v) {
      raw((long) field << 3);
      raw(v);
      return this;
    }

    /** Writes a length-delimited field. */
    public Msg bytes(int field, byte[] b) {
      raw((long) field << 3 | 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    /** Writes a string field. */
    public Msg string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a nested message field. */
    public Msg msg(int field, Msg m) {
      return bytes(field, m.toBytes());
    }

    /** Writes a 32-bit float field. */
    public Msg fixed32(int field, float f) {
      raw((long) field << 3 | 5);
      int b = Float.floatToIntBits(f);
      for (int i = 0; i < 4; i++) {
        out.write(b >>> (8 * i) & 0xff);
      }
      return this;
    }

    /** Writes packed floats. */
    public Msg floats(int field, float... v) {
      ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        b.putFloat(f);
      }
      return bytes(field, b.array());
    }

    /** Writes packed varints. */
    public Msg longs(int field, long... v) {
      Msg m = new Msg();
      for (long x : v) {
        m.raw(x);
      }
      return bytes(field, m.toBytes());
    }

    /** @return the encoded message */
    public byte[] toBytes() {
      return out.toByteArray();
    }
  }

  /** @return a ModelProto of IR version 8 with one default-domain opset */
  public static Msg model(int opset, Msg graph) {
    return new Msg().varint(1, 8).string(2, "fovea-test").msg(7, graph)
        .msg(8, new Msg().string(1, "").varint(2, opset));
  }

  /**
   * @param dims each a Long (a size) or a String (a symbolic size)
   * @return a ValueInfoProto of a tensor
   */
  public static Msg value(String name, int elem, Object... dims) {
    Msg shape = new Msg();
    for (Object d : dims) {
      shape.msg(1, d instanceof String s ? new Msg().string(2, s)
          : new Msg().varint(1, ((Number) d).longValue()));
    }
    Msg tensorType = new Msg().varint(1, elem).msg(2, shape);
    return new Msg().string(1, name).msg(2, new Msg().msg(1, tensorType));
  }

  /** @return a NodeProto */
  public static Msg node(String op, String name, List<String> in, List<String> out,
      Msg... attributes) {
    Msg m = new Msg();
    in.forEach(s -> m.string(1, s));
    out.forEach(s -> m.string(2, s));
    m.string(3, name).string(4, op);
    for (Msg a : attributes) {
      m.msg(5, a);
    }
    return m;
  }

  /** @return an INTS attribute */
  public static Msg ints(String name, long... v) {
    return new Msg().string(1, name).varint(20, 7).longs(8, v);
  }

  /** @return a STRING attribute */
  public static Msg string(String name, String v) {
    return new Msg().string(1, name).varint(20, 3).string(4, v);
  }

  /** @return a TENSOR attribute */
  public static Msg tensor(String name, Msg t) {
    return new Msg().string(1, name).varint(20, 4).msg(5, t);
  }

  /** @return a FLOAT TensorProto, in raw_data or in float_data */
  public static Msg floatTensor(String name, long[] dims, float[] v, boolean raw) {
    Msg t = new Msg().longs(1, dims).varint(2, OnnxTensor.FLOAT).string(8, name);
    if (raw) {
      ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        b.putFloat(f);
      }
      return t.bytes(9, b.array());
    }
    return t.floats(4, v);
  }
}
