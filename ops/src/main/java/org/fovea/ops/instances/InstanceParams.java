package org.fovea.ops.instances;

/**
 * How {@link Instances#fromSemantic} turns class probabilities into objects. Start from
 * {@link #defaults()} and change single values with the {@code with…} methods.
 *
 * @param seeds where the watershed seeds come from
 * @param seedThreshold interior probability above which a pixel may seed an object
 * @param foregroundThreshold interior + boundary probability above which a pixel is foreground
 *     (NaN: the default for the image's dimensionality, {@link #resolved})
 * @param minSeedSize seeds (connected interior regions) smaller than this many pixels are dropped
 * @param minDynamic distance seeds: maxima of the distance transform whose dynamic (in pixels) is
 *     not greater than this are dropped (NaN: the default for the image's dimensionality)
 * @param minSize objects smaller than this many pixels are removed
 * @param maxSize objects larger than this many pixels are removed (0: no limit)
 * @param fillHoles whether background enclosed by one object becomes part of it
 * @param connectivity connectivity of seeds, flooding and objects
 * @param interiorChannel the channel holding the interior probability
 * @param boundaryChannel the channel holding the boundary probability
 * @since 0.1.0
 */
public record InstanceParams(Seeds seeds, double seedThreshold, double foregroundThreshold,
    int minSeedSize, double minDynamic, long minSize, long maxSize, boolean fillHoles,
    Connectivity connectivity, int interiorChannel, int boundaryChannel)
    implements java.io.Serializable {

  /** Where watershed seeds come from. */
  public enum Seeds {
    /** Connected regions of interior probability above the seed threshold; floods 1 - interior. */
    INTERIOR,
    /** Maxima of the foreground's distance transform with enough dynamic; floods -distance. */
    DISTANCE;

    /**
     * @param name {@code interior} or {@code distance}
     * @return the seeds of that name
     * @throws IllegalArgumentException with a sentence naming the choices
     */
    public static Seeds of(String name) {
      return switch (name) {
        case "interior" -> INTERIOR;
        case "distance" -> DISTANCE;
        default -> throw new IllegalArgumentException("'" + name
            + "' is unknown: use interior or distance");
      };
    }
  }

  /** Validates the values. */
  public InstanceParams {
    if (seeds == null || connectivity == null) {
      throw new IllegalArgumentException("seeds and connectivity must be given");
    }
    if (!(seedThreshold >= 0 && seedThreshold <= 1 && (Double.isNaN(foregroundThreshold)
        || foregroundThreshold >= 0 && foregroundThreshold <= 1))) {
      throw new IllegalArgumentException("thresholds must lie in [0, 1], got seed " + seedThreshold
          + " and foreground " + foregroundThreshold);
    }
    if (!(minDynamic >= 0 || Double.isNaN(minDynamic)) || minSeedSize < 0 || minSize < 0 || maxSize < 0 || interiorChannel < 0
        || boundaryChannel < 0) {
      throw new IllegalArgumentException("sizes, dynamic and channels must not be negative");
    }
  }

  /**
   * @return distance seeds with a dynamic above 1 pixel (interior seeds, when chosen, above 0.5),
   *     foreground above 0.9 (chosen on held-out synthetic images, see BENCHMARKS.md), objects of
   *     at least {@value #DEFAULT_MIN_SIZE} pixels and no largest size, holes filled,
   *     8-connected, channels 1 and 2
   */
  public static InstanceParams defaults() {
    return new InstanceParams(Seeds.DISTANCE, 0.5, PLANE_FOREGROUND, 1, PLANE_MIN_DYNAMIC,
        DEFAULT_MIN_SIZE, 0, true, Connectivity.EIGHT, 1, 2);
  }

  /**
   * Smallest object kept by default, in pixels (voxels in z-stacks): chosen on held-out synthetic
   * images and stacks ({@code bench/watershed-grid.sh}, {@code bench/watershed-grid-3d.sh},
   * BENCHMARKS.md), where smaller objects were specks of noise, never nuclei.
   *
   * @since 0.4.0
   */
  public static final long DEFAULT_MIN_SIZE = 10;

  /** Foreground threshold for 2D images (chosen on held-out synthetic images, BENCHMARKS.md). */
  public static final double PLANE_FOREGROUND = 0.9;

  /** Smallest dynamic of a distance seed in 2D images, in pixels. */
  public static final double PLANE_MIN_DYNAMIC = 1.0;

  /**
   * Foreground threshold for z-stacks: chosen on held-out synthetic stacks
   * ({@code bench/watershed-grid-3d.sh}, BENCHMARKS.md), never on the shipped evaluation stack.
   */
  public static final double VOLUME_FOREGROUND = 0.5;

  /** Smallest dynamic of a distance seed in z-stacks, in x/y pixels (chosen likewise). */
  public static final double VOLUME_MIN_DYNAMIC = 0.5;

  /**
   * @return {@link #defaults()} with the foreground threshold and the seed dynamic left to the
   *     image's dimensionality ({@link #resolved}): what the commands use unless those are given
   * @since 0.3.0
   */
  public static InstanceParams byDimension() {
    return defaults().withThresholds(0.5, Double.NaN).withMinDynamic(Double.NaN);
  }

  /**
   * @param volume whether the objects are found in a z-stack
   * @return a copy whose unset (NaN) foreground threshold and seed dynamic take the defaults for
   *     2D images or for z-stacks
   * @since 0.3.0
   */
  public InstanceParams resolved(boolean volume) {
    double fg = Double.isNaN(foregroundThreshold)
        ? (volume ? VOLUME_FOREGROUND : PLANE_FOREGROUND) : foregroundThreshold;
    double dyn = Double.isNaN(minDynamic)
        ? (volume ? VOLUME_MIN_DYNAMIC : PLANE_MIN_DYNAMIC) : minDynamic;
    return new InstanceParams(seeds, seedThreshold, fg, minSeedSize, dyn, minSize, maxSize,
        fillHoles, connectivity, interiorChannel, boundaryChannel);
  }

  /**
   * @param s seed source
   * @return a copy with it
   */
  public InstanceParams withSeeds(Seeds s) {
    return new InstanceParams(s, seedThreshold, foregroundThreshold, minSeedSize, minDynamic,
        minSize, maxSize,
        fillHoles, connectivity, interiorChannel, boundaryChannel);
  }

  /**
   * @param seed seed threshold
   * @param foreground foreground threshold
   * @return a copy with them
   */
  public InstanceParams withThresholds(double seed, double foreground) {
    return new InstanceParams(seeds, seed, foreground, minSeedSize, minDynamic, minSize, maxSize,
        fillHoles,
        connectivity, interiorChannel, boundaryChannel);
  }

  /**
   * @param minSeed smallest seed kept
   * @param min smallest object kept
   * @param max largest object kept (0: no limit)
   * @return a copy with them
   */
  public InstanceParams withSizes(int minSeed, long min, long max) {
    return new InstanceParams(seeds, seedThreshold, foregroundThreshold, minSeed, minDynamic, min,
        max,
        fillHoles, connectivity, interiorChannel, boundaryChannel);
  }

  /**
   * @param dynamic smallest dynamic of a distance seed, in pixels (exclusive)
   * @return a copy with it
   */
  public InstanceParams withMinDynamic(double dynamic) {
    return new InstanceParams(seeds, seedThreshold, foregroundThreshold, minSeedSize, dynamic,
        minSize, maxSize, fillHoles, connectivity, interiorChannel, boundaryChannel);
  }

  /**
   * @param fill whether to fill holes
   * @return a copy with it
   */
  public InstanceParams withFillHoles(boolean fill) {
    return new InstanceParams(seeds, seedThreshold, foregroundThreshold, minSeedSize, minDynamic,
        minSize,
        maxSize, fill, connectivity, interiorChannel, boundaryChannel);
  }

  /**
   * @param c connectivity
   * @return a copy with it
   */
  public InstanceParams withConnectivity(Connectivity c) {
    return new InstanceParams(seeds, seedThreshold, foregroundThreshold, minSeedSize, minDynamic,
        minSize,
        maxSize, fillHoles, c, interiorChannel, boundaryChannel);
  }

  /**
   * @param interior interior channel
   * @param boundary boundary channel
   * @return a copy with them
   */
  public InstanceParams withChannels(int interior, int boundary) {
    return new InstanceParams(seeds, seedThreshold, foregroundThreshold, minSeedSize, minDynamic,
        minSize,
        maxSize, fillHoles, connectivity, interior, boundary);
  }
}
