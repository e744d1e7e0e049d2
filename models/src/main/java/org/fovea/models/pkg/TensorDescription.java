package org.fovea.models.pkg;

import java.util.List;
import java.util.Objects;
import org.fovea.ops.net.TensorSpec;

/**
 * One input or output tensor of a model package: its shape rules, its processing and its channel
 * names.
 *
 * @param spec axes, allowed sizes, halo and (for outputs) the input whose size it follows
 * @param processing for an input its preprocessing, for an output its postprocessing, in order
 * @param channelNames the names of the channels when the package gives them (format 0.5), else an
 *     empty list
 * @since 0.1.0
 */
public record TensorDescription(TensorSpec spec, List<ProcessingStep> processing,
    List<String> channelNames) {

  /** Copies the lists so that the description cannot change. */
  public TensorDescription {
    Objects.requireNonNull(spec, "spec");
    processing = processing == null ? List.of() : List.copyOf(processing);
    channelNames = channelNames == null ? List.of() : List.copyOf(channelNames);
  }

  /** @return the tensor's name (0.4 {@code name}, 0.5 {@code id}) */
  public String name() {
    return spec.name();
  }
}
