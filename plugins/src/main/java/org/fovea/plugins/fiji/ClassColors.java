package org.fovea.plugins.fiji;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.process.LUT;
import java.awt.Color;

/**
 * One LUT per class channel of a probability map: grays, green, red, blue, magenta, cyan, yellow
 * (then again), each showing 0 to 1.
 *
 * @since 0.1.0
 */
public final class ClassColors {

  private static final Color[] COLORS = {Color.WHITE, Color.GREEN, Color.RED, Color.BLUE,
      Color.MAGENTA, Color.CYAN, Color.YELLOW};

  private ClassColors() {}

  /**
   * @param c a class index from 0
   * @return its colour
   */
  public static Color of(int c) {
    return COLORS[c % COLORS.length];
  }

  /**
   * @param probabilities a hyperstack with one channel per class
   * @return a composite image with a LUT per class (the same image when it has one channel)
   */
  public static ImagePlus apply(ImagePlus probabilities) {
    int n = probabilities.getNChannels();
    if (n < 2) {
      probabilities.setDisplayRange(0, 1);
      return probabilities;
    }
    CompositeImage ci = new CompositeImage(probabilities, CompositeImage.COMPOSITE);
    LUT[] luts = new LUT[n];
    for (int c = 0; c < n; c++) {
      luts[c] = LUT.createLutFromColor(of(c));
      luts[c].min = 0;
      luts[c].max = 1;
    }
    ci.setLuts(luts);
    return ci;
  }
}
