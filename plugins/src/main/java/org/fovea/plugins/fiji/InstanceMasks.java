package org.fovea.plugins.fiji;

import ij.IJ;
import org.fovea.io.ImageFiles;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import java.awt.GraphicsEnvironment;
import java.util.Locale;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.star.StarParams;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.instances.InstanceExtraction;
import org.fovea.io.instances.RoiSets;
import org.fovea.io.instances.StarExtraction;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * {@code Plugins > Fovea > Fovea Instance Masks}: the objects of the current image through a
 * background/interior/boundary model ({@link InstanceExtraction}): a label image with a
 * glasbey-style LUT, one row per object in the Results table, the outlines as an overlay on the
 * image and, with a display, in the ROI Manager (named by label, as in {@code fovea instances
 * --rois}). Tile progress goes to the status bar; Esc cancels between tiles.
 *
 * <p>Macro keys: {@code model}, {@code method} ({@code auto}, {@code watershed}, {@code star}), {@code engine},
 * {@code tile}, {@code device}, {@code min_size}, {@code max_size}.
 *
 * @since 0.1.0
 */
@Plugin(type = Command.class, menuPath = "Plugins>Fovea>Fovea Instance Masks", headless = true)
public final class InstanceMasks extends ContextCommand {

  @Parameter(label = "Image", required = false)
  private ImagePlus image;

  @Parameter(label = "Model (name or path)", persist = false)
  private String model = Zoo.DEFAULT_MODEL;

  @Parameter(label = "Method", choices = {"auto", "watershed", "star"}, persist = false)
  private String method = "auto";

  @Parameter(label = "Engine", choices = {"auto", "onnx", "pytorch", "tensorflow"}, persist = false)
  private String engine = "auto";

  @Parameter(label = "Tile size (px)", min = "0", persist = false)
  private int tile = 1024;

  @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, persist = false)
  private String device = "auto";

  @Parameter(label = "Smallest object (px)", min = "1", persist = false)
  private long min_size = 1;

  @Parameter(label = "Largest object (px, 0: any)", min = "0", persist = false)
  private long max_size = 0;

  @Parameter(label = "Labels", type = ItemIO.OUTPUT)
  private ImagePlus labels;

  @Parameter(required = false)
  private LogService log;

  @Override
  public void run() {
    try {
      InstanceExtraction.Result r = extract();
      String warning = ImageFiles.nonFiniteWarning(image.getTitle(), r.nans());
      if (warning != null) {
        IJ.log("Fovea: warning: " + warning);
      }
      Roi[] outlines = RoiSets.outlines(r.labels());
      labels = InstanceViews.labelImage(r.labels(), image);
      InstanceViews.objects(r.objects(), ResultsTable.getResultsTable());
      image.setOverlay(InstanceViews.overlay(outlines));
      if (!GraphicsEnvironment.isHeadless()) {
        ResultsTable.getResultsTable().show("Results");
        // in a batch-mode macro, the macro's hidden manager; else the open one, or a new one
        RoiManager rm = RoiManager.getInstance() != null ? RoiManager.getInstance()
            : RoiManager.getRoiManager();
        rm.reset();
        for (int l = 1; l < outlines.length; l++) {
          if (outlines[l] != null) {
            rm.addRoi(outlines[l]);
          }
        }
      }
    } catch (FoveaException e) {
      cancel(e.getMessage());
      if (log != null) {
        log.error(e.getMessage());
      }
    }
  }

  private InstanceExtraction.Result extract() {
    if (image == null || image.getStackSize() == 0 || image.getWidth() == 0) {
      throw new FoveaException("there is no image to find objects in: open one first");
    }
    if (!method.equals("auto") && !method.equals("watershed") && !method.equals("star")) {
      throw new FoveaException("method '" + method + "' is not available here: use auto,"
          + " watershed or star");
    }
    InstanceParams params;
    try {
      params = InstanceParams.defaults().withSizes(1, min_size, max_size);
    } catch (IllegalArgumentException e) {
      throw new FoveaException("bad instance parameters: " + e.getMessage(), e);
    }
    long t0 = System.nanoTime();
    try (Model m = Model.load(Zoo.resolve(model), engine, device)) {
      StatusBarProgress progress = new StatusBarProgress(this::isCanceled);
      InstanceExtraction.Result r = StarExtraction.applies(m, method)
          ? StarExtraction.run(m, image, StarParams.defaults(), tile, progress)
          : InstanceExtraction.run(m, image, params, tile, progress);
      IJ.showProgress(1.0);
      IJ.showStatus(String.format(Locale.ROOT, "Fovea: model=%s engine=%s device=%s tiles=%d"
          + " objects=%d seconds=%.2f", m.pkg().name(), m.network().engine(),
          m.network().device(), r.tiles(), r.objects().size(), (System.nanoTime() - t0) / 1e9));
      return r;
    }
  }
}
