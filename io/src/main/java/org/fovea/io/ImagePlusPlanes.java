package org.fovea.io;

import ij.ImagePlus;
import ij.ImageStack;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.tiling.PlaneSink;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.SizedPlaneSource;

/**
 * One (z, t) plane of an ImagePlus, all channels, read region by region from ImageJ's own pixel
 * arrays (no float copy of the image); and a sink into the planes of an ImageStack.
 *
 * @since 0.1.0
 */
public final class ImagePlusPlanes {

  private ImagePlusPlanes() {}

  /**
   * @param imp the image (8-, 16- or 32-bit)
   * @param z slice, 1-based
   * @param t frame, 1-based
   * @return its channels at (z, t) as a source
   */
  public static PlaneSource source(ImagePlus imp, int z, int t) {
    if (imp.getBitDepth() == 24) {
      throw new FoveaException("image '" + imp.getTitle() + "' is RGB colour: convert it to a"
          + " grayscale or multichannel image first (Image > Type > 8-bit or RGB Stack)");
    }
    int c = imp.getNChannels();
    int w = imp.getWidth();
    int h = imp.getHeight();
    ImageStack stack = imp.getStack();
    Object[] planes = new Object[c];
    for (int ch = 0; ch < c; ch++) {
      planes[ch] = stack.getPixels(imp.getStackIndex(ch + 1, z, t));
    }
    return new SizedPlaneSource(h, w, c) {
      @Override
      public void read(long y0, long x0, int rh, int rw, float[] dst) {
        for (int ch = 0; ch < c; ch++) {
          Object p = planes[ch];
          for (int y = 0; y < rh; y++) {
            int s = (int) ((y0 + y) * w + x0);
            int d = (ch * rh + y) * rw;
            if (p instanceof float[] f) {
              System.arraycopy(f, s, dst, d, rw);
            } else if (p instanceof short[] sh) {
              for (int x = 0; x < rw; x++) {
                dst[d + x] = sh[s + x] & 0xffff;
              }
            } else if (p instanceof byte[] b) {
              for (int x = 0; x < rw; x++) {
                dst[d + x] = b[s + x] & 0xff;
              }
            } else {
              throw new FoveaException("image '" + imp.getTitle() + "' has an unsupported pixel"
                  + " type: use 8-, 16- or 32-bit grayscale");
            }
          }
        }
      }
    };
  }

  /**
   * @param stack the output stack, 32-bit, planes in ImageJ order
   * @param firstPlane 0-based index of channel 0 of this (z, t)
   * @return a sink writing channel k to plane {@code firstPlane + k}
   */
  public static PlaneSink sink(ImageStack stack, int firstPlane) {
    int w = stack.getWidth();
    return (y0, x0, rh, rw, c, src) -> {
      for (int ch = 0; ch < c; ch++) {
        float[] plane = (float[]) stack.getPixels(firstPlane + ch + 1);
        for (int y = 0; y < rh; y++) {
          System.arraycopy(src, (ch * rh + y) * rw, plane, (int) ((y0 + y) * w + x0), rw);
        }
      }
    };
  }

}
