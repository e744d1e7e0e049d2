package org.fovea.plugins.fiji;

import org.fovea.models.Model;
import org.fovea.models.ModelRequest;
import org.scijava.service.SciJavaService;

/**
 * The models a SciJava {@code Context} (a running Fiji) has loaded: the first command that asks
 * for a model loads it, later commands reuse it, and the context closes them all when it is
 * disposed. Commands take it as {@code @Parameter ModelService models}.
 *
 * @since 0.2.0
 */
public interface ModelService extends SciJavaService {

  /**
   * @param request the model, engine, device and self-check
   * @return the loaded model, shared: do not close it
   */
  Model get(ModelRequest request);

  /** @return how many models this context has loaded so far */
  int loads();
}
