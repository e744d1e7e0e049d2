package org.fovea.io.image;

import ij.ImagePlus;
import ij.measure.Calibration;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;

/**
 * Moves images between ImageJ 1 ({@link ImagePlus}) and ImgLib2 without copying pixels wherever
 * the memory layouts agree.
 *
 * <p>ImageJ keeps one primitive array per plane ({@code byte[]}, {@code short[]}, {@code float[]}
 * or {@code int[]} for RGB) and orders a hyperstack's planes channel fastest, then z, then time.
 * ImgLib2 here sees the same pixels with dimensions X, Y, then C, Z, T (each only when longer than
 * 1), so dimension 0 varies fastest. Pixel values are the raw stored values: 8 and 16-bit are
 * unsigned, a density calibration is not applied.
 *
 * @since 0.1.0
 */
public final class ImagePlusImgs {

  private ImagePlusImgs() {}

  /**
   * Views an ImageJ image as an ImgLib2 image over the same pixel arrays: writing through either
   * one changes the other.
   *
   * <p>A single plane becomes an {@code ArrayImg}; a stack or hyperstack becomes a {@code
   * PlanarImg} whose planes are the stack's arrays. 8-bit reads as {@code UnsignedByteType}, 16-bit
   * as {@code UnsignedShortType}, 32-bit as {@code FloatType}, RGB as {@code ARGBType}. The axes are
   * X, Y, then CHANNEL, Z and TIME in that order, each only when the image has more than one of it.
   * The calibration holds the pixel width, height and depth and the frame interval (1 where unset)
   * and 1 for channels; the unit is the spatial unit. For a virtual stack, the planes are read into
   * memory once: writes through the view do not reach its files.
   *
   * @param imp the image
   * @return the view, its axes and its calibration
   * @throws IllegalArgumentException when {@code imp} is null
   * @throws FoveaException when the image has no pixels or inconsistent dimensions
   */
  public static AxisImg<?> wrap(ImagePlus imp) {
    return ImagePlusViews.wrap(imp);
  }

  /**
   * One plane of an ImageJ image, all its channels, as an ImgLib2 view over the image's own
   * arrays: what segmentation reads.
   *
   * @param imp the image, 8-, 16- or 32-bit
   * @param z slice, 1-based
   * @param t frame, 1-based
   * @return dimensions x, y and (for more than one channel) channel
   * @throws FoveaException for an RGB image
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static RandomAccessibleInterval<? extends RealType<?>> plane(ImagePlus imp, int z,
      int t) {
    AxisImg<?> a = wrap(grey(imp));
    RandomAccessibleInterval v = frame(a, t);
    int zd = a.dimensionOf(Axis.Z);
    if (zd >= 0) {
      v = Views.hyperSlice(v, zd, z - 1);
    }
    return v;
  }

  /** The image, refused with a sentence when it is RGB colour. */
  private static ImagePlus grey(ImagePlus imp) {
    if (imp.getBitDepth() == 24) {
      throw new FoveaException("image '" + imp.getTitle() + "' is RGB colour: convert it to a"
          + " grayscale or multichannel image first (Image > Type > 8-bit or RGB Stack)");
    }
    return imp;
  }

  /** One time point (1-based) of a wrapped image: its dimensions without time. */
  @SuppressWarnings("rawtypes")
  private static RandomAccessibleInterval frame(AxisImg<?> a, int t) {
    RandomAccessibleInterval v = a.img();
    int td = a.dimensionOf(Axis.TIME);
    return td >= 0 ? Views.hyperSlice(v, td, t - 1) : v;
  }

