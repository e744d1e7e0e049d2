package org.fovea.cli;

import org.fovea.ops.instances.star.StarOverlap;
import org.fovea.ops.instances.star.StarParams;
import org.fovea.ops.net.FoveaException;
import picocli.CommandLine.Option;

/** The star-convex options of {@code fovea instances} and {@code fovea batch instances}. */
public final class StarOptions {

  @Option(names = "--prob-threshold",
      description = "star: object probability of candidate pixels (default: the model's own"
          + " prob_threshold, else 0.5)")
  Double probThreshold;

  @Option(names = "--nms-threshold",
      description = "star: suppress polygons overlapping a better one by more than this"
          + " (default: the model's own nms_threshold, else 0.4)")
  Double nmsThreshold;

  @Option(names = "--overlap", defaultValue = "smaller",
      description = "star: overlap criterion, smaller (intersection over the smaller area) or iou"
          + " (default: ${DEFAULT-VALUE})")
  String overlap;

  /** @return the parameters, or a sentence naming the bad option */
  public StarParams params() {
    StarOverlap o = switch (overlap) {
      case "smaller" -> StarOverlap.SMALLER;
      case "iou" -> StarOverlap.IOU;
      default -> throw new FoveaException("--overlap '" + overlap
          + "' is unknown: use smaller or iou");
    };
    try {
      return new StarParams(probThreshold == null ? Double.NaN : probThreshold,
          nmsThreshold == null ? Double.NaN : nmsThreshold, o);
    } catch (IllegalArgumentException e) {
      throw new FoveaException("bad star parameters: " + e.getMessage(), e);
    }
  }
}
