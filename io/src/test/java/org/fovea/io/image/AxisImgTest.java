package org.fovea.io.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.fovea.ops.net.Axis;
import org.junit.jupiter.api.Test;

class AxisImgTest {

  private final RandomAccessibleInterval<FloatType> img = ArrayImgs.floats(5, 4, 3);

  @Test
  void looksUpAxesSizesAndCalibration() {
    AxisImg<FloatType> a = new AxisImg<>(img, List.of(Axis.X, Axis.Y, Axis.TIME),
        new double[] {0.5, 0.25, 60}, "micron");

    assertEquals(2, a.dimensionOf(Axis.TIME));
    assertEquals(-1, a.dimensionOf(Axis.Z));
    assertEquals(3, a.size(Axis.TIME));
    assertEquals(1, a.size(Axis.CHANNEL));
    assertEquals(60, a.calibration(Axis.TIME));
    assertEquals(1, a.calibration(Axis.Z));
  }

  @Test
  void keepsItsOwnCopies() {
    List<Axis> axes = new ArrayList<>(List.of(Axis.X, Axis.Y, Axis.Z));
    double[] cal = {1, 2, 3};
    AxisImg<FloatType> a = new AxisImg<>(img, axes, cal, "mm");

    axes.set(2, Axis.TIME);
    cal[0] = 9;
    a.calibration()[1] = 9;

    assertEquals(List.of(Axis.X, Axis.Y, Axis.Z), a.axes());
    assertArrayEquals(new double[] {1, 2, 3}, a.calibration());
    assertEquals(new AxisImg<>(img, List.of(Axis.X, Axis.Y, Axis.Z), new double[] {1, 2, 3}, "mm"),
        a);
  }

  @Test
  void rejectsMismatchedOrRepeatedAxes() {
    assertThrows(IllegalArgumentException.class,
        () -> new AxisImg<>(img, List.of(Axis.X, Axis.Y), new double[] {1, 1}, "pixel"));
    assertThrows(IllegalArgumentException.class,
        () -> new AxisImg<>(img, List.of(Axis.X, Axis.Y, Axis.Z), new double[] {1, 1}, "pixel"));
    assertThrows(IllegalArgumentException.class,
        () -> new AxisImg<>(img, List.of(Axis.X, Axis.Y, Axis.X), new double[] {1, 1, 1}, "px"));
  }
}
