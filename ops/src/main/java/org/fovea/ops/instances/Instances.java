package org.fovea.ops.instances;

import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * Objects from per-pixel class probabilities (background, interior, boundary): seeds, a seeded
 * watershed inside the foreground, hole filling and size filters.
 *
 * <pre>{@code
 * LabelImage objects = Instances.fromSemantic(probabilities, InstanceParams.defaults());
 * }</pre>
 *
 * @implNote op names='fovea.instances'
 * @since 0.1.0
 */
public final class Instances {

  private Instances() {}

  /**
   * @param probabilities a {@code bcyx} tensor, batch 1, holding the interior and boundary
   *     channels that the parameters name
   * @param params thresholds, seed source, filters
   * @return objects numbered 1..n in raster order of their first pixel
   * @throws FoveaException when the tensor is not such a probability map
   */
  public static LabelImage fromSemantic(Tensor probabilities, InstanceParams params) {
    int c = (int) probabilities.size(Axis.CHANNEL);
    if (!probabilities.axes().toString().equals("bcyx") || probabilities.size(Axis.BATCH) != 1
        || Math.max(params.interiorChannel(), params.boundaryChannel()) >= c) {
      throw new FoveaException("instances need bcyx probabilities with one image and channels "
          + params.interiorChannel() + " (interior) and " + params.boundaryChannel()
          + " (boundary), got " + probabilities.axes() + " " + java.util.Arrays.toString(
              probabilities.shape()) + ": use a background/interior/boundary model");
    }
    int h = (int) probabilities.size(Axis.Y);
    int w = (int) probabilities.size(Axis.X);
    int n = w * h;
    float[] p = probabilities.data();
    int io = params.interiorChannel() * n;
    int bo = params.boundaryChannel() * n;
    boolean[] fg = new boolean[n];
    for (int i = 0; i < n; i++) {
      fg[i] = p[io + i] + p[bo + i] > params.foregroundThreshold();
    }
    float[] land = new float[n];
    LabelImage seeds;
    if (params.seeds() == InstanceParams.Seeds.INTERIOR) {
      boolean[] inner = new boolean[n];
      for (int i = 0; i < n; i++) {
        inner[i] = fg[i] && p[io + i] > params.seedThreshold();
        land[i] = 1f - p[io + i];
      }
      seeds = Labeling.filterSizes(Labeling.components(inner, w, h, params.connectivity()),
          params.minSeedSize(), 0);
    } else {
      double[] d = DistanceTransform.squared(fg, w, h);
      float[] dist = new float[n];
      for (int i = 0; i < n; i++) {
        dist[i] = (float) Math.sqrt(d[i]);
        land[i] = -dist[i];
      }
      seeds = Maxima.seeds(dist, fg, w, h, params.minDynamic());
    }
    LabelImage flooded = Watershed.flood(land, withUnseeded(seeds, fg, params.connectivity()), fg,
        params.connectivity());
    LabelImage filled = params.fillHoles() ? Labeling.fillHoles(flooded) : flooded;
    return Labeling.filterSizes(filled, params.minSize(), params.maxSize());
  }

  /** Foreground components that hold no seed become seeds whole, so that no object is lost. */
  static LabelImage withUnseeded(LabelImage seeds, boolean[] fg, Connectivity conn) {
    LabelImage comps = Labeling.components(fg, seeds.width(), seeds.height(), conn);
    boolean[] seeded = new boolean[comps.count() + 1];
    for (int i = 0; i < fg.length; i++) {
      if (seeds.labels()[i] != 0) {
        seeded[comps.labels()[i]] = true;
      }
    }
    int[] out = seeds.labels().clone();
    int[] extra = new int[comps.count() + 1];
    int n = seeds.count();
    for (int i = 0; i < fg.length; i++) {
      int k = comps.labels()[i];
      if (k != 0 && !seeded[k]) {
        if (extra[k] == 0) {
          extra[k] = ++n;
        }
        out[i] = extra[k];
      }
    }
    return new LabelImage(seeds.width(), seeds.height(), out, n);
  }
}
