package org.fovea.plugins.fiji;

import ij.IJ;
import ij.measure.ResultsTable;
import org.fovea.models.engine.Doctor;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * {@code Plugins > Fovea > Fovea About}: what {@code fovea doctor} prints, in ImageJ's Log
 * window, and a Results table titled {@value #TABLE} with one row per engine (columns {@code
 * engine}, {@code version}, {@code formats}, {@code status}, {@code devices}, {@code gpu}: empty
 * when the engine can use a GPU, else why not). A macro reads it with {@code
 * getResultString("gpu", 0, "Fovea Engines")}.
 *
 * @since 0.1.0
 */
@Plugin(type = Command.class, menuPath = "Plugins>Fovea>Fovea About", headless = true)
public final class AboutFovea extends ContextCommand {

  /** The Results table's title. */
  public static final String TABLE = "Fovea Engines";

  @Parameter(type = ItemIO.OUTPUT)
  private String report;

  @Override
  public void run() {
    Doctor.Report r = Doctor.examine();
    report = r.text();
    table(r).show(TABLE);
    for (String line : report.split("\n")) {
      IJ.log(line);
    }
  }

  /**
   * @param r a doctor's report
   * @return one row per engine
   */
  static ResultsTable table(Doctor.Report r) {
    ResultsTable t = new ResultsTable();
    for (Doctor.EngineStatus e : r.engines()) {
      t.incrementCounter();
      t.addValue("engine", e.name());
      t.addValue("version", e.version());
      t.addValue("formats", String.join(" ", e.formats()));
      t.addValue("status", e.works() ? "ok" : e.unavailable());
      t.addValue("devices", String.join(" ", e.devices()));
      t.addValue("gpu", e.noGpu() == null ? "" : e.noGpu());
    }
    return t;
  }
}
