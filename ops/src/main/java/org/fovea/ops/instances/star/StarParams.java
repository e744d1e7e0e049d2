package org.fovea.ops.instances.star;

/**
 * Parameters of {@link Stars#instances}.
 *
 * @param probThreshold candidates are the pixels whose object probability is greater than this
 *     (NaN: the model's own, else 0.5; see {@link #resolved})
 * @param nmsThreshold a candidate is suppressed when it overlaps a kept polygon by more than this
 *     (NaN: the model's own, else 0.4)
 * @param overlap the overlap criterion of the suppression
 * @since 0.1.0
 */
public record StarParams(double probThreshold, double nmsThreshold, StarOverlap overlap)
    implements java.io.Serializable {

  /** Checks the ranges. */
  public StarParams {
    if (!(Double.isNaN(probThreshold) || probThreshold >= 0 && probThreshold < 1)) {
      throw new IllegalArgumentException("the probability threshold must be in [0, 1), got "
          + probThreshold);
    }
    if (!(Double.isNaN(nmsThreshold) || nmsThreshold >= 0 && nmsThreshold <= 1)) {
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

  /**
   * @return the thresholds left to the model ({@link #resolved}), overlap over the smaller area:
   *     what the commands use unless thresholds are given
   * @since 0.3.0
   */
  public static StarParams byModel() {
    return new StarParams(Double.NaN, Double.NaN, StarOverlap.SMALLER);
  }

  /**
   * @param modelProb the model's own probability threshold, NaN when it names none
   * @param modelNms the model's own NMS threshold, NaN when it names none
   * @return a copy whose unset thresholds take the model's, else 0.5 and 0.4
   * @since 0.3.0
   */
  public StarParams resolved(double modelProb, double modelNms) {
    double p = !Double.isNaN(probThreshold) ? probThreshold : !Double.isNaN(modelProb) ? modelProb
        : 0.5;
    double n = !Double.isNaN(nmsThreshold) ? nmsThreshold : !Double.isNaN(modelNms) ? modelNms
        : 0.4;
    return new StarParams(p, n, overlap);
  }
}
