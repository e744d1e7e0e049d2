package org.fovea.io.instances;

import org.fovea.models.AtomicFiles;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.Wand;
import ij.io.RoiEncoder;
import ij.process.FloatProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.net.FoveaException;

/**
 * Objects as an ImageJ ROI set (the zip the ROI Manager opens): one traced outline per label,
 * named by its label.
 *
 * @since 0.1.0
 */
public final class RoiSets {

  private RoiSets() {}

  /**
   * @param labels a label image whose objects are 8-connected
   * @param label one of its labels
   * @return the object's traced outer outline, or null when the label is absent
   */
  public static Roi outline(LabelImage labels, int label) {
    return outline(labels, asProcessor(labels), label, first(labels, label));
  }

  /**
   * @param labels a label image whose objects are 8-connected
   * @return the traced outline of each label, index = label (null where a label is absent)
   */
  public static Roi[] outlines(LabelImage labels) {
    int[] start = new int[labels.count() + 1];
    java.util.Arrays.fill(start, -1);
    for (int i = 0; i < labels.labels().length; i++) {
      int l = labels.labels()[i];
      if (l > 0 && start[l] < 0) {
        start[l] = i;
      }
    }
    FloatProcessor fp = asProcessor(labels);
    Roi[] rois = new Roi[start.length];
    for (int l = 1; l < start.length; l++) {
      rois[l] = outline(labels, fp, l, start[l]);
    }
    return rois;
  }

  /**
   * Writes one outline per label atomically (temporary name, then rename).
   *
   * @param labels a label image
   * @param dest the zip file
   * @return the number of outlines written
   */
  public static int write(LabelImage labels, Path dest) {
    int[] start = new int[labels.count() + 1];
    java.util.Arrays.fill(start, -1);
    for (int i = 0; i < labels.labels().length; i++) {
      int l = labels.labels()[i];
      if (l > 0 && start[l] < 0) {
        start[l] = i;
      }
    }
    FloatProcessor fp = asProcessor(labels);
    int[] n = {0};
    AtomicFiles.write(dest, tmp -> {
      try (OutputStream os = Files.newOutputStream(tmp);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        for (int l = 1; l < start.length; l++) {
          if (start[l] < 0) {
            continue;
          }
          Roi roi = outline(labels, fp, l, start[l]);
          zip.putNextEntry(new ZipEntry(roi.getName() + ".roi"));
          zip.write(RoiEncoder.saveAsByteArray(roi));
          zip.closeEntry();
          n[0]++;
        }
      }
    });
    return n[0];
  }

  private static Roi outline(LabelImage labels, FloatProcessor fp, int label, int start) {
    if (start < 0) {
      return null;
    }
    Wand wand = new Wand(fp);
    wand.autoOutline(start % labels.width(), start / labels.width(), label, label,
        Wand.EIGHT_CONNECTED);
    Roi roi = new PolygonRoi(wand.xpoints, wand.ypoints, wand.npoints, Roi.TRACED_ROI);
    roi.setName(String.format("%05d", label));
    return roi;
  }

  private static int first(LabelImage labels, int label) {
    int[] l = labels.labels();
    for (int i = 0; i < l.length; i++) {
      if (l[i] == label) {
        return i;
      }
    }
    return -1;
  }

  private static FloatProcessor asProcessor(LabelImage labels) {
    float[] px = new float[labels.labels().length];
    for (int i = 0; i < px.length; i++) {
      px[i] = labels.labels()[i];
    }
    return new FloatProcessor(labels.width(), labels.height(), px, null);
  }
}
