package org.fovea.ops.instances.star;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fovea.ops.instances.LabelImage;

/**
 * Objects from star-convex network outputs (StarDist-style): an object probability per pixel and
 * the distances from each pixel to its object's boundary along {@code n} rays.
 *
 * <pre>{@code
 * Stars.Result r = Stars.instances(prob, dist, width, height, 32, StarParams.defaults());
 * LabelImage labels = r.labels();
 * }</pre>
 *
 * <p>Every pixel whose probability exceeds the threshold proposes the polygon of its own rays,
 * centred on it; candidates go best first (equal probabilities: lower pixel index first) through
 * {@link StarNms}; the kept polygons are rendered with the most probable one on top. The whole
 * probability and distance maps are processed at once (they are the stitched network output).
 *
 * @since 0.1.0
 */
public final class Stars {

  /**
   * @param labels the label image; label 1 is the most probable object
   * @param polygons the polygon of each label, {@code polygons.get(label - 1)}
   * @param candidates pixels above the probability threshold
   */
  public record Result(LabelImage labels, List<StarPolygon> polygons, int candidates) {}

  private Stars() {}

  /**
   * Star-convex objects from a probability and a ray-distance image (the op {@code
   * fovea.starInstances}).
   *
   * @param prob object probability, dimensions x, y, any origin
   * @param dist ray distances in pixels, dimensions x, y, ray, the same x and y
   * @param params thresholds and overlap criterion
   * @return the objects; their label image has origin zero
   * @throws IllegalArgumentException when the sizes disagree or there are fewer than 3 rays
   * @implNote op names='fovea.starInstances'
   */
  public static Result instances(
      net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>> prob,
      net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>> dist,
      StarParams params) {
    if (prob.numDimensions() != 2 || dist.numDimensions() != 3
        || prob.dimension(0) != dist.dimension(0) || prob.dimension(1) != dist.dimension(1)) {
      throw new IllegalArgumentException("star instances need a probability image (x, y) and a"
          + " distance image (x, y, ray) of the same size, got "
          + net.imglib2.util.Util.printInterval(prob) + " and "
          + net.imglib2.util.Util.printInterval(dist));
    }
    return instances(org.fovea.ops.tiling.ImgTensors.tensor(prob).data(),
        org.fovea.ops.tiling.ImgTensors.tensor(dist).data(), (int) prob.dimension(0),
        (int) prob.dimension(1), (int) dist.dimension(2), params);
  }

  /**
   * @param prob object probability, index {@code y * width + x}
   * @param dist ray distances, ray-major: index {@code (k * height + y) * width + x}
   * @param width image width
   * @param height image height
   * @param rays number of rays (at least 3)
   * @param params thresholds and overlap criterion
   * @return the objects
   */
  public static Result instances(float[] prob, float[] dist, int width, int height, int rays,
      StarParams params) {
    return instances(prob, dist, width, height, rays, params, 1, 1, width, height);
  }

