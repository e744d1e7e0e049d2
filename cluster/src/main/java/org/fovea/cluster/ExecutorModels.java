package org.fovea.cluster;

import org.fovea.models.ModelRequest;

import org.fovea.models.LoadedModels;
import org.fovea.models.Model;

/**
 * The models loaded in this JVM (a Spark executor, or the driver in local mode): each model is
 * loaded once, on the first task that needs it, and shared by every later task.
 *
 * <p>Several tasks may use one model at once; the tiler calls its network one tile at a time
 * ({@code SegmentationPlan}), so the reading and writing of one task overlap another's engine
 * call.
 *
 * @since 0.1.0
 */
public final class ExecutorModels {

  private static final LoadedModels MODELS = new LoadedModels();

  private ExecutorModels() {}

  /**
   * @param ref the model
   * @return the loaded model, shared; never close it
   */
  public static Model get(ModelRequest ref) {
    return MODELS.get(ref);
  }

  /** @return how many models this JVM has loaded */
  public static int loads() {
    return MODELS.loads();
  }
}
