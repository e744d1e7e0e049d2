package org.fovea.io.zarr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A Zarr v2 numeric data type ({@code "<f4"}, {@code "|u1"}, {@code ">u2"}, ...): its byte order,
 * kind and size. Values are read as floats (exact for 8- and 16-bit integers and {@code f4}) and
 * written from floats (rounded and clamped for integer types).
 *
 * @param order byte order of multi-byte values
 * @param kind {@code 'f'} float, {@code 'u'} unsigned, {@code 'i'} signed integer
 * @param size bytes per value
 * @since 0.1.0
 */
public record DType(ByteOrder order, char kind, int size) {

  /** Little-endian 32-bit float, {@code "<f4"}. */
  public static final DType FLOAT32 = new DType(ByteOrder.LITTLE_ENDIAN, 'f', 4);
  /** Unsigned byte, {@code "|u1"}. */
  public static final DType UINT8 = new DType(ByteOrder.LITTLE_ENDIAN, 'u', 1);
  /** Little-endian unsigned 16-bit integer, {@code "<u2"}. */
  public static final DType UINT16 = new DType(ByteOrder.LITTLE_ENDIAN, 'u', 2);

  /**
   * @param s a Zarr v2 dtype string
   * @return the type, or null when Fovea does not read it
   */
  public static DType parse(String s) {
    if (s == null || s.length() < 3) {
      return null;
    }
    char o = s.charAt(0);
    char k = s.charAt(1);
    int n;
    try {
      n = Integer.parseInt(s.substring(2));
    } catch (NumberFormatException e) {
      return null;
    }
    ByteOrder bo = o == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    if (o != '<' && o != '>' && o != '|') {
      return null;
    }
    boolean ok = switch (k) {
      case 'f' -> n == 4 || n == 8;
      case 'u', 'i' -> n == 1 || n == 2 || n == 4;
      default -> false;
    };
    return ok ? new DType(bo, k, n) : null;
  }

  /** @return the Zarr v2 dtype string */
  public String code() {
    char o = size == 1 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
    return "" + o + kind + size;
  }

  @Override
  public String toString() {
    return code();
  }

  /**
   * Decodes {@code count} values.
   *
   * @param bytes the raw chunk
   * @param count values to decode
   * @param dst receives them
   */
  public void decode(byte[] bytes, int count, float[] dst) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
    switch (kind) {
      case 'f' -> {
        if (size == 4) {
          b.asFloatBuffer().get(dst, 0, count);
        } else {
          for (int i = 0; i < count; i++) {
            dst[i] = (float) b.getDouble(8 * i);
          }
        }
      }
      case 'u' -> {
        for (int i = 0; i < count; i++) {
          dst[i] = switch (size) {
            case 1 -> bytes[i] & 0xff;
            case 2 -> b.getShort(2 * i) & 0xffff;
            default -> b.getInt(4 * i) & 0xffffffffL;
          };
        }
      }
      default -> {
        for (int i = 0; i < count; i++) {
          dst[i] = switch (size) {
            case 1 -> bytes[i];
            case 2 -> b.getShort(2 * i);
            default -> b.getInt(4 * i);
          };
        }
      }
    }
  }

  /**
   * Encodes values (integers rounded to nearest and clamped to the type's range).
   *
   * @param src the values
   * @param count values to encode
   * @return {@code count * size} bytes
   */
  public byte[] encode(float[] src, int count) {
    byte[] bytes = new byte[count * size];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
    if (kind == 'f') {
      if (size == 4) {
        b.asFloatBuffer().put(src, 0, count);
      } else {
        for (int i = 0; i < count; i++) {
          b.putDouble(8 * i, src[i]);
        }
      }
      return bytes;
    }
    double lo = kind == 'u' ? 0 : -Math.pow(2, 8 * size - 1);
    double hi = kind == 'u' ? Math.pow(2, 8 * size) - 1 : Math.pow(2, 8 * size - 1) - 1;
    for (int i = 0; i < count; i++) {
      long v = (long) Math.max(lo, Math.min(hi, Math.rint(src[i])));
      switch (size) {
        case 1 -> bytes[i] = (byte) v;
        case 2 -> b.putShort(2 * i, (short) v);
        default -> b.putInt(4 * i, (int) v);
      }
    }
    return bytes;
  }
}
