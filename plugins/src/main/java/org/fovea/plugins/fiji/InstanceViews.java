package org.fovea.plugins.fiji;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import java.util.List;
import org.fovea.io.instances.VolumeExtraction;
import org.fovea.ops.instances.volume.LabelVolume;
import org.fovea.ops.instances.volume.VolumeObjectStats;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.MatchStats;
import org.fovea.ops.instances.ObjectStats;
import org.fovea.io.instances.LabelFiles;

/**
 * What the Fiji instance commands show: the coloured label image, outlines as an overlay, and
 * Results tables.
 *
 * @since 0.1.0
 */
public final class InstanceViews {

  private InstanceViews() {}

  /**
   * @param labels the objects
   * @param like the input image (title and calibration), or null
   * @return a 16-bit (32-bit past 65535 objects) label image with {@link LabelColors}, display
   *     range 0..255 so that labels 1..255 each have their own colour
   */
  public static ImagePlus labelImage(LabelImage labels, ImagePlus like) {
    String title = like == null ? "labels" : stem(like.getTitle()) + "-labels";
    ImagePlus imp = LabelFiles.toImagePlus(labels, title);
    if (like != null) {
      imp.setCalibration(like.getCalibration().copy());
      imp.getCalibration().disableDensityCalibration();
    }
    imp.getProcessor().setLut(LabelColors.lut());
    imp.setDisplayRange(0, 255);
    return imp;
  }

  /**
   * @param labels 3D objects
   * @param like the input z-stack (title and calibration), or null
   * @return a 16-bit (32-bit past 65535 objects) label stack with {@link LabelColors}
   * @since 0.3.0
   */
  public static ImagePlus labelVolume(LabelVolume labels, ImagePlus like) {
    String title = like == null ? "labels" : stem(like.getTitle()) + "-labels";
    ImagePlus imp = VolumeExtraction.toImagePlus(labels, title);
    if (like != null) {
      imp.setCalibration(like.getCalibration().copy());
      imp.getCalibration().disableDensityCalibration();
    }
    imp.getProcessor().setLut(LabelColors.lut());
    imp.getStack().setColorModel(LabelColors.lut());
    imp.setDisplayRange(0, 255);
    return imp;
  }

  /**
   * @param objects the measurements of 3D objects
   * @param table filled (reset first) with one row per object, the columns of the CSV table of
   *     {@code fovea instances} on a z-stack
   * @since 0.3.0
   */
  public static void volumeObjects(List<VolumeObjectStats> objects, ResultsTable table) {
    table.reset();
    String[] columns = VolumeExtraction.HEADER.split(",");
    for (VolumeObjectStats s : objects) {
      table.incrementCounter();
      double[] v = VolumeExtraction.values(s);
      for (int i = 0; i < columns.length; i++) {
        table.addValue(columns[i], v[i]);
      }
    }
  }

  /**
   * @param outlines one outline per label (index = label, nulls skipped)
   * @return the outlines, each stroked in its label's colour
   */
  public static Overlay overlay(Roi[] outlines) {
    Overlay o = new Overlay();
    for (int l = 1; l < outlines.length; l++) {
      if (outlines[l] != null) {
        Roi r = (Roi) outlines[l].clone();
        r.setStrokeColor(LabelColors.color(l));
        o.add(r);
      }
    }
    return o;
  }

  /**
   * @param objects the measurements
   * @param table filled (reset first) with one row per object, the columns of the CSV table
   */
  public static void objects(List<ObjectStats> objects, ResultsTable table) {
    table.reset();
    for (ObjectStats s : objects) {
      table.incrementCounter();
      table.addValue("label", s.label());
      table.addValue("area", s.area());
      table.addValue("centroid_x", s.centroidX());
      table.addValue("centroid_y", s.centroidY());
      table.addValue("bbox_x", s.minX());
      table.addValue("bbox_y", s.minY());
      table.addValue("bbox_width", s.width());
      table.addValue("bbox_height", s.height());
      table.addValue("mean_intensity", s.meanIntensity());
      table.addValue("score", s.score());
    }
  }

  /**
   * @param stats one result per IoU threshold
   * @param table filled (reset first) with one row per threshold
   */
  public static void matches(List<MatchStats> stats, ResultsTable table) {
    table.reset();
    for (MatchStats s : stats) {
      table.incrementCounter();
      table.addValue("iou_threshold", s.threshold());
      table.addValue("n_pred", s.nPred());
      table.addValue("n_true", s.nTrue());
      table.addValue("tp", s.tp());
      table.addValue("fp", s.fp());
      table.addValue("fn", s.fn());
      table.addValue("precision", s.precision());
      table.addValue("recall", s.recall());
      table.addValue("f1", s.f1());
      table.addValue("accuracy", s.accuracy());
      table.addValue("mean_matched_iou", s.meanMatchedIou());
      table.addValue("panoptic_quality", s.panopticQuality());
    }
  }

  private static String stem(String title) {
    int dot = title.lastIndexOf('.');
    return dot > 0 ? title.substring(0, dot) : title;
  }
}
