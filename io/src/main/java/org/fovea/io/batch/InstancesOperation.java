package org.fovea.io.batch;

import ij.ImagePlus;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.io.instances.InstanceExtraction;
import org.fovea.io.instances.LabelFiles;
import org.fovea.io.instances.ObjectTable;
import org.fovea.io.ImageFiles;

/**
 * {@code instances} in a batch: {@code NAME-labels.tif} (16-bit labels) and
 * {@code NAME-objects.csv} (one row per object) per image, like {@code fovea instances}.
 *
 * @since 0.1.0
 */
public final class InstancesOperation implements BatchOperation {

  private final Model model;
  private final InstanceParams params;
  private final long tile;

  private InstancesOperation(Model model, InstanceParams params, long tile) {
    this.model = model;
    this.params = InstanceExtraction.forModel(model, params);
    this.tile = tile;
  }

  /**
   * Loads the model once for the whole batch.
   *
   * @param model a background/interior/boundary model name or path
   * @param params watershed parameters
   * @param engine onnx, pytorch, tensorflow, or null for the fastest
   * @param device cpu, gpu, gpu:N or auto
   * @param tile tile core size (0: as large as memory allows)
   * @return the operation; close it when the batch is done
   * @throws org.fovea.ops.net.FoveaException when the model has no interior and boundary classes
   */
  public static InstancesOperation open(String model, InstanceParams params, String engine,
      String device, long tile) {
    Model m = Model.load(Zoo.resolve(model), engine, device);
    try {
      return new InstancesOperation(m, params, tile);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "instances";
  }

  @Override
  public String options() {
    return String.format(Locale.ROOT, "model=%s engine=%s tile=%d params=%s", model.pkg().name(),
        model.network().engine(), tile, params);
  }

  @Override
  public List<String> outputs(String base) {
    return List.of(base + "-labels.tif", base + "-objects.csv");
  }

  @Override
  public Integer run(Path input, List<Path> outputs) {
    ImagePlus imp = ImageFiles.open(input);
    InstanceExtraction.Result r = InstanceExtraction.run(model, imp, params, tile, null);
    LabelFiles.write(r.labels(), imp, outputs.get(0));
    ObjectTable.write(r.objects(), outputs.get(1));
    return r.objects().size();
  }

  @Override
  public void close() {
    model.close();
  }
}
