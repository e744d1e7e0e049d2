package org.fovea.plugins.fiji;

import org.fovea.models.LoadedModels;
import org.fovea.models.Model;
import org.fovea.models.ModelRequest;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/**
 * {@link ModelService} over {@link LoadedModels}.
 *
 * @since 0.2.0
 */
@Plugin(type = Service.class)
public final class DefaultModelService extends AbstractService implements ModelService {

  private final LoadedModels models = new LoadedModels();

  @Override
  public Model get(ModelRequest request) {
    return models.get(request);
  }

  @Override
  public int loads() {
    return models.loads();
  }

  @Override
  public void dispose() {
    models.close();
  }
}
