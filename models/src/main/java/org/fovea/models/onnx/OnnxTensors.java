package org.fovea.models.onnx;

import static org.fovea.models.onnx.OnnxTensor.BFLOAT16;
import static org.fovea.models.onnx.OnnxTensor.BOOL;
import static org.fovea.models.onnx.OnnxTensor.DOUBLE;
import static org.fovea.models.onnx.OnnxTensor.FLOAT;
import static org.fovea.models.onnx.OnnxTensor.FLOAT16;
import static org.fovea.models.onnx.OnnxTensor.INT16;
import static org.fovea.models.onnx.OnnxTensor.INT32;
import static org.fovea.models.onnx.OnnxTensor.INT64;
import static org.fovea.models.onnx.OnnxTensor.INT8;
import static org.fovea.models.onnx.OnnxTensor.STRING;
import static org.fovea.models.onnx.OnnxTensor.UINT16;
import static org.fovea.models.onnx.OnnxTensor.UINT32;
import static org.fovea.models.onnx.OnnxTensor.UINT64;
import static org.fovea.models.onnx.OnnxTensor.UINT8;

import java.nio.ByteBuffer;
import java.util.List;
import org.fovea.models.onnx.ProtoReader.Corrupt;
import org.fovea.models.onnx.ProtoReader.FloatList;
import org.fovea.models.onnx.ProtoReader.LongList;

/** Turns the storage fields of a TensorProto (raw little-endian bytes or typed lists) into values. */
final class OnnxTensors {

  private OnnxTensors() {}

  static OnnxTensor decode(String name, long[] dims, int type, long n, byte[] raw,
      FloatList floats, LongList int32s, LongList int64s, LongList uint64s, FloatList doubles,
      List<String> strings) {
    float[] f = null;
    long[] l = null;
    List<String> s = null;
    switch (type) {
      case FLOAT -> f = raw != null ? rawFloats(raw, name) : floats.toArray();
      case DOUBLE -> f = raw != null ? rawDoubles(raw, name) : doubles.toArray();
      case FLOAT16, BFLOAT16 -> f = halves(raw != null ? rawInts(raw, 2, false, name)
          : int32s.toArray(), type == BFLOAT16);
      case INT64 -> l = raw != null ? rawInts(raw, 8, true, name) : int64s.toArray();
      case INT32 -> l = raw != null ? rawInts(raw, 4, true, name) : int32s.toArray();
      case INT16 -> l = raw != null ? rawInts(raw, 2, true, name) : int32s.toArray();
      case INT8 -> l = raw != null ? rawInts(raw, 1, true, name) : int32s.toArray();
      case UINT16 -> l = raw != null ? rawInts(raw, 2, false, name) : int32s.toArray();
      case UINT8, BOOL -> l = raw != null ? rawInts(raw, 1, false, name) : int32s.toArray();
      case UINT32 -> l = raw != null ? rawInts(raw, 4, false, name) : uint64s.toArray();
      case UINT64 -> l = raw != null ? rawInts(raw, 8, false, name) : uint64s.toArray();
      case STRING -> s = strings;
      default -> {
        return new OnnxTensor(name, dims, type, null, null, null);
      }
    }
    long got = f != null ? f.length : l != null ? l.length : s.size();
    if (got == 0 && n > 0 && raw == null) {
      return new OnnxTensor(name, dims, type, null, null, null); // shape only, values stripped
    }
    if (got != n) {
      throw new Corrupt("tensor '" + name + "' holds " + got + " values for " + n + " elements");
    }
    return new OnnxTensor(name, dims, type, f, l, s);
  }

  private static float[] rawFloats(byte[] raw, String name) {
    size(raw, 4, name);
    float[] f = new float[raw.length / 4];
    OnnxParser.le(raw).asFloatBuffer().get(f);
    return f;
  }

  private static float[] rawDoubles(byte[] raw, String name) {
    size(raw, 8, name);
    double[] d = new double[raw.length / 8];
    OnnxParser.le(raw).asDoubleBuffer().get(d);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static long[] rawInts(byte[] raw, int width, boolean signed, String name) {
    size(raw, width, name);
    ByteBuffer b = OnnxParser.le(raw);
    long[] l = new long[raw.length / width];
    for (int i = 0; i < l.length; i++) {
      l[i] = switch (width) {
        case 1 -> signed ? b.get(i) : b.get(i) & 0xffL;
        case 2 -> signed ? b.getShort(2 * i) : b.getShort(2 * i) & 0xffffL;
        case 4 -> signed ? b.getInt(4 * i) : b.getInt(4 * i) & 0xffffffffL;
        default -> b.getLong(8 * i);
      };
    }
    return l;
  }

  private static void size(byte[] raw, int width, String name) {
    if (raw.length % width != 0) {
      throw new Corrupt("tensor '" + name + "' has " + raw.length + " raw bytes, not a multiple of "
          + width);
    }
  }

  /** Converts IEEE half floats or bfloat16 bit patterns (in the low 16 bits) to floats. */
  private static float[] halves(long[] bits, boolean bfloat) {
    float[] f = new float[bits.length];
    for (int i = 0; i < bits.length; i++) {
      int h = (int) bits[i] & 0xffff;
      f[i] = bfloat ? Float.intBitsToFloat(h << 16) : half(h);
    }
    return f;
  }

  private static float half(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
  }
}
