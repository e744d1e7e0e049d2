package org.fovea.ops.instances.star;

/**
 * Parameters of {@link Stars#instances}.
 *
 * @param probThreshold candidates are the pixels whose object probability is greater than this
 * @param nmsThreshold a candidate is suppressed when it overlaps a kept polygon by more than this
 * @param overlap the overlap criterion of the suppression
 * @since 0.1.0
 */
public record StarParams(double probThreshold, double nmsThreshold, StarOverlap overlap)
    implements java.io.Serializable {

  /** Checks the ranges. */
  public StarParams {
    if (!(probThreshold >= 0 && probThreshold < 1)) {
      throw new IllegalArgumentException("the probability threshold must be in [0, 1), got "
          + probThreshold);
    }
    if (!(nmsThreshold >= 0 && nmsThreshold <= 1)) {
      throw new IllegalArgumentException("the NMS threshold must be in [0, 1], got "
          + nmsThreshold);
    }
    if (overlap == null) {
      throw new IllegalArgumentException("the overlap criterion is missing");
    }
  }

  /** @return probability threshold 0.5, NMS threshold 0.4, overlap over the smaller area */
  public static StarParams defaults() {
    return new StarParams(0.5, 0.4, StarOverlap.SMALLER);
  }
}
