package org.fovea.ops.instances.volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.view.Views;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * 3D objects from per-voxel class probabilities (background, interior, boundary): seeds, a seeded
 * watershed inside the foreground, hole filling and size filters: the implementation behind
 * {@link org.fovea.ops.instances.Instances}, whose 2D images are volumes of depth 1.
 *
 * <p>The parameters are the 2D ones, read in voxels: sizes count voxels, the dynamic of distance
 * seeds is in x/y voxel sizes, and the connectivity maps to 3D by {@link Connectivity3D#of}
 * ({@code FOUR}: 6 face neighbours, {@code EIGHT}: all 26 neighbours). Distances are measured with
 * the z voxel size {@code spacingZ} relative to the x/y voxel size.
 *
 * <pre>{@code
 * RandomAccessibleInterval<IntType> objects = VolumeInstances.labels(probabilities, 2.0,
 *     InstanceParams.defaults());
 * }</pre>
 *
 * @since 0.3.0
 */
public final class VolumeInstances {

  private VolumeInstances() {}

  /**
   * Labelled objects of a 3D probability image.
   *
   * @param probabilities an image with dimensions x, y, z, channel holding the interior and
   *     boundary channels that the parameters name (such as a lazy segmentation output: it is
   *     read whole)
   * @param spacingZ the z voxel size relative to the x/y voxel size
   * @param params thresholds, seed source, filters
   * @return objects numbered 1..n in raster order of their first voxel (x fastest, then y, then
   *     z), 0 for background, with dimensions x, y, z and the origin of the input
   * @throws FoveaException when the image is not such a probability map
   */
  public static RandomAccessibleInterval<IntType> labels(
      RandomAccessibleInterval<? extends RealType<?>> probabilities, double spacingZ,
      InstanceParams params) {
    return Views.translate(fromSemantic(probabilities, spacingZ, params).asImg(),
        probabilities.min(0), probabilities.min(1), probabilities.min(2));
  }

  /**
   * @param probabilities an image with dimensions x, y, z, channel holding the interior and
   *     boundary channels that the parameters name (read whole)
   * @param spacingZ the z voxel size relative to the x/y voxel size
   * @param params thresholds, seed source, filters
   * @return objects numbered 1..n in raster order of their first voxel; {@link LabelVolume#asImg}
   *     views them as an ImgLib2 image with origin zero
   * @throws FoveaException when the image is not such a probability map
   */
  public static LabelVolume fromSemantic(
      RandomAccessibleInterval<? extends RealType<?>> probabilities, double spacingZ,
      InstanceParams params) {
    long[] dims = probabilities.dimensionsAsLongArray();
    if (dims.length != 4
        || (double) dims[0] * dims[1] * dims[2] * dims[3] > Integer.MAX_VALUE - 8) {
      throw new FoveaException("3D instances need probabilities with dimensions x, y, z, channel"
          + " and fewer than 2^31 values, got " + java.util.Arrays.toString(dims)
          + ": use the output of a 3D background/interior/boundary model, in blocks if it is"
          + " larger");
    }
    float[] p = new float[(int) (dims[0] * dims[1] * dims[2] * dims[3])];
    int i = 0;
    for (RealType<?> t : Views.flatIterable(probabilities)) {
      p[i++] = t.getRealFloat(); // x fastest, then y, z, channel: channel-major zyx order
    }
    return fromSemantic(p, (int) dims[0], (int) dims[1], (int) dims[2], spacingZ, params);
  }

  /**
   * @param probabilities a {@code bczyx} tensor, batch 1, holding the interior and boundary
   *     channels that the parameters name
   * @param spacingZ the z voxel size relative to the x/y voxel size
   * @param params thresholds, seed source, filters
   * @return objects numbered 1..n in raster order of their first voxel
   * @throws FoveaException when the tensor is not such a probability map
   */
  public static LabelVolume fromSemantic(Tensor probabilities, double spacingZ,
      InstanceParams params) {
    if (!probabilities.axes().toString().equals("bczyx") || probabilities.size(Axis.BATCH) != 1) {
      throw new FoveaException("3D instances need bczyx probabilities with one volume, got "
          + probabilities.axes() + " " + java.util.Arrays.toString(probabilities.shape())
          + ": use a 3D background/interior/boundary model");
    }
    return fromSemantic(probabilities.data(), (int) probabilities.size(Axis.X),
        (int) probabilities.size(Axis.Y), (int) probabilities.size(Axis.Z), spacingZ, params);
  }

  /**
   * @param probabilities class probabilities, channel by channel, each x fastest, then y, then z
   *     (the data of a {@code bczyx} tensor with batch 1), holding the interior and boundary
   *     channels that the parameters name
   * @param width columns
   * @param height rows
   * @param depth planes
   * @param spacingZ the z voxel size relative to the x/y voxel size
   * @param params thresholds, seed source, filters
   * @return objects numbered 1..n in raster order of their first voxel
   * @throws FoveaException when the values are not such a probability map of that size
   * @throws IllegalArgumentException when {@code spacingZ} is not positive and finite
   */
  public static LabelVolume fromSemantic(float[] probabilities, int width, int height, int depth,
      double spacingZ, InstanceParams params) {
    params = params.resolved(true);
    int n = check(probabilities, width, height, depth, params);
    if (!(spacingZ > 0) || Double.isInfinite(spacingZ)) {
      throw new IllegalArgumentException("the z spacing (z voxel size over x/y voxel size) must be"
          + " positive and finite, got " + spacingZ);
    }
    float[] interior = new float[n];
    System.arraycopy(probabilities, params.interiorChannel() * n, interior, 0, n);
    boolean[] fg = foreground(probabilities, n, params);
    LabelVolume flooded = flood(fg, interior, width, height, depth, spacingZ, params);
    return finish(flooded, params);
  }

  /**
   * Throws the one-sentence refusal when the values are not such a probability map.
   *
   * @return the number of voxels
   */
  static int check(float[] p, int width, int height, int depth, InstanceParams params) {
    int need = Math.max(params.interiorChannel(), params.boundaryChannel()) + 1;
    long n = (long) Math.max(0, width) * Math.max(0, height) * Math.max(0, depth);
    if (width < 0 || height < 0 || depth < 0 || n > Integer.MAX_VALUE - 8) {
      throw new FoveaException("3D instances need a volume of fewer than 2^31 voxels, got " + width
          + "x" + height + "x" + depth + " = " + n + " voxels: process it in smaller blocks");
    }
    if (n == 0 ? p.length != 0 : p.length % n != 0 || p.length / n < need) {
      throw new FoveaException("3D instances need probabilities channel by channel with channels "
          + params.interiorChannel() + " (interior) and " + params.boundaryChannel()
          + " (boundary) for " + width + "x" + height + "x" + depth + " voxels (a multiple of "
          + n + " values, at least " + need * n + "), got " + p.length
          + " values: use a 3D background/interior/boundary model whose output has the volume's"
          + " size");
    }
    return (int) n;
  }

  /**
   * The first step: interior + boundary probability above the foreground threshold.
   *
   * @param p class probabilities, channel by channel, as {@link #fromSemantic(float[], int, int,
   *     int, double, InstanceParams)} takes them
   * @param n voxels per channel
   * @param params the channels and the foreground threshold
   * @return the foreground flags
   */
  public static boolean[] foreground(float[] p, int n, InstanceParams params) {
    int io = params.interiorChannel() * n;
    int bo = params.boundaryChannel() * n;
    boolean[] fg = new boolean[n];
    for (int i = 0; i < n; i++) {
      fg[i] = p[io + i] + p[bo + i] > params.foregroundThreshold();
    }
    return fg;
  }

  /**
   * Seeds and seeded watershed inside a foreground mask: the steps before hole filling and size
   * filters. Every step stays inside the mask's 26-connected components (8-connected at depth 1)
   * and reads at most one voxel around them, so a crop holding whole components gives the same
   * partition of their voxels as the whole volume (block-wise extraction relies on it).
   *
   * @param fg the foreground, from {@link #foreground}
   * @param interior the interior probability of each voxel
   * @param w columns
   * @param h rows
   * @param d planes
   * @param spacingZ the z voxel size relative to the x/y voxel size
   * @param params seed source, thresholds, connectivity
   * @return the flooded objects, numbered seeds first, not yet filtered nor renumbered
   */
  public static LabelVolume flood(boolean[] fg, float[] interior, int w, int h, int d,
      double spacingZ, InstanceParams params) {
    int n = fg.length;
    Connectivity3D conn = Connectivity3D.of(params.connectivity());
    float[] land = new float[n];
    LabelVolume seeds;
    if (params.seeds() == InstanceParams.Seeds.INTERIOR) {
      boolean[] inner = new boolean[n];
      for (int i = 0; i < n; i++) {
        inner[i] = fg[i] && interior[i] > params.seedThreshold();
        land[i] = 1f - interior[i];
      }
      seeds = VolumeLabeling.filterSizes(VolumeLabeling.components(inner, w, h, d, conn),
          params.minSeedSize(), 0);
    } else {
      double[] sq = VolumeDistanceTransform.squared(fg, w, h, d, spacingZ, 1, 1);
      float[] dist = new float[n];
      for (int i = 0; i < n; i++) {
        dist[i] = (float) Math.sqrt(sq[i]);
        land[i] = -dist[i];
      }
      seeds = VolumeMaxima.seeds(dist, fg, w, h, d, params.minDynamic());
    }
    return VolumeWatershed.flood(land, withUnseeded(seeds, fg, conn), fg, conn);
  }

  /** Hole filling and size filters: the last, whole-volume steps; numbers objects in order. */
  static LabelVolume finish(LabelVolume flooded, InstanceParams params) {
    LabelVolume filled = params.fillHoles() ? VolumeLabeling.fillHoles(flooded) : flooded;
    return VolumeLabeling.filterSizes(filled, params.minSize(), params.maxSize());
  }

  /** Foreground components that hold no seed become seeds whole, so that no object is lost. */
  static LabelVolume withUnseeded(LabelVolume seeds, boolean[] fg, Connectivity3D conn) {
    LabelVolume comps = VolumeLabeling.components(fg, seeds.width(), seeds.height(),
        seeds.depth(), conn);
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
    return new LabelVolume(seeds.width(), seeds.height(), seeds.depth(), out, n);
  }
}
