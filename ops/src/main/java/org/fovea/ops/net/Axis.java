package org.fovea.ops.net;

/**
 * The kinds of axis a tensor can have, with the one-letter names that bioimage.io model packages
 * use ({@code b}, {@code c}, {@code z}, {@code y}, {@code x}, {@code t}, {@code i}).
 *
 * @since 0.1.0
 */
public enum Axis {
  /** Batch: independent samples. */
  BATCH('b'),
  /** Channel (or class, for outputs). */
  CHANNEL('c'),
  /** Time. */
  TIME('t'),
  /** Depth, a spatial axis. */
  Z('z'),
  /** Rows, a spatial axis. */
  Y('y'),
  /** Columns, a spatial axis. */
  X('x'),
  /** A plain index axis without geometry. */
  INDEX('i');

  private final char letter;

  Axis(char letter) {
    this.letter = letter;
  }

  /** @return the one-letter bioimage.io name of this axis */
  public char letter() {
    return letter;
  }

  /** @return true for {@link #Z}, {@link #Y} and {@link #X} */
  public boolean isSpatial() {
    return this == Z || this == Y || this == X;
  }

  /**
   * @param letter a bioimage.io axis letter
   * @return the axis of that letter
   * @throws IllegalArgumentException when the letter names no axis
   */
  public static Axis of(char letter) {
    for (Axis a : values()) {
      if (a.letter == Character.toLowerCase(letter)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown axis '" + letter + "': expected one of b, c, t, z, y, x, i");
  }
}
