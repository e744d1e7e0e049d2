package org.fovea.plugins.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import java.awt.Point;
import java.util.List;
import org.fovea.models.Zoo;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.LayerField;
import org.fovea.io.field.FieldAnalysis;
import org.fovea.io.field.FieldRegion;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * {@code Plugins > Fovea > Fovea Receptive Field Overlay}: adds to the current image's overlay the
 * theoretical receptive field of the output under the selection (image pixels are the model's
 * input pixels; the model is analysed at the image's size): for a point, a yellow rectangle of
 * exactly the input pixels it sees (clipped to the image) and a red cross at its centre; for a
 * line or rectangle, the union of the fields of the outputs it covers (see {@link FieldOverlays}).
 *
 * <p>With {@code effective}, it also adds the effective receptive field of the output under the
 * (first) point: the |gradient| of its most probable class per input pixel, as a "fire" heatmap
 * over the rectangle with a colour bar (on PyTorch or TensorFlow, see {@link EffectiveField}).
 *
 * <p>Macro keys: {@code model}, {@code layer} (empty: the network's output), {@code effective}.
 *
 * @since 0.1.0
 */
@Plugin(type = Command.class, menuPath = "Plugins>Fovea>Fovea Receptive Field Overlay", headless = true)
public final class ReceptiveFieldOverlay extends ContextCommand {

  @Parameter(label = "Image")
  private ImagePlus image;

  @Parameter(label = "Model (name or path)", persist = false)
  private String model = Zoo.DEFAULT_MODEL;

  @Parameter(label = "Layer (empty: output)", required = false, persist = false)
  private String layer = "";

  @Parameter(label = "Effective field (|gradient| heatmap)", persist = false)
  private boolean effective;

  @Parameter(required = false)
  private LogService log;

  @Parameter(required = false)
  private ModelService models;

  @Override
  public void run() {
    try {
      if (image == null) {
        throw new FoveaException("there is no image: open one and mark a point on it first");
      }
      FieldAnalysis a = FieldAnalysis.of(model, null, new long[] {image.getHeight(),
          image.getWidth()}, false, null, "cpu");
      LayerField l = layer(a);
      List<Roi> items = FieldOverlays.of(l, image.getRoi(), image.getWidth(), image.getHeight());
      Overlay o = image.getOverlay() == null ? new Overlay() : image.getOverlay();
      if (effective) {
        effective(a, l).forEach(o::add);
      }
      items.forEach(o::add);
      image.setOverlay(o);
      IJ.showStatus("Fovea: " + items.get(0).getName() + " of layer '" + l.name() + "'");
    } catch (FoveaException e) {
      cancel(e.getMessage());
      if (log != null) {
        log.error(e.getMessage());
      }
    }
  }

  /** The heatmap of the effective field of the output under the (first) point. */
  private List<Roi> effective(FieldAnalysis a, LayerField l) {
    if (!(image.getRoi() instanceof PointRoi p) || l != a.report().output()) {
      throw new FoveaException("effective draws the field of one network output: mark a point"
          + " and leave layer empty, or turn effective off");
    }
    Point px = p.getContainedPoints()[0];
    FieldRegion r = FieldRegion.atPixels(l, px.x, px.y, px.x, px.y);
    return EffectiveField.heatmap(EffectiveField.gradient(a.pkg(), image, r.ux0(), r.uy0(),
        models),
        r.clip(image.getWidth(), image.getHeight()));
  }

  private LayerField layer(FieldAnalysis a) {
    if (a.report() == null || !a.axes().equals(List.of(Axis.Y, Axis.X))) {
      throw new FoveaException("the overlay needs a 2-D model with an analysable graph, and model '"
          + a.pkg().name() + "' " + (a.report() == null ? "has unsupported layers"
              : "has spatial axes " + a.axes()) + ": use Receptive Field Table instead");
    }
    LayerField l = layer == null || layer.isBlank() ? a.report().output()
        : a.report().layer(layer.strip());
    if (l == null) {
      throw new FoveaException("model '" + a.pkg().name() + "' has no layer '" + layer
          + "': Receptive Field Table lists its layers");
    }
    return l;
  }
}
