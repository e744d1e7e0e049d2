package org.fovea.ops.tiling;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the tiles of one axis go: each tile has a core (the outputs it writes) and an input range
 * (the core grown by the halo, clipped to the image).
 *
 * <p>Cores start at multiples of the tile size, which is a multiple of the network's size step, and
 * the halo is rounded up to the step too, so every input range starts on the step grid: a network
 * with pooling sees each tile with the same phase as the whole image. Where an input range is
 * clipped by the image border the network pads exactly as it does on the whole image, so the
 * stitched cores equal the whole-image output.
 *
 * @param size the image size on this axis (a multiple of {@code step})
 * @param tile the core size (a multiple of {@code step})
 * @param halo the context on each side (a multiple of {@code step})
 * @param step the network's size step
 * @since 0.1.0
 */
public record TilePlan(long size, long tile, long halo, long step) implements java.io.Serializable {

  /**
   * One tile on one axis.
   *
   * @param coreStart first output written
   * @param coreEnd one past the last output written
   * @param inStart first input read
   * @param inEnd one past the last input read
   */
  public record Span(long coreStart, long coreEnd, long inStart, long inEnd) {
    /** @return the input length */
    public long inSize() {
      return inEnd - inStart;
    }
  }

  /** Validates the plan. */
  public TilePlan {
    if (step < 1 || tile < step || tile % step != 0 || halo < 0 || halo % step != 0
        || size < 1 || size % step != 0) {
      throw new IllegalArgumentException("bad tile plan: size " + size + ", tile " + tile
          + ", halo " + halo + ", step " + step);
    }
  }

  /**
   * @param size the image size
   * @param wantedTile the wanted core size
   * @param reach how far an output sees beyond itself (the receptive-field reach)
   * @param step the network's size step
   * @return a plan with the tile rounded up to the step, at most the image size
   */
  public static TilePlan of(long size, long wantedTile, long reach, long step) {
    long t = Math.min(roundUp(Math.max(1, wantedTile), step), size);
    return new TilePlan(size, t, roundUp(reach, step), step);
  }

  /**
   * @param v a value
   * @param step a step
   * @return the smallest multiple of step at least v
   */
  public static long roundUp(long v, long step) {
    return (v + step - 1) / step * step;
  }

  /** @return the tiles, in order */
  public List<Span> spans() {
    List<Span> l = new ArrayList<>();
    for (long c = 0; c < size; c += tile) {
      long e = Math.min(size, c + tile);
      l.add(new Span(c, e, Math.max(0, c - halo), Math.min(size, e + halo)));
    }
    return l;
  }
}
