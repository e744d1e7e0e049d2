package org.fovea.io.image;

import java.util.ArrayList;
import java.util.List;
import net.imglib2.Interval;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;

/**
 * Where each ImageJ hyperstack axis (X, Y, C, Z, T) sits among the dimensions of an ImgLib2 image
 * whose axes come in any order.
 *
 * @param axes the image's axes, one per dimension
 * @param dims the image's size per dimension
 */
record HyperstackLayout(List<Axis> axes, long[] dims) {

  /** The ImageJ hyperstack axes, fastest first: the order an ImageStack stores planes in. */
  static final List<Axis> IMAGEJ_ORDER = List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z, Axis.TIME);

  /**
   * @param img the image
   * @param axes one axis per dimension
   * @return its layout
   * @throws FoveaException when X or Y is missing, an axis repeats, the counts disagree, an axis
   *     ImageJ has no place for (batch, index) is longer than 1, or a plane is too large for ImageJ
   */
  static HyperstackLayout of(Interval img, List<Axis> axes) {
    if (axes == null || axes.size() != img.numDimensions()) {
      throw new FoveaException("the image has " + img.numDimensions() + " dimensions but the axes "
          + axes + " name " + (axes == null ? 0 : axes.size()) + ": give one axis per dimension");
    }
    long[] dims = img.dimensionsAsLongArray();
    for (int d = 0; d < axes.size(); d++) {
      Axis a = axes.get(d);
      if (a == null || axes.indexOf(a) != d) {
        throw new FoveaException("the axes " + axes + " must name each axis once");
      }
      if (!IMAGEJ_ORDER.contains(a) && dims[d] != 1) {
        throw new FoveaException("ImageJ has no place for axis " + a + " of size " + dims[d]
            + ": slice or fold it into channel, z or time first");
      }
    }
    if (!axes.contains(Axis.X) || !axes.contains(Axis.Y)) {
      throw new FoveaException("the axes " + axes + " must include X and Y to make an ImageJ image");
    }
    HyperstackLayout layout = new HyperstackLayout(List.copyOf(axes), dims);
    if (layout.size(Axis.X) * layout.size(Axis.Y) > Integer.MAX_VALUE - 8
        || layout.planes() > Integer.MAX_VALUE - 8) {
      throw new FoveaException("an image of " + layout.size(Axis.X) + " x " + layout.size(Axis.Y)
          + " pixels and " + layout.planes() + " planes is too large for ImageJ: crop it first");
    }
    return layout;
  }

  /**
   * @param axis an axis
   * @return the image's size along it, 1 when absent
   */
  long size(Axis axis) {
    int d = axes.indexOf(axis);
    return d < 0 ? 1 : dims[d];
  }

  /** @return width times height */
  int planeSize() {
    return (int) (size(Axis.X) * size(Axis.Y));
  }

  /** @return channels times slices times frames */
  long planes() {
    return size(Axis.CHANNEL) * size(Axis.Z) * size(Axis.TIME);
  }

  /**
   * @param from the first dimension to look at
   * @return whether the dimensions from {@code from} on that are longer than 1 come in ImageJ order
   *     (X, Y, C, Z, T): then the memory order of those dimensions is ImageJ's
   */
  boolean longAxesInImageJOrder(int from) {
    int last = -1;
    for (int d = from; d < axes.size(); d++) {
      if (dims[d] > 1) {
        int rank = IMAGEJ_ORDER.indexOf(axes.get(d));
        if (rank < last) {
          return false;
        }
        last = rank;
      }
    }
    return true;
  }

  /**
   * @param img an image with this layout, any origin
   * @param <T> the pixel type
   * @return a zero-origin 5-d view of it with dimensions X, Y, C, Z, T
   */
  <T> RandomAccessibleInterval<T> toImageJOrder(RandomAccessibleInterval<T> img) {
    RandomAccessibleInterval<T> v = Views.zeroMin(img);
    List<Axis> order = new ArrayList<>(axes);
    for (int d = order.size() - 1; d >= 0; d--) {
      if (!IMAGEJ_ORDER.contains(order.get(d))) {
        v = Views.hyperSlice(v, d, 0);
        order.remove(d);
      }
    }
    for (Axis a : IMAGEJ_ORDER) {
      if (!order.contains(a)) {
        v = Views.addDimension(v, 0, 0);
        order.add(a);
      }
    }
    for (int i = 0; i < IMAGEJ_ORDER.size(); i++) {
      int j = order.indexOf(IMAGEJ_ORDER.get(i));
      if (j != i) {
        v = Views.permute(v, i, j);
        order.set(j, order.get(i));
        order.set(i, IMAGEJ_ORDER.get(i));
      }
    }
    return v;
  }
}
