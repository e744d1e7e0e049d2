package org.fovea.models.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A graph input or output: its name, element type and shape, where a size may be symbolic.
 *
 * @param name the value's name in the graph
 * @param elemType the element type, an {@link OnnxTensor} data type code such as {@link
 *     OnnxTensor#FLOAT}, or 0 when not a tensor or not given
 * @param dims the size of each axis, -1 where the size is symbolic or unknown; null when the
 *     model gives no shape (not even the rank)
 * @param dimParams per axis, the symbolic name (such as {@code "height"}) or null; null when
 *     {@code dims} is null
 * @since 0.1.0
 */
public record OnnxValueInfo(String name, int elemType, long[] dims, List<String> dimParams) {

  /** Copies the arrays so that the record stays immutable. */
  public OnnxValueInfo {
    dims = dims == null ? null : dims.clone();
    dimParams = dimParams == null ? null : Collections.unmodifiableList(new ArrayList<>(dimParams));
  }

  /** @return a copy of the sizes, -1 for symbolic ones, or null when the shape is not given */
  @Override
  public long[] dims() {
    return dims == null ? null : dims.clone();
  }

  /** @return the rank, or -1 when the shape is not given */
  public int rank() {
    return dims == null ? -1 : dims.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OnnxValueInfo v && name.equals(v.name) && elemType == v.elemType
        && Arrays.equals(dims, v.dims) && java.util.Objects.equals(dimParams, v.dimParams);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    if (dims == null) {
      return name + "[?]";
    }
    StringBuilder sb = new StringBuilder(name).append('[');
    for (int i = 0; i < dims.length; i++) {
      sb.append(i > 0 ? "," : "").append(dims[i] >= 0 ? String.valueOf(dims[i])
          : dimParams.get(i) != null ? dimParams.get(i) : "?");
    }
    return sb.append(']').toString();
  }
}
