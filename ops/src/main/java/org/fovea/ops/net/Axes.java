package org.fovea.ops.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordered list of distinct axes, outermost first, as a tensor's shape lists them (for example
 * {@code bcyx}: batch, channel, rows, columns, with columns varying fastest in memory).
 *
 * @param list the axes, outermost first
 * @since 0.1.0
 */
public record Axes(List<Axis> list) {

  /** Validates that no axis repeats. */
  public Axes {
    list = List.copyOf(list);
    for (int i = 0; i < list.size(); i++) {
      if (list.subList(0, i).contains(list.get(i))) {
        throw new IllegalArgumentException("axis '" + list.get(i).letter() + "' appears twice");
      }
    }
  }

  /**
   * @param letters the axis letters, outermost first, such as {@code "bcyx"}
   * @return the axes
   * @throws IllegalArgumentException for an unknown or repeated letter
   */
  public static Axes of(String letters) {
    List<Axis> l = new ArrayList<>();
    for (char ch : letters.toCharArray()) {
      l.add(Axis.of(ch));
    }
    return new Axes(l);
  }

  /** @return the number of axes */
  public int size() {
    return list.size();
  }

  /**
   * @param i position, outermost first
   * @return the axis there
   */
  public Axis get(int i) {
    return list.get(i);
  }

  /**
   * @param a an axis
   * @return its position, or -1 when absent
   */
  public int indexOf(Axis a) {
    return list.indexOf(a);
  }

  /**
   * @param a an axis
   * @return whether it is present
   */
  public boolean has(Axis a) {
    return list.contains(a);
  }

  /** @return the spatial axes in order, outermost first */
  public List<Axis> spatial() {
    return list.stream().filter(Axis::isSpatial).toList();
  }

  /** @return the axes in ImgLib2 order (fastest first), the reverse of this list */
  public List<Axis> imglib2Order() {
    List<Axis> r = new ArrayList<>(list);
    Collections.reverse(r);
    return r;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    list.forEach(a -> sb.append(a.letter()));
    return sb.toString();
  }
}
