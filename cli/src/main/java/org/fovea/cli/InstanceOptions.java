package org.fovea.cli;

import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.net.FoveaException;
import picocli.CommandLine.Option;

/** The watershed options of {@code fovea instances} and {@code fovea batch instances}. */
public final class InstanceOptions {

  @Option(names = "--seeds", defaultValue = "distance",
      description = "interior or distance (default: ${DEFAULT-VALUE})")
  String seeds;

  @Option(names = "--seed-threshold", defaultValue = "0.5",
      description = "interior probability of seeds (default: ${DEFAULT-VALUE})")
  double seedThreshold;

  @Option(names = "--foreground-threshold",
      description = "interior + boundary probability of the foreground (default: 0.9 for 2D"
          + " images, 0.5 for z-stacks through a 3D model; chosen on held-out synthetic data)")
  Double foregroundThreshold;

  @Option(names = "--min-dynamic",
      description = "distance seeds: dynamic a maximum must exceed, in pixels (default: 1 for 2D"
          + " images, 0.5 for z-stacks)")
  Double minDynamic;

  @Option(names = "--min-size", defaultValue = "10", description = "smallest object in pixels,"
        + " voxels in z-stacks (default: 10, chosen on held-out synthetic data)")
  long minSize;

  @Option(names = "--max-size", defaultValue = "0",
      description = "largest object in pixels (0: any)")
  long maxSize;

  /** @return the parameters, or a sentence naming the bad option */
  public InstanceParams params() {
    InstanceParams.Seeds s;
    try {
      s = InstanceParams.Seeds.of(seeds);
    } catch (IllegalArgumentException e) {
      throw new FoveaException("--seeds " + e.getMessage(), e);
    }
    try {
      return InstanceParams.byDimension().withSeeds(s)
          .withThresholds(seedThreshold, foregroundThreshold == null ? Double.NaN
              : foregroundThreshold)
          .withSizes(1, minSize, maxSize)
          .withMinDynamic(minDynamic == null ? Double.NaN : minDynamic);
    } catch (IllegalArgumentException e) {
      throw new FoveaException("bad instance parameters: " + e.getMessage(), e);
    }
  }
}
