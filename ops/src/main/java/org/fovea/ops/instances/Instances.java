package org.fovea.ops.instances;

import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * Objects from per-pixel class probabilities (background, interior, boundary): seeds, a seeded
 * watershed inside the foreground, hole filling and size filters.
 *
 * <pre>{@code
 * RandomAccessibleInterval<IntType> objects = Instances.labels(probabilities,
 *     InstanceParams.defaults());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Instances {

  private Instances() {}

  /**
   * Labelled objects of a probability image (the op {@code fovea.instances}).
   *
   * @param probabilities an image with dimensions x, y, channel holding the interior and boundary
   *     channels that the parameters name (such as a lazy segmentation output: it is read whole)
   * @param params thresholds, seed source, filters
   * @return objects numbered 1..n in raster order of their first pixel, 0 for background, with
   *     the origin of the input
   * @throws FoveaException when the image is not such a probability map
   * @implNote op names='fovea.instances'
   */
  public static net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.integer.IntType>
      labels(net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>>
          probabilities, InstanceParams params) {
    return net.imglib2.view.Views.translate(fromSemantic(probabilities, params).asImg(),
        probabilities.min(0), probabilities.min(1));
  }

  /**
   * @param probabilities an image with dimensions x, y, channel holding the interior and boundary
   *     channels that the parameters name (such as a lazy segmentation output: it is read whole)
   * @param params thresholds, seed source, filters
   * @return objects numbered 1..n in raster order of their first pixel; {@link LabelImage#asImg}
   *     views them as an ImgLib2 image with origin zero
   * @throws FoveaException when the image is not such a probability map
   */
  public static LabelImage fromSemantic(
      net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>>
          probabilities, InstanceParams params) {
    return fromSemantic(org.fovea.ops.tiling.ImgTensors.tensor(probabilities), params);
  }

  /**
   * @param probabilities a {@code bcyx} tensor, batch 1, holding the interior and boundary
   *     channels that the parameters name
   * @param params thresholds, seed source, filters
   * @return objects numbered 1..n in raster order of their first pixel
   * @throws FoveaException when the tensor is not such a probability map
   */
  public static LabelImage fromSemantic(Tensor probabilities, InstanceParams params) {
    check(probabilities, params);
    int h = (int) probabilities.size(Axis.Y);
    int w = (int) probabilities.size(Axis.X);
    int n = w * h;
    float[] p = probabilities.data();
    float[] interior = new float[n];
    System.arraycopy(p, params.interiorChannel() * n, interior, 0, n);
    boolean[] fg = foreground(p, n, params);
    LabelImage flooded = flood(fg, interior, w, h, params);
    return finish(flooded, params);
  }

  /** Throws the one-sentence refusal when the tensor is not such a probability map. */
  static void check(Tensor probabilities, InstanceParams params) {
    int c = (int) probabilities.size(Axis.CHANNEL);
    if (!probabilities.axes().toString().equals("bcyx") || probabilities.size(Axis.BATCH) != 1
        || Math.max(params.interiorChannel(), params.boundaryChannel()) >= c) {
      throw new FoveaException("instances need bcyx probabilities with one image and channels "
          + params.interiorChannel() + " (interior) and " + params.boundaryChannel()
          + " (boundary), got " + probabilities.axes() + " " + java.util.Arrays.toString(
              probabilities.shape()) + ": use a background/interior/boundary model");
    }
  }

  /** Interior + boundary probability above the foreground threshold. */
  static boolean[] foreground(float[] p, int n, InstanceParams params) {
    int io = params.interiorChannel() * n;
    int bo = params.boundaryChannel() * n;
    boolean[] fg = new boolean[n];
    for (int i = 0; i < n; i++) {
      fg[i] = p[io + i] + p[bo + i] > params.foregroundThreshold();
    }
    return fg;
  }

  /**
   * Seeds and seeded watershed inside a foreground mask. Every step stays inside the mask's
   * 8-connected components (and reads at most one pixel around them), so a crop holding whole
   * components gives the same partition of their pixels as the whole image.
   */
  static LabelImage flood(boolean[] fg, float[] interior, int w, int h, InstanceParams params) {
    int n = w * h;
    float[] land = new float[n];
    LabelImage seeds;
    if (params.seeds() == InstanceParams.Seeds.INTERIOR) {
      boolean[] inner = new boolean[n];
      for (int i = 0; i < n; i++) {
        inner[i] = fg[i] && interior[i] > params.seedThreshold();
        land[i] = 1f - interior[i];
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
    return Watershed.flood(land, withUnseeded(seeds, fg, params.connectivity()), fg,
        params.connectivity());
  }

  /** Hole filling and size filters: the last, whole-image steps; numbers objects in raster order. */
  static LabelImage finish(LabelImage flooded, InstanceParams params) {
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
