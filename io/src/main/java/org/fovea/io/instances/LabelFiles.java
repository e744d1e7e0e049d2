package org.fovea.io.instances;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.nio.file.Path;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.ImageFiles;

/**
 * Label images as files: read with ImageJ 1, written as 16-bit TIFF (32-bit float when there are
 * more than 65535 objects), atomically.
 *
 * @since 0.1.0
 */
public final class LabelFiles {

  /** The most objects a 16-bit label image holds. */
  public static final int MAX_16_BIT = 65535;

  private LabelFiles() {}

  /**
   * @param p an 8-, 16- or 32-bit single-plane image of non-negative whole numbers
   * @return its labels
   * @throws FoveaException when the file is missing, unreadable or not a label image
   */
  public static LabelImage read(Path p) {
    return of(ImageFiles.open(p), p.toString());
  }

  /**
   * @param imp an 8-, 16- or 32-bit single-plane image of non-negative whole numbers
   * @param name how errors name it (a file path or an image title)
   * @return its labels
   * @throws FoveaException when it is not a label image
   */
  public static LabelImage of(ImagePlus imp, String name) {
    if (imp.getStackSize() != 1) {
      throw new FoveaException("label image " + name + " has " + imp.getStackSize() + " planes:"
          + " give a single 2D label image");
    }
    if (imp.getType() == ImagePlus.COLOR_RGB || imp.getType() == ImagePlus.COLOR_256) {
      throw new FoveaException("label image " + name + " is a colour image: give an 8-, 16- or"
          + " 32-bit image of object numbers");
    }
    ImageProcessor ip = imp.getProcessor();
    // a signed 16-bit TIFF is read by ImageJ as unsigned values + 32768 with a calibration that
    // undoes it: the labels are the calibrated values, so that 0 is the background
    ij.measure.Calibration cal = imp.getCalibration();
    boolean calibrated = imp.getType() != ImagePlus.GRAY32 && cal.calibrated();
    int[] l = new int[imp.getWidth() * imp.getHeight()];
    int max = 0;
    for (int i = 0; i < l.length; i++) {
      float v = calibrated ? (float) cal.getCValue(ip.get(i)) : ip.getf(i);
      if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
        throw new FoveaException("label image " + name + " holds the value " + v + " at pixel ("
            + i % imp.getWidth() + ", " + i / imp.getWidth() + "): labels must be whole numbers"
            + " from 0 (background) up");
      }
      l[i] = (int) v;
      max = Math.max(max, l[i]);
    }
    return new LabelImage(imp.getWidth(), imp.getHeight(), l, max);
  }

  /**
   * @param labels the labels
   * @param title the image title
   * @return a 16-bit image, or a 32-bit one when the labels exceed 65535 (exact up to 2^24)
   */
  public static ImagePlus toImagePlus(LabelImage labels, String title) {
    int w = labels.width();
    int h = labels.height();
    int[] l = labels.labels();
    ImageProcessor ip;
    if (labels.count() <= MAX_16_BIT) {
      short[] px = new short[l.length];
      for (int i = 0; i < l.length; i++) {
        px[i] = (short) l[i];
      }
      ip = new ShortProcessor(w, h, px, null);
    } else {
      if (labels.count() > (1 << 24)) {
        throw new FoveaException(labels.count() + " objects do not fit a 32-bit float label image"
            + " exactly: split the image into parts");
      }
      float[] px = new float[l.length];
      for (int i = 0; i < l.length; i++) {
        px[i] = l[i];
      }
      ip = new FloatProcessor(w, h, px, null);
    }
    ip.setMinAndMax(0, Math.max(1, labels.count()));
    return new ImagePlus(title, ip);
  }

  /**
   * Writes a label image as TIFF, atomically (temporary name, then rename).
   *
   * @param labels the labels
   * @param like calibration to copy, or null
   * @param dest the file
   */
  public static void write(LabelImage labels, ImagePlus like, Path dest) {
    ImagePlus imp = toImagePlus(labels, dest.getFileName().toString());
    if (like != null) {
      imp.setCalibration(like.getCalibration().copy());
      imp.getCalibration().disableDensityCalibration();
    }
    ImageFiles.saveTiff(imp, dest);
  }
}
