package org.fovea.plugins.fiji;

import ij.measure.ResultsTable;
import org.fovea.models.Zoo;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.field.FieldAnalysis;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * {@code Plugins > Fovea > Fovea Receptive Field Table}: the receptive field of every layer of a model,
 * read from its graph, shown as an ImageJ Results table titled {@code Receptive field - MODEL}
 * (columns: {@link FieldTables}). A macro reads it with {@code getResult("rf_x", row, title)}.
 *
 * <p>Macro keys: {@code model}, {@code input_size} (such as {@code 256,256}; empty: the size the
 * model fixes, else 256), {@code format} ({@code auto}, {@code onnx}, {@code tensorflow}, {@code
 * torchscript}).
 *
 * @since 0.1.0
 */
@Plugin(type = Command.class, menuPath = "Plugins>Fovea>Fovea Receptive Field Table", headless = true)
public final class ReceptiveFieldTable extends ContextCommand {

  @Parameter(label = "Model (name or path)", persist = false)
  private String model = Zoo.DEFAULT_MODEL;

  @Parameter(label = "Input size (e.g. 256,256; empty: default)", required = false,
      persist = false)
  private String input_size = "";

  @Parameter(label = "Graph of", choices = {"auto", "onnx", "tensorflow", "torchscript"},
      persist = false)
  private String format = "auto";

  @Parameter(required = false)
  private LogService log;

  @Override
  public void run() {
    try {
      FieldAnalysis a = FieldAnalysis.of(model, FieldTables.format(format),
          FieldTables.inputSize(input_size), false, null, "cpu");
      ResultsTable t = FieldTables.of(a);
      t.show(FieldTables.title(a));
    } catch (FoveaException e) {
      cancel(e.getMessage());
      if (log != null) {
        log.error(e.getMessage());
      }
    }
  }
}
