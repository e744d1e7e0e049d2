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
import org.fovea.io.instances.VolumeExtraction;
import org.fovea.models.Segmentation;
import ij.gui.Overlay;
import java.util.List;
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
  private long min_size = InstanceParams.DEFAULT_MIN_SIZE;

  @Parameter(label = "Largest object (px, 0: any)", min = "0", persist = false)
  private long max_size = 0;

  @Parameter(label = "Labels", type = ItemIO.OUTPUT)
  private ImagePlus labels;

  @Parameter(required = false)
  private LogService log;

  @Parameter(required = false)
  private ModelService models;

  @Override
  public void run() {
    try {
      InstanceParams params = check();
      long t0 = System.nanoTime();
      // the context's model service keeps the model loaded for the next run
      org.fovea.models.ModelRequest request = org.fovea.models.ModelRequest.builder()
          .setModel(model).optEngine(engine).optDevice(device).optTile(tile).build();
      try (Model owned = models == null ? request.load() : null) {
        Model m = owned != null ? owned : models.get(request);
        StatusBarProgress progress = new StatusBarProgress(this::isCanceled);
        if (Segmentation.volumetric(m)) {
          volume(m, params, progress, t0);
          return;
        }
        InstanceExtraction.Result r = StarExtraction.applies(m, method)
            ? StarExtraction.run(m, image, StarParams.byModel(), tile, progress)
            : InstanceExtraction.run(m, image, params, tile, progress);
        status(m, r.tiles(), r.objects().size(), t0);
        String warning = ImageFiles.nonFiniteWarning(image.getTitle(), r.nans());
        if (warning != null) {
          IJ.log("Fovea: warning: " + warning);
        }
        Roi[] outlines = RoiSets.outlines(r.labels());
        labels = InstanceViews.labelImage(r.labels(), image);
        InstanceViews.objects(r.objects(), ResultsTable.getResultsTable());
        image.setOverlay(InstanceViews.overlay(outlines));
        show(java.util.Arrays.asList(outlines).subList(1, outlines.length));
      }
    } catch (FoveaException e) {
      cancel(e.getMessage());
      if (log != null) {
        log.error(e.getMessage());
      }
    }
  }

  /**
   * A z-stack through a 3D model: a label stack, one row per 3D object (voxels, volume,
   * centroid), and each object's outline on every slice it touches, with its slice position, in
   * the overlay and the ROI Manager.
   */
  private void volume(Model m, InstanceParams params, StatusBarProgress progress, long t0) {
    if (method.equals("star")) {
      throw new FoveaException("model '" + m.pkg().name() + "' is a 3D model: 3D objects are"
          + " found by the watershed method; choose auto or watershed");
    }
    VolumeExtraction.Result r = VolumeExtraction.run(m, image, params, tile, progress);
    status(m, r.tiles(), r.objects().size(), t0);
    String warning = ImageFiles.nonFiniteWarning(image.getTitle(), r.nans());
    if (warning != null) {
      IJ.log("Fovea: warning: " + warning);
    }
    List<Roi> rois = VolumeExtraction.rois(r.labels(), r.objects());
    labels = InstanceViews.labelVolume(r.labels(), image);
    InstanceViews.volumeObjects(r.objects(), ResultsTable.getResultsTable());
    Overlay o = new Overlay();
    for (Roi roi : rois) {
      Roi c = (Roi) roi.clone();
      c.setStrokeColor(LabelColors.color(Integer.parseInt(roi.getName().substring(0, 5))));
      o.add(c);
    }
    image.setOverlay(o);
    show(rois);
  }

  private void status(Model m, int tiles, int objects, long t0) {
    IJ.showProgress(1.0);
    IJ.showStatus(String.format(Locale.ROOT, "Fovea: model=%s engine=%s device=%s tiles=%d"
        + " objects=%d seconds=%.2f", m.pkg().name(), m.network().engine(),
        m.network().device(), tiles, objects, (System.nanoTime() - t0) / 1e9));
  }

  /** With a display: the Results table shown, the ROIs in the ROI Manager (reset first). */
  private static void show(List<Roi> rois) {
    if (GraphicsEnvironment.isHeadless()) {
      return;
    }
    ResultsTable.getResultsTable().show("Results");
    // in a batch-mode macro, the macro's hidden manager; else the open one, or a new one
    RoiManager rm = RoiManager.getInstance() != null ? RoiManager.getInstance()
        : RoiManager.getRoiManager();
    rm.reset();
    for (Roi roi : rois) {
      if (roi != null) {
        rm.addRoi(roi);
      }
    }
  }

  private InstanceParams check() {
    if (image == null || image.getStackSize() == 0 || image.getWidth() == 0) {
      throw new FoveaException("there is no image to find objects in: open one first");
    }
    if (!method.equals("auto") && !method.equals("watershed") && !method.equals("star")) {
      throw new FoveaException("method '" + method + "' is not available here: use auto,"
          + " watershed or star");
    }
    try {
      return InstanceParams.byDimension().withSizes(1, min_size, max_size);
    } catch (IllegalArgumentException e) {
      throw new FoveaException("bad instance parameters: " + e.getMessage(), e);
    }
  }
}
