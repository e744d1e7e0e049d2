package org.fovea.io.image;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/** Test images whose pixel values tell where they are. */
final class Fixtures {

  private Fixtures() {}

  /**
   * @return a value that encodes a hyperstack position, distinct for x &lt; 10, y &lt; 10, c &lt;
   *     10, z &lt; 10, t &lt; 6 and fitting in 16 bits
   */
  static int code(long x, long y, long c, long z, long t) {
    return (int) (x + 10 * y + 100 * c + 1000 * z + 10000 * t);
  }

  /**
   * @param w width
   * @param h height
   * @param nc channels
   * @param nz slices
   * @param nt frames
   * @param bitDepth 16 or 32
   * @return a hyperstack where each pixel holds {@link #code} of its position
   */
  static ImagePlus hyperstack(int w, int h, int nc, int nz, int nt, int bitDepth) {
    ImageStack stack = new ImageStack(w, h);
    for (int t = 0; t < nt; t++) {
      for (int z = 0; z < nz; z++) {
        for (int c = 0; c < nc; c++) {
          ImageProcessor ip = bitDepth == 16 ? new ShortProcessor(w, h) : new FloatProcessor(w, h);
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              ip.setf(x, y, code(x, y, c, z, t));
            }
          }
          stack.addSlice("c" + c + "z" + z + "t" + t, ip);
        }
      }
    }
    ImagePlus imp = new ImagePlus("hyper", stack);
    imp.setDimensions(nc, nz, nt);
    imp.setOpenAsHyperStack(true);
    return imp;
  }

  /**
   * @param img an image of real pixels
   * @param pos a position
   * @return the value there
   */
  static double at(RandomAccessibleInterval<?> img, long... pos) {
    RandomAccess<?> ra = img.randomAccess();
    ra.setPosition(pos);
    return ((RealType<?>) ra.get()).getRealDouble();
  }

  /**
   * @param img an image of real pixels
   * @param value the value to write
   * @param pos where
   */
  static void set(RandomAccessibleInterval<?> img, double value, long... pos) {
    RandomAccess<?> ra = img.randomAccess();
    ra.setPosition(pos);
    ((RealType<?>) ra.get()).setReal(value);
  }

  /**
   * @param imp a hyperstack
   * @return the value ImageJ holds at that position (0-based c, z, t)
   */
  static float imageJ(ImagePlus imp, int x, int y, int c, int z, int t) {
    return imp.getStack().getProcessor(imp.getStackIndex(c + 1, z + 1, t + 1)).getf(x, y);
  }

  /** @return the image of an AxisImg typed as real pixels, as callers of toImagePlus hold it */
  @SuppressWarnings("unchecked")
  static RandomAccessibleInterval<? extends RealType<?>> real(AxisImg<?> a) {
    return (RandomAccessibleInterval<? extends RealType<?>>) a.img();
  }
}
