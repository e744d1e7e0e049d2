package org.fovea.io.image;

import ij.ImagePlus;
import ij.ImageStack;
import java.util.ArrayList;
import java.util.List;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axis;

/** Builds ImagePlus hyperstacks from ImgLib2 images; see {@link ImagePlusImgs#toImagePlus}. */
final class ImagePlusBuilder {

  private ImagePlusBuilder() {}

  /**
   * @param img the pixels, of a RealType or ARGBType
   * @param axes one axis per dimension
   * @param title the new image's title
   * @return a hyperstack sharing the arrays of {@code img} when they are ImageJ's planes, else a
   *     copy
   */
  static ImagePlus build(RandomAccessibleInterval<?> img, List<Axis> axes, String title) {
    HyperstackLayout layout = HyperstackLayout.of(img, axes);
    PixelKind kind = PixelKind.of(img.getType());
    List<Object> planes = sharedPlanes(img, layout, kind);
    if (planes == null) {
      planes = copiedPlanes(img, layout, kind);
    }
    int w = (int) layout.size(Axis.X);
    int h = (int) layout.size(Axis.Y);
    int c = (int) layout.size(Axis.CHANNEL);
    int z = (int) layout.size(Axis.Z);
    int t = (int) layout.size(Axis.TIME);
    ImageStack stack = new ImageStack(w, h);
    for (Object plane : planes) {
      stack.addSlice(null, plane);
    }
    ImagePlus imp = new ImagePlus(title == null ? "untitled" : title, stack);
    imp.setDimensions(c, z, t);
    int longAxes = (c > 1 ? 1 : 0) + (z > 1 ? 1 : 0) + (t > 1 ? 1 : 0);
    // a lone z axis is a plain stack; anything else needs the hyperstack sliders to say c or t
    imp.setOpenAsHyperStack(longAxes > 1 || c > 1 || t > 1);
    return imp;
  }

  /** The image's own plane arrays in ImageJ stack order, or null when they cannot be shared. */
  private static List<Object> sharedPlanes(
      RandomAccessibleInterval<?> img, HyperstackLayout layout, PixelKind kind) {
    if (!kind.isExactly(img.getType())) {
      return null;
    }
    int planeSize = layout.planeSize();
    if (img instanceof PlanarImg<?, ?> planar) {
      if (img.numDimensions() < 2 || layout.axes().get(0) != Axis.X
          || layout.axes().get(1) != Axis.Y || !layout.longAxesInImageJOrder(2)) {
        return null;
      }
      List<Object> planes = new ArrayList<>(planar.numSlices());
      for (int i = 0; i < planar.numSlices(); i++) {
        Object array = kind.sharableArray(planar.getPlane(i), planeSize);
        if (array == null) {
          return null;
        }
        planes.add(array);
      }
      return planes;
    }
    if (img instanceof ArrayImg<?, ?> array && layout.planes() == 1
        && layout.longAxesInImageJOrder(0)) {
      Object pixels = kind.sharableArray(array.update(null), planeSize);
      return pixels == null ? null : List.of(pixels);
    }
    return null;
  }

  /** New plane arrays filled from the image, in ImageJ stack order (c fastest, then z, then t). */
  private static List<Object> copiedPlanes(
      RandomAccessibleInterval<?> img, HyperstackLayout layout, PixelKind kind) {
    RandomAccessibleInterval<?> xyczt = layout.toImageJOrder(img);
    int planeSize = layout.planeSize();
    List<Object> planes = new ArrayList<>((int) layout.planes());
    for (long t = 0; t < xyczt.dimension(4); t++) {
      for (long z = 0; z < xyczt.dimension(3); z++) {
        for (long c = 0; c < xyczt.dimension(2); c++) {
          RandomAccessibleInterval<?> xy =
              Views.hyperSlice(Views.hyperSlice(Views.hyperSlice(xyczt, 4, t), 3, z), 2, c);
          Cursor<?> cursor = Views.flatIterable(xy).cursor();
          Object plane = kind.newPlane(planeSize);
          kind.fill(cursor, plane);
          planes.add(plane);
        }
      }
    }
    return planes;
  }
}
