package org.fovea.models.onnx;

import java.util.List;

/**
 * One attribute of an ONNX node: its name, its kind and its value. Only the accessor of the
 * attribute's kind returns a value; the others throw.
 *
 * @since 0.1.0
 */
public final class OnnxAttribute {

  /** The kinds of attribute value, in ONNX's numbering ({@code ordinal()} is the code). */
  public enum Kind {
    /** Not set (an invalid attribute). */
    UNDEFINED,
    /** One float. */
    FLOAT,
    /** One integer. */
    INT,
    /** One string. */
    STRING,
    /** One tensor. */
    TENSOR,
    /** One subgraph. */
    GRAPH,
    /** A list of floats. */
    FLOATS,
    /** A list of integers. */
    INTS,
    /** A list of strings. */
    STRINGS,
    /** A list of tensors. */
    TENSORS,
    /** A list of subgraphs. */
    GRAPHS,
    /** A sparse tensor (kept undecoded). */
    SPARSE_TENSOR,
    /** A list of sparse tensors (kept undecoded). */
    SPARSE_TENSORS,
    /** A type (kept undecoded). */
    TYPE_PROTO,
    /** A list of types (kept undecoded). */
    TYPE_PROTOS
  }

  private final String name;
  private final Kind kind;
  private final Object value;

  OnnxAttribute(String name, Kind kind, Object value) {
    this.name = name;
    this.kind = kind;
    this.value = value;
  }

  /** @return the attribute's name, such as {@code kernel_shape} */
  public String name() {
    return name;
  }

  /** @return the kind of value */
  public Kind kind() {
    return kind;
  }

  /** @return the value of a {@link Kind#FLOAT} attribute */
  public float f() {
    return (Float) as(Kind.FLOAT);
  }

  /** @return the value of an {@link Kind#INT} attribute */
  public long i() {
    return (Long) as(Kind.INT);
  }

  /** @return the value of a {@link Kind#STRING} attribute, decoded as UTF-8 */
  public String s() {
    return (String) as(Kind.STRING);
  }

  /** @return a copy of the values of a {@link Kind#FLOATS} attribute */
  public float[] floats() {
    return ((float[]) as(Kind.FLOATS)).clone();
  }

  /** @return a copy of the values of an {@link Kind#INTS} attribute */
  public long[] ints() {
    return ((long[]) as(Kind.INTS)).clone();
  }

  /** @return the values of a {@link Kind#STRINGS} attribute */
  @SuppressWarnings("unchecked")
  public List<String> strings() {
    return (List<String>) as(Kind.STRINGS);
  }

  /** @return the value of a {@link Kind#TENSOR} attribute */
  public OnnxTensor tensor() {
    return (OnnxTensor) as(Kind.TENSOR);
  }

  /** @return the values of a {@link Kind#TENSORS} attribute */
  @SuppressWarnings("unchecked")
  public List<OnnxTensor> tensors() {
    return (List<OnnxTensor>) as(Kind.TENSORS);
  }

  /** @return the subgraph of a {@link Kind#GRAPH} attribute (the body of {@code If} or {@code Loop}) */
  public OnnxGraph graph() {
    return (OnnxGraph) as(Kind.GRAPH);
  }

  /** @return the subgraphs of a {@link Kind#GRAPHS} attribute */
  @SuppressWarnings("unchecked")
  public List<OnnxGraph> graphs() {
    return (List<OnnxGraph>) as(Kind.GRAPHS);
  }

  /**
   * Builds an attribute from the decoded fields of an AttributeProto; infers the kind from the
   * fields set when the file does not give it (files of IR version 1).
   */
  static OnnxAttribute make(String name, int type, int scalarKind, Object scalar, float[] floats,
      long[] ints, List<String> strings, List<OnnxTensor> tensors, List<OnnxGraph> graphs) {
    Kind k;
    if (type > 0 && type < Kind.values().length) {
      k = Kind.values()[type];
    } else if (scalarKind > 0) {
      k = Kind.values()[scalarKind];
    } else if (floats.length > 0) {
      k = Kind.FLOATS;
    } else if (ints.length > 0) {
      k = Kind.INTS;
    } else if (!strings.isEmpty()) {
      k = Kind.STRINGS;
    } else if (!tensors.isEmpty()) {
      k = Kind.TENSORS;
    } else if (!graphs.isEmpty()) {
      k = Kind.GRAPHS;
    } else {
      k = Kind.UNDEFINED;
    }
    Object v = switch (k) {
      case FLOAT, INT, STRING, TENSOR, GRAPH -> {
        if (scalarKind != k.ordinal()) {
          throw new ProtoReader.Corrupt("attribute '" + name + "' of type " + k + " has no value");
        }
        yield scalar;
      }
      case FLOATS -> floats;
      case INTS -> ints;
      case STRINGS -> List.copyOf(strings);
      case TENSORS -> List.copyOf(tensors);
      case GRAPHS -> List.copyOf(graphs);
      default -> null;
    };
    return new OnnxAttribute(name, k, v);
  }

  private Object as(Kind k) {
    if (kind != k) {
      throw new IllegalStateException("attribute '" + name + "' is " + kind + ", not " + k);
    }
    return value;
  }

  @Override
  public String toString() {
    Object v = switch (kind) {
      case FLOATS -> java.util.Arrays.toString((float[]) value);
      case INTS -> java.util.Arrays.toString((long[]) value);
      default -> value;
    };
    return name + "=" + v;
  }
}
