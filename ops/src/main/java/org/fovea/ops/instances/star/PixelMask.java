package org.fovea.ops.instances.star;

import java.util.Arrays;

/**
 * The pixels of a {@link StarPolygon}, stored as horizontal runs per row.
 *
 * <p>A pixel belongs to the polygon when its centre (integer coordinates) lies inside it by the
 * even-odd rule, with half-open edges: an edge covers rows {@code min(y1, y2) <= row <
 * max(y1, y2)}, and a row's crossing pair {@code [xa, xb)} covers the columns {@code xa <= col <
 * xb}. So two polygons that share an edge never share a pixel, and the diamond of 4 rays of
 * integer length {@code r} around a pixel centre holds exactly {@code 2 r^2} pixels, its area.
 * Pixels outside the image are dropped. Areas and intersections used by {@link StarNms} are
 * counts of these pixels: the masks the user receives are what overlap is measured on.
 *
 * @since 0.1.0
 */
public final class PixelMask {

  private final int y0;
  private final int[] rowStart;
  private final int[] runs;
  private final long area;
  private final int minX;
  private final int maxX;

  private PixelMask(int y0, int[] rowStart, int[] runs) {
    this.y0 = y0;
    this.rowStart = rowStart;
    this.runs = runs;
    long a = 0;
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = 0; i < rowStart[rowStart.length - 1]; i += 2) {
      a += runs[i + 1] - runs[i];
      lo = Math.min(lo, runs[i]);
      hi = Math.max(hi, runs[i + 1]);
    }
    this.area = a;
    this.minX = lo;
    this.maxX = hi;
  }

  /**
   * @param p a polygon
   * @param width image width (columns kept: 0 to width - 1)
   * @param height image height (rows kept: 0 to height - 1)
   * @return its pixels
   */
  public static PixelMask of(StarPolygon p, int width, int height) {
    int n = p.rays();
    double[] vx = new double[n];
    double[] vy = new double[n];
    double top = Double.POSITIVE_INFINITY;
    double bottom = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      vx[k] = p.vertexX(k);
      vy[k] = p.vertexY(k);
      top = Math.min(top, vy[k]);
      bottom = Math.max(bottom, vy[k]);
    }
    int ya = (int) Math.max(0, Math.ceil(top));
    int yb = (int) Math.min(height - 1L, (long) Math.ceil(bottom) - 1);
    int rows = Math.max(0, yb - ya + 1);
    int[] rowStart = new int[rows + 1];
    int[] runs = new int[Math.max(4, rows * 2)];
    double[] xs = new double[n];
    int used = 0;
    for (int r = 0; r < rows; r++) {
      int row = ya + r;
      int c = 0;
      for (int k = 0; k < n; k++) {
        int j = k + 1 == n ? 0 : k + 1;
        double y1 = vy[k];
        double y2 = vy[j];
        if ((y1 <= row && row < y2) || (y2 <= row && row < y1)) {
          xs[c++] = vx[k] + (row - y1) * (vx[j] - vx[k]) / (y2 - y1);
        }
      }
      Arrays.sort(xs, 0, c);
      for (int i = 0; i + 1 < c; i += 2) {
        int xa = (int) Math.max(0, Math.ceil(xs[i]));
        int xb = (int) Math.min(width, Math.ceil(xs[i + 1]));
        if (xb > xa) {
          if (used + 2 > runs.length) {
            runs = Arrays.copyOf(runs, runs.length * 2);
          }
          runs[used++] = xa;
          runs[used++] = xb;
        }
      }
      rowStart[r + 1] = used;
    }
    return new PixelMask(ya, rowStart, runs);
  }

  /** @return the number of pixels */
  public long area() {
    return area;
  }

  /** @return the top row (meaningful when the area is not 0) */
  public int minY() {
    return y0;
  }

  /** @return the row below the bottom row */
  public int maxY() {
    return y0 + rowStart.length - 1;
  }

  /** @return the leftmost column (meaningful when the area is not 0) */
  public int minX() {
    return minX;
  }

  /** @return the column right of the rightmost column */
  public int maxX() {
    return maxX;
  }

  /**
   * @param x a column
   * @param y a row
   * @return whether that pixel belongs to the mask
   */
  public boolean contains(int x, int y) {
    int r = y - y0;
    if (r < 0 || r >= rowStart.length - 1) {
      return false;
    }
    for (int i = rowStart[r]; i < rowStart[r + 1]; i += 2) {
      if (x >= runs[i] && x < runs[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param o another mask
   * @return the number of pixels both hold
   */
  public long intersection(PixelMask o) {
    int ya = Math.max(y0, o.y0);
    int yb = Math.min(maxY(), o.maxY());
    if (ya >= yb || minX >= o.maxX || o.minX >= maxX) {
      return 0;
    }
    long s = 0;
    for (int y = ya; y < yb; y++) {
      int i = rowStart[y - y0];
      int ie = rowStart[y - y0 + 1];
      int j = o.rowStart[y - o.y0];
      int je = o.rowStart[y - o.y0 + 1];
      while (i < ie && j < je) {
        int lo = Math.max(runs[i], o.runs[j]);
        int hi = Math.min(runs[i + 1], o.runs[j + 1]);
        if (hi > lo) {
          s += hi - lo;
        }
        if (runs[i + 1] < o.runs[j + 1]) {
          i += 2;
        } else {
          j += 2;
        }
      }
    }
    return s;
  }

  /**
   * Writes {@code label} into every pixel of the mask.
   *
   * @param labels a label image, index {@code y * width + x}
   * @param width its width
   * @param label the value to write
   */
  public void paint(int[] labels, int width, int label) {
    for (int r = 0; r + 1 < rowStart.length; r++) {
      int base = (y0 + r) * width;
      for (int i = rowStart[r]; i < rowStart[r + 1]; i += 2) {
        Arrays.fill(labels, base + runs[i], base + runs[i + 1], label);
      }
    }
  }
}
