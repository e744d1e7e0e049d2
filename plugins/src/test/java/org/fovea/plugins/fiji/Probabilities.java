package org.fovea.plugins.fiji;

import ij.ImagePlus;
import ij.measure.Calibration;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.io.ImageFiles;

/** Test images and the reference the Fiji command must reproduce. */
public final class Probabilities {

  private Probabilities() {}

  /** @return the shipped sample image */
  public static Path sample() {
    return Paths.get(System.getProperty("fovea.root"), "models", "zoo", "samples",
        "nuclei-synthetic-512.tif");
  }

  /**
   * @param x left
   * @param y top
   * @param w width
   * @param h height
   * @return a crop of the shipped sample, calibrated 0.25 µm per pixel
   */
  public static ImagePlus sampleCrop(int x, int y, int w, int h) {
    ImagePlus imp = ImageFiles.open(sample());
    imp.setRoi(x, y, w, h);
    ImagePlus crop = imp.crop();
    crop.setTitle("crop.tif");
    Calibration cal = new Calibration();
    cal.pixelWidth = 0.25;
    cal.pixelHeight = 0.25;
    cal.setUnit("µm");
    crop.setCalibration(cal);
    return crop;
  }

  /**
   * @param imp an image
   * @param tile tile core size
   * @return {@link ImageFiles#segment} with the default model on the CPU
   */
  public static ImagePlus reference(ImagePlus imp, long tile) {
    try (Model m = Model.load(Zoo.resolve(Zoo.DEFAULT_MODEL), null, "cpu")) {
      return ImageFiles.segment(m, imp, tile, null).probabilities();
    }
  }

  /**
   * @param a a 32-bit stack
   * @param b another, of the same size
   * @return the largest absolute difference between their pixels
   */
  public static double maxAbsDiff(ImagePlus a, ImagePlus b) {
    double max = 0;
    for (int s = 1; s <= a.getStackSize(); s++) {
      float[] pa = (float[]) a.getStack().getPixels(s);
      float[] pb = (float[]) b.getStack().getPixels(s);
      for (int i = 0; i < pa.length; i++) {
        max = Math.max(max, Math.abs(pa[i] - pb[i]));
      }
    }
    return max;
  }
}
