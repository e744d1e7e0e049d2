package org.fovea.io.image;

import static org.fovea.io.image.Fixtures.at;
import static org.fovea.io.image.Fixtures.code;
import static org.fovea.io.image.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.util.List;
import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import org.fovea.ops.net.Axis;
import org.junit.jupiter.api.Test;

class ImagePlusImgsWrapTest {

  private static final List<Axis> XY = List.of(Axis.X, Axis.Y);

  private static ImagePlus plane(ImageProcessor ip, float[] values) {
    for (int i = 0; i < values.length; i++) {
      ip.setf(i % ip.getWidth(), i / ip.getWidth(), values[i]);
    }
    return new ImagePlus("plane", ip);
  }

  private static void assertMatchesImageJ(ImagePlus imp, RandomAccessibleInterval<?> img) {
    ImageProcessor ip = imp.getProcessor();
    for (int y = 0; y < imp.getHeight(); y++) {
      for (int x = 0; x < imp.getWidth(); x++) {
        assertEquals(ip.getPixelValue(x, y), at(img, x, y), 0, "at " + x + "," + y);
      }
    }
  }

  private static Object storage(ArrayImg<?, ?> img) {
    return ((ArrayDataAccess<?>) img.update(null)).getCurrentStorageArray();
  }

  @Test
  void wraps8BitPlaneAsUnsignedBytesSharingItsArray() {
    ImagePlus imp = plane(new ByteProcessor(3, 2), new float[] {0, 1, 127, 128, 200, 255});
    AxisImg<?> a = ImagePlusImgs.wrap(imp);

    assertEquals(XY, a.axes());
    assertArrayEquals(new long[] {3, 2}, a.img().dimensionsAsLongArray());
    assertInstanceOf(UnsignedByteType.class, a.img().getType());
    ArrayImg<?, ?> img = assertInstanceOf(ArrayImg.class, a.img());
    assertSame(imp.getProcessor().getPixels(), storage(img));
    assertEquals(255, at(a.img(), 2, 1));
    assertEquals(128, at(a.img(), 0, 1));
    assertEquals(127, at(a.img(), 2, 0));
    assertEquals(imp.getProcessor().getPixel(1, 1), (int) at(a.img(), 1, 1));
    assertMatchesImageJ(imp, a.img());
  }

  @Test
  void wraps16BitPlaneAsUnsignedShorts() {
    ImagePlus imp = plane(new ShortProcessor(3, 2), new float[] {0, 7, 32767, 32768, 50000, 65535});
    AxisImg<?> a = ImagePlusImgs.wrap(imp);

    assertInstanceOf(UnsignedShortType.class, a.img().getType());
    assertSame(imp.getProcessor().getPixels(),
        storage(assertInstanceOf(ArrayImg.class, a.img())));
    assertEquals(65535, at(a.img(), 2, 1));
    assertEquals(32768, at(a.img(), 0, 1));
    assertEquals(imp.getProcessor().getPixel(1, 1), (int) at(a.img(), 1, 1));
    assertMatchesImageJ(imp, a.img());
  }

  @Test
  void wraps32BitPlaneAsFloats() {
    ImagePlus imp = plane(new FloatProcessor(3, 2), new float[] {-1.5f, 0, 0.25f, 1e6f, 3, -7});
    AxisImg<?> a = ImagePlusImgs.wrap(imp);

    assertInstanceOf(FloatType.class, a.img().getType());
    assertSame(imp.getProcessor().getPixels(),
        storage(assertInstanceOf(ArrayImg.class, a.img())));
    assertEquals(-1.5, at(a.img(), 0, 0));
    assertEquals(0.25, at(a.img(), 2, 0));
    assertEquals(1e6, at(a.img(), 0, 1));
    assertEquals(-7, at(a.img(), 2, 1));
    assertEquals(Float.intBitsToFloat(imp.getProcessor().getPixel(1, 1)), at(a.img(), 1, 1));
    assertMatchesImageJ(imp, a.img());
  }

  @Test
  void writesFlowBothWaysWithoutCopy() {
    for (ImageProcessor ip :
        List.of(new ByteProcessor(3, 2), new ShortProcessor(3, 2), new FloatProcessor(3, 2))) {
      ImagePlus imp = new ImagePlus("shared", ip);
      AxisImg<?> a = ImagePlusImgs.wrap(imp);

      set(a.img(), 77, 2, 1);
      assertEquals(77, imp.getProcessor().getPixelValue(2, 1), ip.getClass().getSimpleName());

      imp.getProcessor().putPixelValue(1, 0, 42);
      assertEquals(42, at(a.img(), 1, 0), ip.getClass().getSimpleName());
    }
  }

