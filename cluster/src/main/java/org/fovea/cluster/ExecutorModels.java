package org.fovea.cluster;

import org.fovea.models.ModelRequest;

import org.fovea.models.LoadedModels;
import org.fovea.models.Model;

/**
 * The models loaded in this JVM (a Spark executor, or the driver in local mode): each model is
 * loaded once, on the first task that needs it, and shared by every later task.
 *
 * <p>Networks that say they may be called concurrently ({@code Network.concurrent()}: ONNX Runtime)
 * run tasks at once; the others one task at a time ({@link #lockFor}).
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

  /**
   * @param m a model from {@link #get}
   * @return an object to synchronize a prediction on: a fresh one for a network that may be
   *     called concurrently (no waiting), the network itself for the others
   */
  public static Object lockFor(Model m) {
    return m.network().concurrent() ? new Object() : m.network();
  }

  /** @return how many models this JVM has loaded */
  public static int loads() {
    return MODELS.loads();
  }
}
