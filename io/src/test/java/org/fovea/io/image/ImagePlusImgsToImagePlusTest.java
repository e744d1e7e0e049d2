package org.fovea.io.image;

import static org.fovea.io.image.Fixtures.at;
import static org.fovea.io.image.Fixtures.code;
import static org.fovea.io.image.Fixtures.real;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.util.List;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;

class ImagePlusImgsToImagePlusTest {

  private static final Axis X = Axis.X;
  private static final Axis Y = Axis.Y;
  private static final Axis C = Axis.CHANNEL;
  private static final Axis Z = Axis.Z;
  private static final Axis T = Axis.TIME;

  /** Fills an image so that each pixel holds code() of its position read through the axes. */
  private static <R extends RealType<R>> RandomAccessibleInterval<R> encode(
      RandomAccessibleInterval<R> img, List<Axis> axes) {
    Cursor<R> cursor = img.localizingCursor();
    while (cursor.hasNext()) {
      cursor.fwd();
      long[] xyczt = new long[5];
      for (int d = 0; d < axes.size(); d++) {
        xyczt[HyperstackLayout.IMAGEJ_ORDER.indexOf(axes.get(d))] =
            cursor.getLongPosition(d) - img.min(d);
      }
      cursor.get().setReal(code(xyczt[0], xyczt[1], xyczt[2], xyczt[3], xyczt[4]));
    }
    return img;
  }

