package org.fovea.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Models kept loaded and shared, one per {@link ModelRequest}: the first request loads, later
 * equal requests get the same model. Shared models are closed by {@link #close()} only, never by
 * their users. The Fiji model service, the script facade and Spark executors each hold one.
 *
 * <p>Whether several threads may predict with a shared model at once is the network's own answer
 * ({@link org.fovea.ops.net.Network#concurrent()}); the tilers ask it.
 *
 * @since 0.2.0
 */
public final class LoadedModels implements AutoCloseable {

  private final Map<ModelRequest, Model> models = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();

  /**
   * @param request the model and how to run it (its tile size does not matter here)
   * @return the loaded model, shared: do not close it
   */
  public Model get(ModelRequest request) {
    ModelRequest key = new ModelRequest(request.model(), request.engine(), request.device(), 0,
        request.verify(), request.axes(), request.normalize(), request.dense(),
        request.precision());
    return models.computeIfAbsent(key, r -> {
      loads.incrementAndGet();
      return r.load();
    });
  }

  /** @return how many models were loaded so far */
  public int loads() {
    return loads.get();
  }

  /** @return how many models are loaded now */
  public int size() {
    return models.size();
  }

  /** Closes every model. */
  @Override
  public void close() {
    List<Model> all = new ArrayList<>(models.values());
    models.clear();
    for (Model m : all) {
      m.close();
    }
  }
}