  @Test
  void wrapsHyperstackAsPlanarImgInXyczt() {
    ImagePlus imp = Fixtures.hyperstack(5, 4, 2, 3, 4, 16);
    AxisImg<?> a = ImagePlusImgs.wrap(imp);

    assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z, Axis.TIME), a.axes());
    assertArrayEquals(new long[] {5, 4, 2, 3, 4}, a.img().dimensionsAsLongArray());
    PlanarImg<?, ?> planar = assertInstanceOf(PlanarImg.class, a.img());
    assertEquals(24, planar.numSlices());
    for (int n = 0; n < 24; n++) {
      assertSame(imp.getStack().getPixels(n + 1),
          ((ArrayDataAccess<?>) planar.getPlane(n)).getCurrentStorageArray());
    }
    Cursor<?> cursor = a.img().localizingCursor();
    int count = 0;
    while (cursor.hasNext()) {
      double v = ((UnsignedShortType) cursor.next()).getRealDouble();
      long[] p = cursor.positionAsLongArray();
      assertEquals(code(p[0], p[1], p[2], p[3], p[4]), v, "at " + List.of(p[0], p[1], p[2]));
      assertEquals(Fixtures.imageJ(imp, (int) p[0], (int) p[1], (int) p[2], (int) p[3],
          (int) p[4]), v);
      count++;
    }
    assertEquals(5 * 4 * 2 * 3 * 4, count);
  }

  @Test
  void writesIntoHyperstackPlanes() {
    ImagePlus imp = Fixtures.hyperstack(5, 4, 2, 3, 4, 32);
    AxisImg<?> a = ImagePlusImgs.wrap(imp);

    set(a.img(), -9.5, 3, 2, 1, 2, 3);
    assertEquals(-9.5f, Fixtures.imageJ(imp, 3, 2, 1, 2, 3));
    assertEquals(code(3, 2, 0, 2, 3), Fixtures.imageJ(imp, 3, 2, 0, 2, 3));

    imp.getStack().getProcessor(imp.getStackIndex(2, 1, 4)).setf(0, 3, 123.25f);
    assertEquals(123.25, at(a.img(), 0, 3, 1, 0, 3));
  }

  @Test
  void reportsOnlyAxesLongerThanOne() {
    AxisImg<?> zOnly = ImagePlusImgs.wrap(Fixtures.hyperstack(5, 4, 1, 3, 1, 16));
    assertEquals(List.of(Axis.X, Axis.Y, Axis.Z), zOnly.axes());
    assertArrayEquals(new long[] {5, 4, 3}, zOnly.img().dimensionsAsLongArray());

    AxisImg<?> ct = ImagePlusImgs.wrap(Fixtures.hyperstack(5, 4, 2, 1, 3, 32));
    assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.TIME), ct.axes());
    assertArrayEquals(new long[] {5, 4, 2, 3}, ct.img().dimensionsAsLongArray());
    assertEquals(code(4, 3, 1, 0, 2), at(ct.img(), 4, 3, 1, 2));

    AxisImg<?> tOnly = ImagePlusImgs.wrap(Fixtures.hyperstack(5, 4, 1, 1, 2, 16));
    assertEquals(List.of(Axis.X, Axis.Y, Axis.TIME), tOnly.axes());
    assertEquals(code(1, 2, 0, 0, 1), at(tOnly.img(), 1, 2, 1));
  }

  @Test
  void reportsCalibrationPerAxis() {
    ImagePlus imp = Fixtures.hyperstack(5, 4, 2, 3, 4, 16);
    Calibration cal = imp.getCalibration();
    cal.pixelWidth = 0.5;
    cal.pixelHeight = 0.25;
    cal.pixelDepth = 2;
    cal.frameInterval = 3;
    cal.setUnit("micron");

    AxisImg<?> a = ImagePlusImgs.wrap(imp);

    assertArrayEquals(new double[] {0.5, 0.25, 1, 2, 3}, a.calibration());
    assertEquals(2, a.calibration(Axis.Z));
    assertEquals(cal.getUnit(), a.unit());
  }

  @Test
  void uncalibratedImageHasUnitPixelSizes() {
    AxisImg<?> a = ImagePlusImgs.wrap(Fixtures.hyperstack(5, 4, 1, 1, 3, 16));
    assertArrayEquals(new double[] {1, 1, 1}, a.calibration());
    assertEquals("pixel", a.unit());
  }

  @Test
  void wrapsRgbAsArgbSharingPixels() {
    ColorProcessor ip = new ColorProcessor(3, 2);
    ip.set(0, 0, 0xff0000);
    ip.set(2, 1, 0x123456);
    ImagePlus imp = new ImagePlus("rgb", ip);
    AxisImg<?> a = ImagePlusImgs.wrap(imp);

    assertInstanceOf(ARGBType.class, a.img().getType());
    RandomAccess<?> ra = a.img().randomAccess();
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        ra.setPosition(new long[] {x, y});
        assertEquals(ip.getPixel(x, y) & 0xffffff, ((ARGBType) ra.get()).get() & 0xffffff);
      }
    }
    ra.setPosition(new long[] {1, 1});
    ((ARGBType) ra.get()).set(0xff00ff00);
    assertEquals(0x00ff00, ip.getPixel(1, 1) & 0xffffff);
    assertEquals(0x123456, ((int[]) ip.getPixels())[5] & 0xffffff);
  }

  @Test
  void wrapsRgbStackAsPlanarArgb() {
    ImageStack stack = new ImageStack(3, 2);
    stack.addSlice(new ColorProcessor(3, 2));
    stack.addSlice(new ColorProcessor(3, 2));
    stack.getProcessor(2).set(1, 1, 0xabcdef);
    AxisImg<?> a = ImagePlusImgs.wrap(new ImagePlus("rgb", stack));

    assertEquals(List.of(Axis.X, Axis.Y, Axis.Z), a.axes());
    RandomAccess<?> ra = a.img().randomAccess();
    ra.setPosition(new long[] {1, 1, 1});
    assertEquals(0xabcdef, ((ARGBType) ra.get()).get() & 0xffffff);
  }

  @Test
  void rejectsNull() {
    assertThrows(IllegalArgumentException.class, () -> ImagePlusImgs.wrap(null));
  }
}
