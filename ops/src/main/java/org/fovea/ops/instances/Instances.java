package org.fovea.ops.instances;

import org.fovea.ops.instances.volume.VolumeInstances;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * Objects from per-pixel class probabilities (background, interior, boundary): seeds, a seeded
 * watershed inside the foreground, hole filling and size filters ({@link VolumeInstances} on a
 * volume of depth 1).
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
    return LabelImage.of(VolumeInstances.fromSemantic(probabilities.data(),
        (int) probabilities.size(Axis.X), (int) probabilities.size(Axis.Y), 1, 1,
        params.resolved(false)));
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
    return VolumeInstances.foreground(p, n, params);
  }

  /**
   * Seeds and seeded watershed inside a foreground mask. Every step stays inside the mask's
   * 8-connected components (and reads at most one pixel around them), so a crop holding whole
   * components gives the same partition of their pixels as the whole image.
   */
  static LabelImage flood(boolean[] fg, float[] interior, int w, int h, InstanceParams params) {
    return LabelImage.of(VolumeInstances.flood(fg, interior, w, h, 1, 1, params));
  }
}
