package org.fovea.models;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Which model to run and how: the one description the command line, the Fiji commands, the script
 * facade and Spark jobs all build, DJL style ({@code set} for what is required, {@code opt} for
 * the rest). It is a value (equal requests load equal models, so it keys {@link LoadedModels}) and
 * serializable (a Spark driver {@link #resolved resolves} it once and ships it to executors).
 *
 * <pre>{@code
 * ModelRequest r = ModelRequest.builder().setModel("nuclei-dilated").optEngine("onnx").build();
 * try (Model m = r.load()) { ... }
 * }</pre>
 *
 * @param model a model name from the zoo, or a path (package folder or zip, {@code .onnx},
 *     {@code .pt}, SavedModel folder)
 * @param engine an engine name, or null for the fastest that runs the model
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
 * @param tile tile core size in pixels (0: as large as the memory budget allows)
 * @param verify whether the engine's numbers are checked before first use ({@link SelfCheck})
 * @param axes the axes of a bare model file
 * @param normalize the normalization of a bare model file
 * @param dense dense prediction of strided models ({@link Dense}): {@code auto} (the à trous
 *     rewrite for a model with total stride over 1, else the model as it is), {@code atrous},
 *     {@code shift-stitch}, {@code upsample} (one strided pass, interpolated bilinearly) or
 *     {@code off}
 * @param precision {@code fp32} (default), or {@code int8}, {@code fp16}, {@code bf16}: used
 *     only once verified on the package's test tensors ({@link Precision})
 * @since 0.2.0
 */
public record ModelRequest(String model, String engine, String device, long tile, boolean verify,
    String axes, String normalize, String dense, String precision) implements Serializable {

  /** The values of {@link #dense()}. */
  public static final java.util.List<String> DENSE = java.util.List.of("auto", "atrous",
      "shift-stitch", "upsample", "off");

  /** Checks the dense mode and the precision. */
  public ModelRequest {
    precision = Precision.of(precision);
    dense = dense == null ? "auto" : dense.toLowerCase(java.util.Locale.ROOT);
    if (!DENSE.contains(dense)) {
      throw new org.fovea.ops.net.FoveaException("unknown dense mode '" + dense + "': use one of "
          + String.join(", ", DENSE));
    }
  }

  /** The default tile core size. */
  public static final long DEFAULT_TILE = 1024;

  /** @return a builder; {@link Builder#setModel} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the same request with the model resolved to an absolute path, so that it means the
   *     same file on every machine that shares the file system
   * @throws org.fovea.ops.net.FoveaException when no such model exists
   */
  public ModelRequest resolved() {
    Path p = Paths.get(model);
    if (!Files.exists(p)) {
      p = Zoo.resolve(model).source();
    }
    return new ModelRequest(p.toAbsolutePath().normalize().toString(), engine, device, tile,
        verify, axes, normalize, dense, precision);
  }

  /**
   * @return the model loaded on its engine; the caller closes it
   * @throws org.fovea.ops.net.FoveaException when it cannot be found or loaded
   */
  public Model load() {
    Model m = Model.load(Zoo.resolve(model, new Zoo.Bare(axes, normalize)), engine, device, verify);
    m = Precision.apply(m, precision, SelfCheck::tell);
    return switch (dense) {
      case "off" -> m;
      case "auto" -> Dense.auto(m, SelfCheck::tell);
      default -> Dense.of(m, org.fovea.ops.dense.DenseNetwork.Method.of(dense), SelfCheck::tell);
    };
  }

  /** A request being built. */
  public static final class Builder {
    private String model;
    private String engine;
    private String device = "auto";
    private long tile = DEFAULT_TILE;
    private Boolean verify;
    private Zoo.Bare bare = Zoo.Bare.DEFAULT;
    private String dense = "auto";
    private String precision = "fp32";

    private Builder() {}

    /**
     * @param model a model name or path; null or blank for the default model
     * @return this
     */
    public Builder setModel(String model) {
      this.model = model == null || model.isBlank() ? Zoo.DEFAULT_MODEL : model;
      return this;
    }

    /**
     * @param engine {@code onnx}, {@code pytorch}, {@code tensorflow}; null or {@code auto} for
     *     the fastest
     * @return this
     */
    public Builder optEngine(String engine) {
      this.engine = engine == null || engine.isBlank() || engine.equals("auto") ? null : engine;
      return this;
    }

    /**
     * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (null)
     * @return this
     */
    public Builder optDevice(String device) {
      this.device = device == null || device.isBlank() ? "auto" : device;
      return this;
    }

    /**
     * @param tile tile core size in pixels, 0 for as large as memory allows
     * @return this
     * @throws IllegalArgumentException for a negative size
     */
    public Builder optTile(long tile) {
      if (tile < 0) {
        throw new IllegalArgumentException("tile " + tile + " is not a tile size: give the core"
            + " size in pixels, such as 1024, or 0 for as large as memory allows");
      }
      this.tile = tile;
      return this;
    }

    /**
     * @param verify whether to check the engine's numbers before first use (default: on unless
     *     {@code fovea.verify=false})
     * @return this
     */
    public Builder optVerify(boolean verify) {
      this.verify = verify;
      return this;
    }

    /**
     * @param bare axes and normalization of a bare model file
     * @return this
     */
    public Builder optBare(Zoo.Bare bare) {
      this.bare = bare == null ? Zoo.Bare.DEFAULT : bare;
      return this;
    }

    /**
     * @param dense {@code auto} (default), {@code atrous}, {@code shift-stitch}, {@code upsample}
     *     or {@code off}
     * @return this
     */
    public Builder optDense(String dense) {
      this.dense = dense == null || dense.isBlank() ? "auto" : dense;
      return this;
    }

    /**
     * @param precision {@code fp32} (default, also for null), {@code int8}, {@code fp16} or {@code
     *     bf16}; anything but fp32 is used only once the package's test tensors pass in it
     * @return this
     */
    public Builder optPrecision(String precision) {
      this.precision = precision == null || precision.isBlank() ? "fp32" : precision;
      return this;
    }

    /**
     * @return the request
     * @throws IllegalStateException when no model was set
     * @throws org.fovea.ops.net.FoveaException for an unknown dense mode or precision
     */
    public ModelRequest build() {
      if (model == null) {
        throw new IllegalStateException("setModel is required");
      }
      return new ModelRequest(model, engine, device, tile,
          verify == null ? SelfCheck.enabled() : verify, bare.axes(), bare.normalize(), dense,
          precision);
    }
  }
}
