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
 * <p>A network that takes only one input size ({@link #fixed}) gets input ranges of exactly that
 * size: the core grown by the halo, not clipped, reaching past the border into the mirrored image.
 *
 * @param size the image size on this axis (a multiple of {@code step})
 * @param tile the core size (a multiple of {@code step})
 * @param halo the context on each side (a multiple of {@code step})
 * @param step the network's size step
 * @param input the one input size the network takes, {@code tile + 2 * halo}; 0 when it takes
 *     any size on the step grid
 * @since 0.1.0
 */
public record TilePlan(long size, long tile, long halo, long step, long input)
    implements java.io.Serializable {

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
        || size < 1 || size % step != 0 || input != 0 && input != tile + 2 * halo) {
      throw new IllegalArgumentException("bad tile plan: size " + size + ", tile " + tile
          + ", halo " + halo + ", step " + step + ", input " + input);
    }
  }

  /**
   * A plan for a network that takes any size on the step grid.
   *
   * @param size the image size on this axis (a multiple of {@code step})
   * @param tile the core size (a multiple of {@code step})
   * @param halo the context on each side (a multiple of {@code step})
   * @param step the network's size step
   */
  public TilePlan(long size, long tile, long halo, long step) {
    this(size, tile, halo, step, 0);
  }

  /**
   * A plan for a network that takes only one input size: every tile reads exactly that many
   * pixels, its core in the middle and the halo on both sides (mirrored beyond the image).
   *
   * @param size the image size
   * @param input the one input size the network takes
   * @param reach how far an output sees beyond itself (the receptive-field reach)
   * @return the plan, with cores of {@code input - 2 * reach}
   * @throws IllegalArgumentException when the reach leaves no core ({@code 2 * reach >= input})
   */
  public static TilePlan fixed(long size, long input, long reach) {
    if (input - 2 * reach < 1) {
      throw new IllegalArgumentException("an input of " + input + " px leaves no core inside a"
          + " reach of " + reach + " px on each side");
    }
    return new TilePlan(size, input - 2 * reach, reach, 1, input);
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

  /**
   * @return the tiles, in order. Every tile reads {@code tile + 2 halo} pixels (or the whole size
   *     when smaller): a tile at an edge, whose core and halo are cut by the image's border, reads
   *     further inward instead, so that no tile is smaller than the others (a network's minimum
   *     input size holds for all of them; the extra context does not change the core)
   */
  public List<Span> spans() {
    List<Span> l = new ArrayList<>();
    long want = Math.min(size, tile + 2 * halo);
    for (long c = 0; c < size; c += tile) {
      long e = Math.min(size, c + tile);
      if (input > 0) {
        l.add(new Span(c, e, c - halo, c - halo + input));
        continue;
      }
      long s0 = Math.max(0, c - halo);
      long s1 = Math.min(size, e + halo);
      if (s1 - s0 < want) {
        if (s0 == 0) {
          s1 = want;
        } else {
          s0 = s1 - want;
        }
      }
      l.add(new Span(c, e, s0, s1));
    }
    return l;
  }
}
