package org.fovea.models.onnx;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over protobuf wire-format bytes: tags, varints, fixed-width numbers and
 * length-delimited slices, each checked against the end of its message.
 *
 * <p>Any malformed or truncated input raises {@link Corrupt}; callers turn it into a sentence
 * that names the file.
 */
final class ProtoReader {

  /** Wire type of a varint field. */
  static final int VARINT = 0;
  /** Wire type of a 64-bit field. */
  static final int FIXED64 = 1;
  /** Wire type of a length-delimited field. */
  static final int LEN = 2;
  /** Wire type of a 32-bit field. */
  static final int FIXED32 = 5;

  /** Thrown for bytes that are not valid protobuf. */
  static final class Corrupt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Corrupt(String message) {
      super(message);
    }
  }

  private final byte[] buf;
  private int pos;
  private final int limit;
  private int tag;

  ProtoReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  private ProtoReader(byte[] buf, int start, int limit) {
    this.buf = buf;
    this.pos = start;
    this.limit = limit;
  }

  /**
   * Reads the next field's tag.
   *
   * @return false at the end of the message
   */
  boolean next() {
    if (pos >= limit) {
      return false;
    }
    long t = varint();
    if (t >>> 3 == 0 || t > Integer.MAX_VALUE) {
      throw new Corrupt("invalid field tag " + t + " at byte " + pos);
    }
    tag = (int) t;
    return true;
  }

  /** @return whether bytes remain in this message */
  boolean more() {
    return pos < limit;
  }

  /** @return the current field's number */
  int field() {
    return tag >>> 3;
  }

  /** @return the current field's wire type */
  int wireType() {
    return tag & 7;
  }

  /** @return the next varint */
  long varint() {
    long r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new Corrupt("truncated varint at byte " + pos);
      }
      byte b = buf[pos++];
      r |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return r;
      }
    }
    throw new Corrupt("varint longer than 10 bytes at byte " + pos);
  }

  /** @return the next little-endian 32-bit value */
  int fixed32() {
    need(4);
    int r = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
        | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return r;
  }

  /** @return the next little-endian 64-bit value */
  long fixed64() {
    long lo = fixed32() & 0xffffffffL;
    long hi = fixed32() & 0xffffffffL;
    return lo | hi << 32;
  }

  /** @return a reader over the current length-delimited field, which this reader skips */
  ProtoReader message() {
    expect(LEN);
    int n = length();
    ProtoReader r = new ProtoReader(buf, pos, pos + n);
    pos += n;
    return r;
  }

  /** @return the current length-delimited field's bytes */
  byte[] bytes() {
    expect(LEN);
    int n = length();
    byte[] r = new byte[n];
    System.arraycopy(buf, pos, r, 0, n);
    pos += n;
    return r;
  }

  /** @return the current length-delimited field as UTF-8 text */
  String string() {
    expect(LEN);
    int n = length();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** @return the current varint field's value */
  long int64() {
    expect(VARINT);
    return varint();
  }

  /** @return the current 32-bit field as a float */
  float float32() {
    expect(FIXED32);
    return Float.intBitsToFloat(fixed32());
  }

  /**
   * Reads a repeated varint field, packed or not, into {@code out}.
   *
   * @param out the values read so far
   */
  void int64s(LongList out) {
    if (wireType() == LEN) {
      ProtoReader r = message();
      while (r.pos < r.limit) {
        out.add(r.varint());
      }
    } else {
      out.add(int64());
    }
  }

  /**
   * Reads a repeated float field, packed or not, into {@code out}.
   *
   * @param out the values read so far
   */
  void floats(FloatList out) {
    if (wireType() == LEN) {
      ProtoReader r = message();
      if ((r.limit - r.pos) % 4 != 0) {
        throw new Corrupt("packed floats of " + (r.limit - r.pos) + " bytes");
      }
      out.ensure((r.limit - r.pos) / 4);
      while (r.pos < r.limit) {
        out.add(Float.intBitsToFloat(r.fixed32()));
      }
    } else {
      out.add(float32());
    }
  }

  /**
   * Reads a repeated double field, packed or not, into {@code out} as floats.
   *
   * @param out the values read so far
   */
  void doubles(FloatList out) {
    if (wireType() == LEN) {
      ProtoReader r = message();
      if ((r.limit - r.pos) % 8 != 0) {
        throw new Corrupt("packed doubles of " + (r.limit - r.pos) + " bytes");
      }
      while (r.pos < r.limit) {
        out.add((float) Double.longBitsToDouble(r.fixed64()));
      }
    } else {
      expect(FIXED64);
      out.add((float) Double.longBitsToDouble(fixed64()));
    }
  }

  /** Skips the current field. */
  void skip() {
    switch (wireType()) {
      case VARINT -> varint();
      case FIXED64 -> {
        need(8);
        pos += 8;
      }
      case LEN -> {
        int n = length();
        pos += n;
      }
      case FIXED32 -> {
        need(4);
        pos += 4;
      }
      default -> throw new Corrupt("unsupported wire type " + wireType() + " for field " + field());
    }
  }

  private int length() {
    long n = varint();
    if (n < 0 || n > limit - pos) {
      throw new Corrupt("field " + field() + " claims " + n + " bytes but only " + (limit - pos)
          + " remain");
    }
    return (int) n;
  }

  private void need(int n) {
    if (limit - pos < n) {
      throw new Corrupt("truncated field " + field() + " at byte " + pos);
    }
  }

  private void expect(int wire) {
    if (wireType() != wire) {
      throw new Corrupt("field " + field() + " has wire type " + wireType() + ", expected " + wire);
    }
  }

  /** A growable list of longs. */
  static final class LongList {
    private long[] a = new long[8];
    private int n;

    void add(long v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }

    int size() {
      return n;
    }
  }

  /** A growable list of floats. */
  static final class FloatList {
    private float[] a = new float[8];
    private int n;

    void ensure(int extra) {
      if (a.length - n < extra) {
        a = java.util.Arrays.copyOf(a, n + extra);
      }
    }

    void add(float v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }

    int size() {
      return n;
    }
  }
}
