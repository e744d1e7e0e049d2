package org.fovea.models.pkg;

import org.fovea.ops.net.Tensor;

/**
 * One pre- or post-processing step of a bioimage.io model package, such as {@code scale_range} or
 * {@code sigmoid}, ready to run on tensors.
 *
 * <p>Steps are created by {@link Processing#of}; they keep no state between calls and may be
 * applied to many tensors, from several threads. They are serializable, so that steps fitted to
 * a whole image once can be sent to the machines that run its tiles.
 *
 * @since 0.1.0
 */
public interface ProcessingStep extends java.io.Serializable {

  /** @return the bioimage.io name of this step, such as {@code scale_range} */
  String kind();

  /**
   * Transforms a tensor in place: the values of {@link Tensor#data()} are replaced.
   *
   * <p>Statistics (means, percentiles) are computed from the tensor itself, in double precision;
   * a {@link ReferencingStep} takes those of its reference from what it was bound to, and refuses
   * to run unbound.
   *
   * @param t the tensor, in C order
   * @throws org.fovea.ops.net.FoveaException when the step's parameters do not fit the tensor, for
   *     example a list of per-channel gains longer than the tensor's channel axis
   */
  void apply(Tensor t);
}
