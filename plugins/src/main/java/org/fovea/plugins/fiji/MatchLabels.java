package org.fovea.plugins.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import java.awt.GraphicsEnvironment;
import java.util.Arrays;
import java.util.List;
import org.fovea.ops.instances.volume.LabelVolume;
import org.fovea.ops.instances.MatchStats;
import org.fovea.ops.instances.Matching;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.instances.VolumeExtraction;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * {@code Plugins > Fovea > Fovea Match Labels}: object matching scores of two open label images
 * (optimal one-to-one, IoU above each threshold), one row per threshold in the Results table:
 * TP, FP, FN, precision, recall, F1, accuracy, mean IoU of the matched pairs, panoptic quality;
 * the numbers of {@code fovea match}.
 *
 * <p>Macro keys: {@code prediction} and {@code ground_truth} (titles of open images), {@code
 * iou} (thresholds, comma-separated, such as {@code 0.5,0.7,0.9}).
 *
 * @since 0.1.0
 */
@Plugin(type = Command.class, menuPath = "Plugins>Fovea>Fovea Match Labels", headless = true)
public final class MatchLabels extends ContextCommand {

  @Parameter(label = "Prediction (image title)", persist = false)
  private String prediction = "";

  @Parameter(label = "Ground truth (image title)", persist = false)
  private String ground_truth = "";

  @Parameter(label = "IoU thresholds (comma-separated)", persist = false)
  private String iou = "0.5";

  @Parameter(required = false)
  private LogService log;

  @Override
  public void run() {
    try {
      // 2D label images, or z-stacks (IoU in voxels)
      LabelVolume p = labels(prediction, "prediction");
      LabelVolume t = labels(ground_truth, "ground_truth");
      if (p.width() != t.width() || p.height() != t.height() || p.depth() != t.depth()) {
        throw new FoveaException("label images differ in size: '" + prediction + "' is "
            + size(p) + " but '" + ground_truth + "' is " + size(t)
            + ": compare images of the same size");
      }
      List<MatchStats> stats = Matching.match(p.labels(), t.labels(), thresholds(iou));
      InstanceViews.matches(stats, ResultsTable.getResultsTable());
      if (!GraphicsEnvironment.isHeadless()) {
        ResultsTable.getResultsTable().show("Results");
      }
    } catch (FoveaException e) {
      cancel(e.getMessage());
      if (log != null) {
        log.error(e.getMessage());
      }
    }
  }

  private static String size(LabelVolume v) {
    return v.width() + "x" + v.height() + (v.depth() > 1 ? "x" + v.depth() : "");
  }

  private static LabelVolume labels(String title, String key) {
    ImagePlus imp = title == null || title.isBlank() ? null : WindowManager.getImage(title);
    if (imp == null) {
      throw new FoveaException("no open image is titled '" + title + "' (" + key + "): open the"
          + " label image and give its title");
    }
    if (imp.getNChannels() * imp.getNFrames() != 1 || imp.getBitDepth() == 24) {
      throw new FoveaException("image '" + title + "' (" + key + ") is not one plane or z-stack"
          + " of labels: give a single-channel 8-, 16- or 32-bit label image or z-stack");
    }
    return VolumeExtraction.of(imp, "'" + title + "'");
  }

  static double[] thresholds(String text) {
    try {
      double[] t = Arrays.stream(text.split(",")).map(String::strip).mapToDouble(
          Double::parseDouble).toArray();
      for (double v : t) {
        if (!(v >= 0 && v <= 1)) {
          throw new NumberFormatException();
        }
      }
      return t;
    } catch (NumberFormatException e) {
      throw new FoveaException("iou '" + text + "' is not a list of thresholds: give numbers in"
          + " [0, 1] separated by commas, such as 0.5,0.7,0.9");
    }
  }
}