  /**
   * One frame of an ImageJ image as a volume, all its channels, as an ImgLib2 view over the
   * image's own arrays: what a 3D model reads.
   *
   * @param imp the image, 8-, 16- or 32-bit
   * @param t frame, 1-based
   * @return dimensions x, y, z (size 1 for a single plane) and (for more than one channel)
   *     channel
   * @throws FoveaException for an RGB image
   * @since 0.3.0
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static RandomAccessibleInterval<? extends RealType<?>> volume(ImagePlus imp, int t) {
    AxisImg<?> a = wrap(grey(imp));
    RandomAccessibleInterval v = frame(a, t);
    int cd = a.dimensionOf(Axis.CHANNEL);
    int zd = a.dimensionOf(Axis.Z);
    if (zd < 0) {
      v = Views.addDimension(v, 0, 0);
      zd = v.numDimensions() - 1;
      if (cd >= 0) {
        v = Views.moveAxis(v, zd, 2);
      }
    } else if (cd >= 0 && cd < zd) {
      v = Views.moveAxis(v, cd, zd);
    }
    return v;
  }

  /**
   * Makes an ImageJ image from an ImgLib2 image whose axes come in any order. The result's
   * channels, slices and frames are set from the CHANNEL, Z and TIME axes (1 for those absent); it
   * opens as a hyperstack unless it is a plain z-stack or a single plane. Axes ImageJ has no place
   * for (BATCH, INDEX) may be present with size 1 and are dropped.
   *
   * <p>When {@code img} is itself an {@code ArrayImg} (single plane) or {@code PlanarImg} of {@code
   * UnsignedByteType}, {@code UnsignedShortType} or {@code FloatType} whose dimensions are X, Y and
   * then C, Z, T in that order (dimensions of size 1 aside) and whose planes are plain arrays, the
   * ImagePlus shares its arrays. Otherwise the pixels are copied, plane by plane, keeping those three
   * types and turning any other real type into 32-bit float. The image's origin need not be zero.
   *
   * @param img the pixels
   * @param axes one axis per dimension of {@code img}, in its dimension order; X and Y required
   * @param title the new image's title
   * @return the new image; calibration is left unset
   * @throws FoveaException when the axes do not fit the image or ImageJ
   */
  public static ImagePlus toImagePlus(
      RandomAccessibleInterval<? extends RealType<?>> img, List<Axis> axes, String title) {
    return ImagePlusBuilder.build(img, axes, title);
  }

  /**
   * Makes an ImageJ image from an {@link AxisImg}, as {@link #toImagePlus(RandomAccessibleInterval,
   * List, String)} does, and also sets its calibration from the AxisImg's pixel sizes and unit.
   * ARGBType pixels make an RGB image (sharing arrays under the same conditions).
   *
   * @param img the pixels, of a RealType or ARGBType, with their axes and calibration
   * @param title the new image's title
   * @return the new image
   * @throws FoveaException when the pixel type is neither a RealType nor ARGBType, or the axes do
   *     not fit ImageJ
   */
  public static ImagePlus toImagePlus(AxisImg<?> img, String title) {
    Object type = img.img().getType();
    if (!(type instanceof RealType<?>) && !(type instanceof ARGBType)) {
      throw new FoveaException("cannot turn pixels of type " + type.getClass().getSimpleName()
          + " into an ImageJ image: convert them to a RealType (such as FloatType) or ARGBType");
    }
    ImagePlus imp = ImagePlusBuilder.build(img.img(), img.axes(), title);
    Calibration cal = imp.getCalibration().copy();
    cal.pixelWidth = img.calibration(Axis.X);
    cal.pixelHeight = img.calibration(Axis.Y);
    cal.pixelDepth = img.calibration(Axis.Z);
    if (img.dimensionOf(Axis.TIME) >= 0) {
      cal.frameInterval = img.calibration(Axis.TIME);
    }
    cal.setUnit(img.unit());
    imp.setCalibration(cal);
    return imp;
  }

  /**
   * Copies the whole spatial, temporal and value calibration of one image onto another; later
   * changes to either do not affect the other.
   *
   * @param from the image whose calibration to copy
   * @param to the image that receives it
   * @throws IllegalArgumentException when either image is null
   */
  public static void copyCalibration(ImagePlus from, ImagePlus to) {
    if (from == null || to == null) {
      throw new IllegalArgumentException("copyCalibration needs two images, got from=" + from
          + " and to=" + to);
    }
    to.setCalibration(from.getCalibration().copy());
  }
}
