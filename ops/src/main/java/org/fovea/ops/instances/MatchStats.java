package org.fovea.ops.instances;

/**
 * Object matching scores at one IoU threshold, with StarDist's definitions.
 *
 * @param threshold a pair matches only when its IoU is greater than this
 * @param nTrue ground-truth objects
 * @param nPred predicted objects
 * @param tp matched pairs
 * @param fp predicted objects left unmatched
 * @param fn ground-truth objects left unmatched
 * @param sumIou IoU summed over the matched pairs
 * @since 0.1.0
 */
public record MatchStats(double threshold, int nTrue, int nPred, int tp, int fp, int fn,
    double sumIou) {

  /** @return tp / (tp + fp), 0 when undefined */
  public double precision() {
    return ratio(tp, tp + fp);
  }

  /** @return tp / (tp + fn), 0 when undefined */
  public double recall() {
    return ratio(tp, tp + fn);
  }

  /** @return 2 tp / (2 tp + fp + fn), 0 when undefined */
  public double f1() {
    return ratio(2.0 * tp, 2.0 * tp + fp + fn);
  }

  /** @return tp / (tp + fp + fn), 0 when undefined */
  public double accuracy() {
    return ratio(tp, tp + fp + fn);
  }

  /** @return the mean IoU of matched pairs, 0 when none matched */
  public double meanMatchedIou() {
    return ratio(sumIou, tp);
  }

  /** @return the IoU sum over matched pairs divided by the ground-truth objects */
  public double meanTrueIou() {
    return ratio(sumIou, nTrue);
  }

  /** @return panoptic quality: sum of matched IoU / (tp + fp/2 + fn/2), 0 when undefined */
  public double panopticQuality() {
    return ratio(sumIou, tp + fp / 2.0 + fn / 2.0);
  }

  private static double ratio(double a, double b) {
    return b > 0 ? a / b : 0;
  }
}
