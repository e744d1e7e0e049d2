package org.fovea.models.pkg;

import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.PlaneSource;

/**
 * A processing step that takes statistics of another tensor, named by its {@code
 * reference_tensor} kwarg ({@code scale_mean_variance}, {@code scale_range} with a reference). It
 * runs only once bound to those statistics; {@link References} binds the steps of a package.
 *
 * @since 0.4.0
 */
public interface ReferencingStep extends ProcessingStep {

  /** @return the name of the tensor whose statistics the step takes */
  String reference();

  /** @return whether the reference's statistics are in the step */
  boolean bound();

  /**
   * @param reference the reference tensor, whole
   * @return the step with the reference's statistics, over the step's axes
   */
  ProcessingStep bind(Tensor reference);

  /**
   * @param reference the reference as a whole image (all its channels), read in strips
   * @param volume whether the planes are the slices of a volume
   * @return the step with the whole image's statistics, per channel or over all channels
   * @throws org.fovea.ops.net.FoveaException when the step takes statistics per row, column or
   *     slice
   */
  ProcessingStep bind(PlaneSource reference, boolean volume);
}
