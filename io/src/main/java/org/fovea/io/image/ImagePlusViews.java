package org.fovea.io.image;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import java.util.ArrayList;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;

/** Builds ImgLib2 views over an ImagePlus's own pixel arrays; see {@link ImagePlusImgs#wrap}. */
final class ImagePlusViews {

  private ImagePlusViews() {}

  /**
   * @param imp an image
   * @return a view sharing its pixel arrays, with axes X, Y, then those of C, Z, T larger than 1
   */
  static AxisImg<?> wrap(ImagePlus imp) {
    if (imp == null) {
      throw new IllegalArgumentException("no image to wrap: the ImagePlus is null");
    }
    PixelKind kind = PixelKind.of(imp);
    int c = imp.getNChannels();
    int z = imp.getNSlices();
    int t = imp.getNFrames();
    int planes = imp.getStackSize();
    if ((long) c * z * t != planes) {
      throw new FoveaException("image '" + imp.getTitle() + "' claims " + c + " channels, " + z
          + " slices and " + t + " frames but holds " + planes
          + " planes: fix its dimensions with Image > Properties");
    }
    List<Axis> axes = new ArrayList<>(List.of(Axis.X, Axis.Y));
    List<Long> dims = new ArrayList<>(List.of((long) imp.getWidth(), (long) imp.getHeight()));
    addIfLarger(axes, dims, Axis.CHANNEL, c);
    addIfLarger(axes, dims, Axis.Z, z);
    addIfLarger(axes, dims, Axis.TIME, t);
    long[] d = dims.stream().mapToLong(Long::longValue).toArray();

    RandomAccessibleInterval<?> img = planes == 1
        ? kind.arrayImg(singlePlane(imp), d)
        : kind.planarImg(stackPlanes(imp.getStack()), d);
    Calibration cal = imp.getCalibration();
    return new AxisImg<>(img, axes, calibrations(axes, cal), cal.getUnit());
  }

  private static void addIfLarger(List<Axis> axes, List<Long> dims, Axis axis, int size) {
    if (size > 1) {
      axes.add(axis);
      dims.add((long) size);
    }
  }

  private static Object singlePlane(ImagePlus imp) {
    ImageProcessor ip = imp.getProcessor();
    if (ip == null || ip.getPixels() == null) {
      throw new FoveaException("image '" + imp.getTitle() + "' has no pixels to wrap");
    }
    return ip.getPixels();
  }

  /** The stack's planes in ImageJ order (channel fastest, then z, then t): ImgLib2's plane order. */
  private static List<Object> stackPlanes(ImageStack stack) {
    List<Object> planes = new ArrayList<>(stack.getSize());
    for (int n = 1; n <= stack.getSize(); n++) {
      planes.add(stack.getPixels(n));
    }
    return planes;
  }

  private static double[] calibrations(List<Axis> axes, Calibration cal) {
    double[] sizes = new double[axes.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = switch (axes.get(i)) {
        case X -> positiveOrOne(cal.pixelWidth);
        case Y -> positiveOrOne(cal.pixelHeight);
        case Z -> positiveOrOne(cal.pixelDepth);
        case TIME -> positiveOrOne(cal.frameInterval);
        default -> 1;
      };
    }
    return sizes;
  }

  private static double positiveOrOne(double v) {
    return v > 0 && Double.isFinite(v) ? v : 1;
  }
}