  private static void assertEncoded(ImagePlus imp, int w, int h, int nc, int nz, int nt) {
    assertEquals(w, imp.getWidth());
    assertEquals(h, imp.getHeight());
    assertEquals(nc, imp.getNChannels());
    assertEquals(nz, imp.getNSlices());
    assertEquals(nt, imp.getNFrames());
    for (int t = 0; t < nt; t++) {
      for (int z = 0; z < nz; z++) {
        for (int c = 0; c < nc; c++) {
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              assertEquals(code(x, y, c, z, t), Fixtures.imageJ(imp, x, y, c, z, t),
                  "x" + x + " y" + y + " c" + c + " z" + z + " t" + t);
            }
          }
        }
      }
    }
  }

  @Test
  void roundTripOfPlanesSharesArraysAndKeepsTypes() {
    for (ImageProcessor ip :
        List.of(new ByteProcessor(3, 2), new ShortProcessor(3, 2), new FloatProcessor(3, 2))) {
      for (int i = 0; i < 6; i++) {
        ip.setf(i % 3, i / 3, 40 * i + 3);
      }
      ImagePlus imp = new ImagePlus("plane", ip);
      AxisImg<?> a = ImagePlusImgs.wrap(imp);

      ImagePlus back = ImagePlusImgs.toImagePlus(real(a), a.axes(), "back");

      assertEquals(imp.getBitDepth(), back.getBitDepth());
      assertEquals("back", back.getTitle());
      assertEquals(1, back.getStackSize());
      assertSame(imp.getProcessor().getPixels(), back.getProcessor().getPixels());
      for (int i = 0; i < 6; i++) {
        assertEquals(40 * i + 3, back.getProcessor().getPixelValue(i % 3, i / 3));
      }
    }
  }

  @Test
  void roundTripOfHyperstackSharesEveryPlane() {
    ImagePlus imp = Fixtures.hyperstack(5, 4, 2, 3, 4, 16);
    ImagePlus back = ImagePlusImgs.toImagePlus(real(ImagePlusImgs.wrap(imp)),
        ImagePlusImgs.wrap(imp).axes(), "back");

    assertEquals(16, back.getBitDepth());
    assertTrue(back.isHyperStack());
    assertEncoded(back, 5, 4, 2, 3, 4);
    for (int n = 1; n <= 24; n++) {
      assertSame(imp.getStack().getPixels(n), back.getStack().getPixels(n));
    }
  }

  @Test
  void roundTripOfFloatStacksKeepsDimensions() {
    int[][] shapes = {{1, 3, 1}, {2, 1, 1}, {1, 1, 4}, {2, 1, 3}, {1, 2, 2}};
    for (int[] s : shapes) {
      ImagePlus imp = Fixtures.hyperstack(5, 4, s[0], s[1], s[2], 32);
      AxisImg<?> a = ImagePlusImgs.wrap(imp);
      ImagePlus back = ImagePlusImgs.toImagePlus(real(a), a.axes(), "back");

      assertEquals(32, back.getBitDepth());
      assertEncoded(back, 5, 4, s[0], s[1], s[2]);
      assertSame(imp.getStack().getPixels(2), back.getStack().getPixels(2));
    }
    ImagePlus zStack = ImagePlusImgs.toImagePlus(
        real(ImagePlusImgs.wrap(Fixtures.hyperstack(5, 4, 1, 3, 1, 32))), List.of(X, Y, Z), "z");
    assertFalse(zStack.isHyperStack());
  }

  @Test
  void sharedArraysCarryWritesFromImageJToImgLib2() {
    PlanarImg<FloatType, ?> img = PlanarImgs.floats(5, 4, 3);
    ImagePlus imp = ImagePlusImgs.toImagePlus(img, List.of(X, Y, Z), "shared");

    imp.getStack().getProcessor(3).setf(4, 3, 8.5f);
    assertEquals(8.5, at(img, 4, 3, 2));
    Fixtures.set(img, -2, 0, 1, 1);
    assertEquals(-2, imp.getStack().getProcessor(2).getf(0, 1));
  }

  @Test
  void axesInTimeChannelOrderMapToImageJChannelsAndFrames() {
    List<Axis> axes = List.of(X, Y, T, C);
    RandomAccessibleInterval<FloatType> img = encode(ArrayImgs.floats(5, 4, 4, 2), axes);

    ImagePlus imp = ImagePlusImgs.toImagePlus(img, axes, "tc");

    assertEncoded(imp, 5, 4, 2, 1, 4);
    assertTrue(imp.isHyperStack());
    assertEquals(32, imp.getBitDepth());
  }

  @Test
  void scrambledAxesMapCorrectly() {
    List<Axis> axes = List.of(T, Z, Y, X, C);
    RandomAccessibleInterval<FloatType> img = encode(ArrayImgs.floats(3, 2, 4, 5, 2), axes);

    ImagePlus imp = ImagePlusImgs.toImagePlus(img, axes, "scrambled");

    assertEncoded(imp, 5, 4, 2, 2, 3);
  }

  @Test
  void interleavedChannelsAndTransposedPlanesAreCopiedCorrectly() {
    List<Axis> cxy = List.of(C, X, Y);
    ImagePlus interleaved = ImagePlusImgs.toImagePlus(
        encode(ArrayImgs.unsignedShorts(3, 5, 4), cxy), cxy, "cxy");
    assertEquals(16, interleaved.getBitDepth());
    assertEncoded(interleaved, 5, 4, 3, 1, 1);

    List<Axis> yx = List.of(Y, X);
    ImagePlus transposed =
        ImagePlusImgs.toImagePlus(encode(ArrayImgs.unsignedBytes(4, 5), yx), yx, "yx");
    assertEquals(8, transposed.getBitDepth());
    assertEncoded(transposed, 5, 4, 1, 1, 1);
  }

  @Test
  void planarImgInNonImageJOrderIsCopiedNotShared() {
    List<Axis> axes = List.of(X, Y, Z, C);
    PlanarImg<FloatType, ?> img = PlanarImgs.floats(5, 4, 3, 2);
    encode(img, axes);

    ImagePlus imp = ImagePlusImgs.toImagePlus(img, axes, "zc");

    assertEncoded(imp, 5, 4, 2, 3, 1);
    for (int n = 0; n < 6; n++) {
      assertNotSame(((ArrayDataAccess<?>) img.getPlane(n)).getCurrentStorageArray(),
          imp.getStack().getPixels(n + 1));
    }
  }

  @Test
  void multiPlaneArrayImgIsCopiedPlaneByPlane() {
    List<Axis> axes = List.of(X, Y, C, Z, T);
    ImagePlus imp = ImagePlusImgs.toImagePlus(
        encode(ArrayImgs.unsignedShorts(5, 4, 2, 3, 2), axes), axes, "array");
    assertEquals(16, imp.getBitDepth());
    assertEncoded(imp, 5, 4, 2, 3, 2);
  }

  @Test
  void singlePlaneArrayImgWithUnitAxesIsShared() {
    ArrayImg<UnsignedByteType, ?> img = ArrayImgs.unsignedBytes(5, 1, 4, 1);
    ImagePlus imp = ImagePlusImgs.toImagePlus(img, List.of(X, Axis.BATCH, Y, T), "unit");

    assertEquals(5, imp.getWidth());
    assertEquals(4, imp.getHeight());
    assertEquals(1, imp.getStackSize());
    assertSame(((ArrayDataAccess<?>) img.update(null)).getCurrentStorageArray(),
        imp.getProcessor().getPixels());
  }

  @Test
  void nonZeroOriginIntervalConverts() {
    List<Axis> axes = List.of(X, Y, Z);
    RandomAccessibleInterval<FloatType> moved =
        Views.translate(ArrayImgs.floats(5, 4, 3), 10, -5, 3);
    encode(moved, axes);

    ImagePlus imp = ImagePlusImgs.toImagePlus(moved, axes, "moved");

    assertEncoded(imp, 5, 4, 1, 3, 1);
    assertEquals(at(moved, 12, -3, 4), Fixtures.imageJ(imp, 2, 2, 0, 1, 0));
  }

  @Test
  void otherRealTypesBecomeFloat() {
    List<Axis> axes = List.of(X, Y, C);
    ImagePlus doubles =
        ImagePlusImgs.toImagePlus(encode(ArrayImgs.doubles(5, 4, 2), axes), axes, "double");
    assertEquals(32, doubles.getBitDepth());
    assertEncoded(doubles, 5, 4, 2, 1, 1);

    RandomAccessibleInterval<IntType> ints = ArrayImgs.ints(new int[] {-3, 70000}, 2, 1);
    ImagePlus fromInts = ImagePlusImgs.toImagePlus(ints, List.of(X, Y), "int");
    assertEquals(32, fromInts.getBitDepth());
    assertEquals(-3, fromInts.getProcessor().getf(0, 0));
    assertEquals(70000, fromInts.getProcessor().getf(1, 0));

    RandomAccessibleInterval<DoubleType> one = ArrayImgs.doubles(new double[] {0.5}, 1, 1);
    assertEquals(0.5, ImagePlusImgs.toImagePlus(one, List.of(X, Y), "d").getProcessor().getf(0, 0));
  }

  @Test
  void axisImgOverloadSetsCalibrationAndHandlesRgb() {
    ImagePlus imp = Fixtures.hyperstack(5, 4, 1, 3, 2, 32);
    Calibration cal = imp.getCalibration();
    cal.pixelWidth = 0.5;
    cal.pixelHeight = 0.75;
    cal.pixelDepth = 2;
    cal.frameInterval = 4;
    cal.setUnit("mm");

    ImagePlus back = ImagePlusImgs.toImagePlus(ImagePlusImgs.wrap(imp), "back");

    assertEncoded(back, 5, 4, 1, 3, 2);
    Calibration got = back.getCalibration();
    assertEquals(0.5, got.pixelWidth);
    assertEquals(0.75, got.pixelHeight);
    assertEquals(2, got.pixelDepth);
    assertEquals(4, got.frameInterval);
    assertEquals("mm", got.getUnit());

    int[] argb = {0xff102030, 0xff405060};
    ImagePlus rgb = ImagePlusImgs.toImagePlus(
        new AxisImg<ARGBType>(ArrayImgs.argbs(argb, 2, 1), List.of(X, Y), new double[] {1, 1},
            "pixel"), "rgb");
    assertEquals(24, rgb.getBitDepth());
    assertSame(argb, rgb.getProcessor().getPixels());
    assertEquals(0x405060, rgb.getProcessor().getPixel(1, 0) & 0xffffff);
  }

  @Test
  void copiesCalibrationIndependently() {
    ImagePlus from = new ImagePlus("from", new ByteProcessor(3, 2));
    Calibration cal = from.getCalibration();
    cal.pixelWidth = 0.2;
    cal.pixelHeight = 0.3;
    cal.pixelDepth = 1.5;
    cal.frameInterval = 10;
    cal.xOrigin = 7;
    cal.setUnit("micron");
    cal.setTimeUnit("min");
    ImagePlus to = new ImagePlus("to", new FloatProcessor(3, 2));

    ImagePlusImgs.copyCalibration(from, to);
    from.getCalibration().pixelWidth = 99;

    Calibration got = to.getCalibration();
    assertEquals(0.2, got.pixelWidth);
    assertEquals(0.3, got.pixelHeight);
    assertEquals(1.5, got.pixelDepth);
    assertEquals(10, got.frameInterval);
    assertEquals(7, got.xOrigin);
    assertEquals(from.getCalibration().getUnit(), got.getUnit());
    assertEquals("min", got.getTimeUnit());
    assertThrows(IllegalArgumentException.class, () -> ImagePlusImgs.copyCalibration(null, to));
  }

  @Test
  void rejectsAxesThatDoNotFit() {
    RandomAccessibleInterval<FloatType> img = ArrayImgs.floats(5, 4, 2);
    assertThrows(FoveaException.class,
        () -> ImagePlusImgs.toImagePlus(img, List.of(X, Y), "too few"));
    assertThrows(FoveaException.class,
        () -> ImagePlusImgs.toImagePlus(img, List.of(X, Y, X), "repeat"));
    assertThrows(FoveaException.class,
        () -> ImagePlusImgs.toImagePlus(img, List.of(X, Z, C), "no y"));
    assertThrows(FoveaException.class,
        () -> ImagePlusImgs.toImagePlus(img, List.of(X, Y, Axis.BATCH), "batch of 2"));
  }
}
