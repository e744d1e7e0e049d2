package org.fovea.models.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * A constant tensor of an ONNX model (an initializer or an attribute value), decoded: float types
 * as {@code float[]}, integer and boolean types as {@code long[]}, strings as text.
 *
 * @since 0.1.0
 */
public final class OnnxTensor {

  /** Data type code of 32-bit floats. */
  public static final int FLOAT = 1;
  /** Data type code of unsigned bytes. */
  public static final int UINT8 = 2;
  /** Data type code of signed bytes. */
  public static final int INT8 = 3;
  /** Data type code of unsigned 16-bit integers. */
  public static final int UINT16 = 4;
  /** Data type code of signed 16-bit integers. */
  public static final int INT16 = 5;
  /** Data type code of signed 32-bit integers. */
  public static final int INT32 = 6;
  /** Data type code of signed 64-bit integers. */
  public static final int INT64 = 7;
  /** Data type code of strings. */
  public static final int STRING = 8;
  /** Data type code of booleans. */
  public static final int BOOL = 9;
  /** Data type code of IEEE half floats. */
  public static final int FLOAT16 = 10;
  /** Data type code of 64-bit floats. */
  public static final int DOUBLE = 11;
  /** Data type code of unsigned 32-bit integers. */
  public static final int UINT32 = 12;
  /** Data type code of unsigned 64-bit integers (kept as their signed bit pattern). */
  public static final int UINT64 = 13;
  /** Data type code of bfloat16 floats. */
  public static final int BFLOAT16 = 16;

  private final String name;
  private final long[] dims;
  private final int dataType;
  private final float[] floats;
  private final long[] longs;
  private final List<String> strings;

  OnnxTensor(String name, long[] dims, int dataType, float[] floats, long[] longs,
      List<String> strings) {
    this.name = name;
    this.dims = dims.clone();
    this.dataType = dataType;
    this.floats = floats;
    this.longs = longs;
    this.strings = strings == null ? null : List.copyOf(strings);
  }

  /** @return the tensor's name, empty for an unnamed attribute value */
  public String name() {
    return name;
  }

  /** @return a copy of the sizes, outermost first; empty for a scalar */
  public long[] dims() {
    return dims.clone();
  }

  /** @return the ONNX data type code, such as {@link #FLOAT} or {@link #INT64} */
  public int dataType() {
    return dataType;
  }

  /** @return the number of elements, the product of {@link #dims()} */
  public long elementCount() {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /**
   * @return whether the file stores the values; false for a tensor kept with its name, type and
   *     dims only (a graph stripped of its weights) or of a data type this reader does not decode
   */
  public boolean hasValues() {
    return floats != null || longs != null || strings != null || elementCount() == 0;
  }

  /** @return whether the values are floats ({@code FLOAT}, {@code DOUBLE}, half floats) */
  public boolean isFloat() {
    return floats != null;
  }

  /**
   * @return the values in C order, for {@code FLOAT}, {@code DOUBLE} (narrowed), {@code FLOAT16}
   *     and {@code BFLOAT16}; the array is shared, do not modify it
   * @throws IllegalStateException for other data types
   */
  public float[] floats() {
    if (floats == null) {
      throw new IllegalStateException("tensor '" + name + "' " + (hasValues()
          ? "holds " + typeName(dataType) + ", not floats" : "has no stored values, only dims"));
    }
    return floats;
  }

  /**
   * @return the values in C order, for the integer types and {@code BOOL} (0 or 1); the array is
   *     shared, do not modify it
   * @throws IllegalStateException for other data types
   */
  public long[] longs() {
    if (longs == null) {
      throw new IllegalStateException("tensor '" + name + "' " + (hasValues() ? "holds "
          + typeName(dataType) + ", not integers" : "has no stored values, only dims"));
    }
    return longs;
  }

  /**
   * @return the values of a {@code STRING} tensor, decoded as UTF-8
   * @throws IllegalStateException for other data types
   */
  public List<String> strings() {
    if (strings == null) {
      throw new IllegalStateException("tensor '" + name + "' holds " + typeName(dataType)
          + ", not strings");
    }
    return strings;
  }

  /**
   * @param code an ONNX data type code
   * @return its name, such as {@code FLOAT}, or {@code type N} for a code this reader does not name
   */
  public static String typeName(int code) {
    return switch (code) {
      case FLOAT -> "FLOAT";
      case UINT8 -> "UINT8";
      case INT8 -> "INT8";
      case UINT16 -> "UINT16";
      case INT16 -> "INT16";
      case INT32 -> "INT32";
      case INT64 -> "INT64";
      case STRING -> "STRING";
      case BOOL -> "BOOL";
      case FLOAT16 -> "FLOAT16";
      case DOUBLE -> "DOUBLE";
      case UINT32 -> "UINT32";
      case UINT64 -> "UINT64";
      case BFLOAT16 -> "BFLOAT16";
      default -> "type " + code;
    };
  }

  @Override
  public String toString() {
    return "OnnxTensor[" + name + " " + typeName(dataType) + " " + Arrays.toString(dims) + "]";
  }
}
