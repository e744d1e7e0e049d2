package org.fovea.ops.instances.star;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Greedy non-maximum suppression of star-convex polygons.
 *
 * <p>Candidates are visited in the order given (best first); a candidate is kept unless a polygon
 * already kept overlaps it by strictly more than the threshold ({@link StarOverlap}); candidates
 * whose mask holds no pixel are dropped. Only kept polygons suppress. Overlaps are counted on
 * {@link PixelMask}s. A uniform grid of cells over the kept polygons' bounding boxes finds the kept
 * polygons near each candidate, so the work grows with the number of candidates times the number
 * of kept neighbours, not with all pairs.
 *
 * @since 0.1.0
 */
public final class StarNms {

  /**
   * The polygons kept.
   *
   * @param indices candidate indices of the kept polygons, in the order they were kept
   * @param masks their pixel masks, in the same order
   */
  public record Kept(int[] indices, List<PixelMask> masks) {}

  private StarNms() {}

  /**
   * @param count number of candidates
   * @param candidate the polygon of candidate {@code i}, asked for once per candidate in order
   *     0, 1, ...; candidates must come best first
   * @param width image width
   * @param height image height
   * @param threshold suppress when the overlap with a kept polygon is greater than this
   * @param overlap the overlap criterion
   * @param cell grid cell size in pixels (positive; about the typical object diameter is good)
   * @return the kept polygons
   * @implNote op names='fovea.starNms'
   */
  public static Kept greedy(int count, IntFunction<StarPolygon> candidate, int width, int height,
      double threshold, StarOverlap overlap, int cell) {
    if (cell < 1) {
      throw new IllegalArgumentException("the grid cell must be at least 1 pixel, got " + cell);
    }
    int gw = Math.max(1, (width + cell - 1) / cell);
    int gh = Math.max(1, (height + cell - 1) / cell);
    int[][] grid = new int[gw * gh][];
    int[] fill = new int[gw * gh];
    List<PixelMask> masks = new ArrayList<>();
    int[] indices = new int[16];
    int[] seen = new int[16];
    for (int i = 0; i < count; i++) {
      PixelMask m = PixelMask.of(candidate.apply(i), width, height);
      if (m.area() == 0) {
        continue;
      }
      int cx0 = m.minX() / cell;
      int cx1 = (m.maxX() - 1) / cell;
      int cy0 = m.minY() / cell;
      int cy1 = (m.maxY() - 1) / cell;
      boolean suppressed = false;
      int stamp = i + 1;
      for (int cy = cy0; cy <= cy1 && !suppressed; cy++) {
        for (int cx = cx0; cx <= cx1 && !suppressed; cx++) {
          int c = cy * gw + cx;
          for (int e = 0; e < fill[c]; e++) {
            int k = grid[c][e];
            if (seen[k] == stamp) {
              continue;
            }
            seen[k] = stamp;
            PixelMask o = masks.get(k);
            if (overlap.of(m.area(), o.area(), m.intersection(o)) > threshold) {
              suppressed = true;
              break;
            }
          }
        }
      }
      if (suppressed) {
        continue;
      }
      int k = masks.size();
      masks.add(m);
      if (k == indices.length) {
        indices = Arrays.copyOf(indices, k * 2);
        seen = Arrays.copyOf(seen, k * 2);
      }
      indices[k] = i;
      for (int cy = cy0; cy <= cy1; cy++) {
        for (int cx = cx0; cx <= cx1; cx++) {
          int c = cy * gw + cx;
          if (grid[c] == null) {
            grid[c] = new int[4];
          } else if (fill[c] == grid[c].length) {
            grid[c] = Arrays.copyOf(grid[c], fill[c] * 2);
          }
          grid[c][fill[c]++] = k;
        }
      }
    }
    return new Kept(Arrays.copyOf(indices, masks.size()), masks);
  }

  /**
   * The same suppression as {@link #greedy} comparing each candidate with every kept polygon:
   * the reference for tests and benchmarks.
   *
   * @param count number of candidates
   * @param candidate the polygon of candidate {@code i}, best first
   * @param width image width
   * @param height image height
   * @param threshold suppress when the overlap with a kept polygon is greater than this
   * @param overlap the overlap criterion
   * @return the kept polygons
   */
  public static Kept allPairs(int count, IntFunction<StarPolygon> candidate, int width,
      int height, double threshold, StarOverlap overlap) {
    List<PixelMask> masks = new ArrayList<>();
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PixelMask m = PixelMask.of(candidate.apply(i), width, height);
      if (m.area() == 0) {
        continue;
      }
      boolean suppressed = false;
      for (PixelMask o : masks) {
        if (overlap.of(m.area(), o.area(), m.intersection(o)) > threshold) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        masks.add(m);
        indices.add(i);
      }
    }
    return new Kept(indices.stream().mapToInt(Integer::intValue).toArray(), masks);
  }
}
