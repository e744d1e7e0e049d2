package org.fovea.ops.instances;

/**
 * Connected components, hole filling, size filters and relabelling of 2D label images.
 *
 * @since 0.1.0
 */
public final class Labeling {

  private Labeling() {}

  /**
   * @param mask foreground flags, row by row
   * @param width columns
   * @param height rows
   * @param conn which pixels touch
   * @return one label per connected component, numbered in raster order of their first pixel
   */
  public static LabelImage components(boolean[] mask, int width, int height, Connectivity conn) {
    LabelImage.checkSize(mask.length, width, height);
    int[] labels = new int[mask.length];
    int[] queue = new int[mask.length];
    int n = 0;
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || labels[start] != 0) {
        continue;
      }
      n++;
      labels[start] = n;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      while (head < tail) {
        int i = queue[head++];
        int x = i % width;
        int y = i / width;
        for (int k = 0; k < conn.neighbours(); k++) {
          int nx = x + conn.dx(k);
          int ny = y + conn.dy(k);
          if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
            int j = ny * width + nx;
            if (mask[j] && labels[j] == 0) {
              labels[j] = n;
              queue[tail++] = j;
            }
          }
        }
      }
    }
    return new LabelImage(width, height, labels, n);
  }

  /**
   * @param img a label image
   * @return the pixel count of each label, index = label (index 0: background)
   */
  public static long[] areas(LabelImage img) {
    long[] a = new long[img.count() + 1];
    for (int l : img.labels()) {
      a[l]++;
    }
    return a;
  }

  /**
   * Fills holes: background regions (4-connected) that do not touch the image border and touch
   * only one label become part of that label.
   *
   * @param img a label image
   * @return a new label image with the same labels
   */
  public static LabelImage fillHoles(LabelImage img) {
    int w = img.width();
    int h = img.height();
    int[] src = img.labels();
    boolean[] bg = new boolean[src.length];
    for (int i = 0; i < bg.length; i++) {
      bg[i] = src[i] == 0;
    }
    LabelImage holes = components(bg, w, h, Connectivity.FOUR);
    int[] owner = new int[holes.count() + 1];
    for (int i = 0; i < src.length; i++) {
      int c = holes.labels()[i];
      if (c == 0) {
        continue;
      }
      int x = i % w;
      int y = i / w;
      if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
        owner[c] = -1;
      }
      for (int k = 0; k < 4 && owner[c] >= 0; k++) {
        int nx = x + Connectivity.FOUR.dx(k);
        int ny = y + Connectivity.FOUR.dy(k);
        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
          int l = src[ny * w + nx];
          if (l != 0) {
            owner[c] = owner[c] == 0 || owner[c] == l ? l : -1;
          }
        }
      }
    }
    int[] out = src.clone();
    for (int i = 0; i < out.length; i++) {
      int c = holes.labels()[i];
      if (c != 0 && owner[c] > 0) {
        out[i] = owner[c];
      }
    }
    return new LabelImage(w, h, out, img.count());
  }

  /**
   * Removes objects outside a size range and numbers the rest 1..n in raster order of their
   * first pixel.
   *
   * @param img a label image
   * @param minArea smallest area kept, in pixels
   * @param maxArea largest area kept, in pixels (0: no limit)
   * @return the filtered, relabelled image
   */
  public static LabelImage filterSizes(LabelImage img, long minArea, long maxArea) {
    long[] area = areas(img);
    int[] map = new int[area.length];
    java.util.Arrays.fill(map, -1);
    map[0] = 0;
    int n = 0;
    int[] out = new int[img.labels().length];
    for (int i = 0; i < out.length; i++) {
      int l = img.labels()[i];
      if (map[l] < 0) {
        boolean keep = area[l] >= minArea && (maxArea <= 0 || area[l] <= maxArea);
        map[l] = keep ? ++n : 0;
      }
      out[i] = map[l];
    }
    return new LabelImage(img.width(), img.height(), out, n);
  }
}
