package org.fovea.io.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.io.ImageFiles;

/**
 * {@code segment} in a batch: {@code NAME-probabilities.tif} per image, streamed tile by tile
 * like {@code fovea segment}.
 *
 * @since 0.1.0
 */
public final class SegmentOperation implements BatchOperation {

  private final Model model;
  private final long tile;

  private SegmentOperation(Model model, long tile) {
    this.model = model;
    this.tile = tile;
  }

  /**
   * Loads the model once for the whole batch.
   *
   * @param model a model name or path
   * @param bare axes and normalization of a bare model file
   * @param engine onnx, pytorch, tensorflow, or null for the fastest
   * @param device cpu, gpu, gpu:N or auto
   * @param tile tile core size (0: as large as memory allows)
   * @return the operation; close it when the batch is done
   */
  public static SegmentOperation open(String model, Zoo.Bare bare, String engine, String device,
      long tile) {
    return new SegmentOperation(Model.load(Zoo.resolve(model, bare), engine, device), tile);
  }

  /** @return the loaded model */
  public Model model() {
    return model;
  }

  @Override
  public String name() {
    return "segment";
  }

  @Override
  public String options() {
    return String.format(Locale.ROOT, "model=%s engine=%s tile=%d", model.pkg().name(),
        model.network().engine(), tile);
  }

  @Override
  public List<String> outputs(String base) {
    return List.of(base + "-probabilities.tif");
  }

  @Override
  public Integer run(Path input, List<Path> outputs) {
    ImageFiles.segmentToTiff(model, ImageFiles.open(input), tile, null, outputs.get(0));
    return null;
  }

  @Override
  public void close() {
    model.close();
  }
}
