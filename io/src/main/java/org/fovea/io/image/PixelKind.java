package org.fovea.io.image;

import ij.ImagePlus;
import java.util.List;
import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import org.fovea.ops.net.FoveaException;

/**
 * The four pixel layouts ImageJ 1 keeps in memory, each paired with the ImgLib2 type that reads
 * the same primitive array without conversion.
 */
enum PixelKind {
  /** 8-bit, {@code byte[]}, read as {@link UnsignedByteType}. */
  BYTE(ImagePlus.GRAY8, UnsignedByteType.class) {
    @Override
    ArrayImg<?, ?> arrayImg(Object pixels, long[] dims) {
      return ArrayImgs.unsignedBytes((byte[]) pixels, dims);
    }

    @Override
    PlanarImg<?, ?> planarImg(List<Object> planes, long[] dims) {
      PlanarImg<UnsignedByteType, ByteArray> img =
          new PlanarImg<>(planes.stream().map(p -> new ByteArray((byte[]) p)).toList(), dims,
              new Fraction());
      img.setLinkedType(new UnsignedByteType(img));
      return img;
    }

    @Override
    Object newPlane(int size) {
      return new byte[size];
    }

    @Override
    void fill(Cursor<?> from, Object plane) {
      byte[] a = (byte[]) plane;
      for (int i = 0; i < a.length; i++) {
        a[i] = (byte) ((UnsignedByteType) from.next()).get();
      }
    }
  },

  /** 16-bit, {@code short[]}, read as {@link UnsignedShortType}. */
  SHORT(ImagePlus.GRAY16, UnsignedShortType.class) {
    @Override
    ArrayImg<?, ?> arrayImg(Object pixels, long[] dims) {
      return ArrayImgs.unsignedShorts((short[]) pixels, dims);
    }

    @Override
    PlanarImg<?, ?> planarImg(List<Object> planes, long[] dims) {
      PlanarImg<UnsignedShortType, ShortArray> img =
          new PlanarImg<>(planes.stream().map(p -> new ShortArray((short[]) p)).toList(), dims,
              new Fraction());
      img.setLinkedType(new UnsignedShortType(img));
      return img;
    }

    @Override
    Object newPlane(int size) {
      return new short[size];
    }

    @Override
    void fill(Cursor<?> from, Object plane) {
      short[] a = (short[]) plane;
      for (int i = 0; i < a.length; i++) {
        a[i] = (short) ((UnsignedShortType) from.next()).get();
      }
    }
  },

  /** 32-bit, {@code float[]}, read as {@link FloatType}; other real types are converted to it. */
  FLOAT(ImagePlus.GRAY32, FloatType.class) {
    @Override
    ArrayImg<?, ?> arrayImg(Object pixels, long[] dims) {
      return ArrayImgs.floats((float[]) pixels, dims);
    }

    @Override
    PlanarImg<?, ?> planarImg(List<Object> planes, long[] dims) {
      PlanarImg<FloatType, FloatArray> img =
          new PlanarImg<>(planes.stream().map(p -> new FloatArray((float[]) p)).toList(), dims,
              new Fraction());
      img.setLinkedType(new FloatType(img));
      return img;
    }

    @Override
    Object newPlane(int size) {
      return new float[size];
    }

    @Override
    void fill(Cursor<?> from, Object plane) {
      float[] a = (float[]) plane;
      for (int i = 0; i < a.length; i++) {
        a[i] = ((RealType<?>) from.next()).getRealFloat();
      }
    }
  },