  /**
   * Objects from outputs on a coarser grid (StarDist's {@code grid}): output {@code (u, v)}
   * proposes the polygon centred on image pixel {@code (gx u, gy v)}, its distances in image
   * pixels; the objects are drawn at the image's full resolution.
   *
   * @param prob object probability on the grid, index {@code v * gridWidth + u}
   * @param dist ray distances in image pixels, ray-major on the grid
   * @param gridWidth outputs per row
   * @param gridHeight outputs per column
   * @param rays number of rays (at least 3)
   * @param params thresholds and overlap criterion
   * @param gy image rows per output row
   * @param gx image columns per output column
   * @param width the image's width
   * @param height the image's height
   * @return the objects, on a {@code width x height} label image
   */
  public static Result instances(float[] prob, float[] dist, int gridWidth, int gridHeight,
      int rays, StarParams params, int gy, int gx, int width, int height) {
    long plane = (long) gridWidth * gridHeight;
    if (prob.length != plane || dist.length != plane * rays) {
      throw new IllegalArgumentException("a " + gridWidth + "x" + gridHeight
          + (gx == 1 && gy == 1 ? " image" : " grid") + " with " + rays + " rays needs " + plane + " probabilities and " + plane * rays
          + " distances, got " + prob.length + " and " + dist.length);
    }
    if (gy < 1 || gx < 1 || (long) gridWidth * gx < width || (long) gridHeight * gy < height) {
      throw new IllegalArgumentException("a " + gridWidth + "x" + gridHeight + " grid of "
          + gx + "x" + gy + " px does not cover a " + width + "x" + height + " image");
    }
    int[] order = candidates(prob, params.probThreshold());
    List<StarPolygon> all = new ArrayList<>();
    java.util.function.IntFunction<StarPolygon> at = i -> polygon(prob, dist, gridWidth,
        gridHeight, rays, order[i], gx, gy);
    StarNms.Kept kept = StarNms.greedy(order.length, at, width, height, params.nmsThreshold(),
        params.overlap(), cellSize(order, dist, (int) plane, rays));
    for (int i : kept.indices()) {
      all.add(at.apply(i));
    }
    Result r = render(all, kept.masks(), width, height);
    return new Result(r.labels(), r.polygons(), order.length);
  }

  /**
   * @param prob object probability per pixel
   * @param threshold keep pixels whose probability is greater than this
   * @return their indices, by decreasing probability, equal probabilities by increasing index
   */
  public static int[] candidates(float[] prob, double threshold) {
    int n = 0;
    for (float p : prob) {
      n += p > threshold ? 1 : 0;
    }
    long[] keys = new long[n];
    int j = 0;
    for (int i = 0; i < prob.length; i++) {
      if (prob[i] > threshold) {
        // positive floats order like their bits; invert to sort by decreasing probability
        keys[j++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(Math.max(0f, prob[i])))
            << 32) | i;
      }
    }
    Arrays.sort(keys);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) keys[i];
    }
    return out;
  }

  /**
   * Draws polygons into a label image, the last one first so that the first is on top; objects
   * left without a pixel are dropped and the labels renumbered 1, 2, ... in list order.
   *
   * @param polygons best first
   * @param masks their masks, same order
   * @param width image width
   * @param height image height
   * @return the labels and the polygons that kept pixels ({@code candidates} is 0)
   */
  public static Result render(List<StarPolygon> polygons, List<PixelMask> masks, int width,
      int height) {
    int[] labels = new int[width * height];
    for (int k = masks.size() - 1; k >= 0; k--) {
      masks.get(k).paint(labels, width, k + 1);
    }
    boolean[] present = new boolean[masks.size() + 1];
    for (int l : labels) {
      present[l] = true;
    }
    int[] map = new int[masks.size() + 1];
    List<StarPolygon> visible = new ArrayList<>();
    for (int k = 1; k <= masks.size(); k++) {
      if (present[k]) {
        visible.add(polygons.get(k - 1));
        map[k] = visible.size();
      }
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = map[labels[i]];
    }
    return new Result(new LabelImage(width, height, labels, visible.size()), visible, 0);
  }

  private static StarPolygon polygon(float[] prob, float[] dist, int width, int height, int rays,
      int pixel, int gx, int gy) {
    float[] r = new float[rays];
    int plane = width * height;
    for (int k = 0; k < rays; k++) {
      r[k] = Math.max(0f, dist[k * plane + pixel]);
    }
    return new StarPolygon(pixel % width * gx, pixel / width * gy, r, prob[pixel]);
  }

  /** Twice the mean largest radius of up to 256 candidates spread over the list, at least 8. */
  static int cellSize(int[] order, float[] dist, int plane, int rays) {
    if (order.length == 0) {
      return 8;
    }
    int samples = Math.min(256, order.length);
    double sum = 0;
    for (int s = 0; s < samples; s++) {
      int pixel = order[(int) ((long) s * order.length / samples)];
      float m = 0;
      for (int k = 0; k < rays; k++) {
        m = Math.max(m, dist[k * plane + pixel]);
      }
      sum += m;
    }
    return (int) Math.max(8, Math.ceil(2 * sum / samples));
  }
}