  /** RGB, {@code int[]} packed as 0xAARRGGBB, read as {@link ARGBType}. */
  RGB(ImagePlus.COLOR_RGB, ARGBType.class) {
    @Override
    ArrayImg<?, ?> arrayImg(Object pixels, long[] dims) {
      return ArrayImgs.argbs((int[]) pixels, dims);
    }

    @Override
    PlanarImg<?, ?> planarImg(List<Object> planes, long[] dims) {
      PlanarImg<ARGBType, IntArray> img =
          new PlanarImg<>(planes.stream().map(p -> new IntArray((int[]) p)).toList(), dims,
              new Fraction());
      img.setLinkedType(new ARGBType(img));
      return img;
    }

    @Override
    Object newPlane(int size) {
      return new int[size];
    }

    @Override
    void fill(Cursor<?> from, Object plane) {
      int[] a = (int[]) plane;
      for (int i = 0; i < a.length; i++) {
        a[i] = ((ARGBType) from.next()).get();
      }
    }
  };

  private final int imageJType;
  private final Class<?> imgType;

  PixelKind(int imageJType, Class<?> imgType) {
    this.imageJType = imageJType;
    this.imgType = imgType;
  }

  /**
   * @param pixels one plane's primitive array, shared
   * @param dims the image size, X and Y first
   * @return an image over exactly that array
   */
  abstract ArrayImg<?, ?> arrayImg(Object pixels, long[] dims);

  /**
   * @param planes the planes' primitive arrays, shared, in ImgLib2 plane order
   * @param dims the image size, X and Y first
   * @return an image whose planes are exactly those arrays
   */
  abstract PlanarImg<?, ?> planarImg(List<Object> planes, long[] dims);

  /**
   * @param size number of pixels
   * @return a new zeroed primitive array of this kind
   */
  abstract Object newPlane(int size);

  /**
   * Fills a plane from a cursor, one {@code next()} per pixel, in the array's order.
   *
   * @param from a cursor over pixels of a type this kind accepts (see {@link #of(Object)})
   * @param plane an array made by {@link #newPlane(int)}
   */
  abstract void fill(Cursor<?> from, Object plane);

  /** @return the ImageJ 1 image type constant, such as {@link ImagePlus#GRAY8} */
  int imageJType() {
    return imageJType;
  }

  /**
   * @param type an ImgLib2 pixel
   * @return whether the pixel is exactly this kind's type, so its arrays can be shared
   */
  boolean isExactly(Object type) {
    return type != null && type.getClass() == imgType;
  }

  /**
   * @param access the data access of an ArrayImg or of one PlanarImg plane
   * @param size the number of pixels the array must hold
   * @return the access's primitive array when it is of this kind and exactly {@code size} long,
   *     otherwise null
   */
  Object sharableArray(Object access, long size) {
    if (!(access instanceof ArrayDataAccess<?> a)) {
      return null;
    }
    Object array = a.getCurrentStorageArray();
    if (array == null || array.getClass() != newPlane(0).getClass()) {
      return null;
    }
    return java.lang.reflect.Array.getLength(array) == size ? array : null;
  }

  /**
   * @param imp an ImageJ 1 image
   * @return the kind of its pixel arrays
   */
  static PixelKind of(ImagePlus imp) {
    return switch (imp.getBitDepth()) {
      case 8 -> BYTE;
      case 16 -> SHORT;
      case 32 -> FLOAT;
      case 24 -> RGB;
      default -> throw new FoveaException("image '" + imp.getTitle() + "' has bit depth "
          + imp.getBitDepth() + ", which ImageJ does not define: use an 8, 16, 32-bit or RGB image");
    };
  }

  /**
   * @param type an ImgLib2 pixel
   * @return the kind an ImageJ copy of such pixels takes: unsigned bytes and shorts and ARGB keep
   *     theirs, every other real type becomes 32-bit float
   */
  static PixelKind of(Object type) {
    if (type instanceof UnsignedByteType) {
      return BYTE;
    }
    if (type instanceof UnsignedShortType) {
      return SHORT;
    }
    if (type instanceof ARGBType) {
      return RGB;
    }
    if (type instanceof RealType<?>) {
      return FLOAT;
    }
    throw new FoveaException("cannot turn pixels of type "
        + (type == null ? "null" : type.getClass().getSimpleName())
        + " into an ImageJ image: convert them to a RealType (such as FloatType) or ARGBType first");
  }
}
