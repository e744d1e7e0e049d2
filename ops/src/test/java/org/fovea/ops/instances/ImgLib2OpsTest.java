package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.fovea.ops.instances.star.StarParams;
import org.fovea.ops.instances.star.Stars;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The ops on ImgLib2 images (their names in {@code ops.yaml}) give what the array algorithms give,
 * for inputs with an origin other than zero, of other pixel types, and stored in another axis order.
 */
class ImgLib2OpsTest {

  private static final int W = 31;
  private static final int H = 21;

  /** Two touching discs as background/interior/boundary probabilities, x, y, class. */
  private static float[] discs() {
    boolean[] m = Discs.two(W, H);
    float[] d = new float[3 * W * H];
    for (int i = 0; i < W * H; i++) {
      d[(m[i] ? 1 : 0) * W * H + i] = 1;
    }
    return d;
  }

  private static int[] values(RandomAccessibleInterval<IntType> img) {
    int[] v = new int[(int) (img.dimension(0) * img.dimension(1))];
    int i = 0;
    for (IntType t : Views.flatIterable(img)) {
      v[i++] = t.get();
    }
    return v;
  }

  @Test
  void instancesOnAnImageWithAnOriginEqualTheTensorPathAndKeepTheOrigin() {
    float[] d = discs();
    RandomAccessibleInterval<FloatType> p = Views.translate(ArrayImgs.floats(d.clone(), W, H, 3),
        -40, 17, 0);
    Tensor t = new Tensor(org.fovea.ops.net.Axes.of("bcyx"), new long[] {1, 3, H, W}, d);
    LabelImage expected = Instances.fromSemantic(t, InstanceParams.defaults());
    assertEquals(2, expected.count());
    RandomAccessibleInterval<IntType> labels = Instances.labels(p, InstanceParams.defaults());
    assertArrayEquals(new long[] {-40, 17}, labels.minAsLongArray());
    assertArrayEquals(expected.labels(), values(labels));
    RandomAccessibleInterval<IntType> blocks = BlockInstances.labels(p, InstanceParams.defaults(),
        8, 16, true);
    assertArrayEquals(new long[] {-40, 17}, blocks.minAsLongArray());
    assertArrayEquals(expected.labels(), values(blocks));
  }

  @Test
  void matchingTakesLabelImagesOfAnyIntegerTypeAndOrigin() {
    int[] truth = {1, 1, 1, 1, 0, 2, 2, 0, 3, 3};
    int[] pred = {5, 5, 5, 0, 0, 7, 7, 7, 0, 0};
    short[] p16 = new short[pred.length];
    for (int i = 0; i < pred.length; i++) {
      p16[i] = (short) pred[i];
    }
    RandomAccessibleInterval<UnsignedShortType> p = Views.translate(
        ArrayImgs.unsignedShorts(p16, 5, 2), 3, -2);
    RandomAccessibleInterval<IntType> t = ArrayImgs.ints(truth, 5, 2);
    assertEquals(Matching.match(pred, truth, 0.5, 0.7), Matching.match(p, t, 0.5, 0.7));
    FoveaException e = assertThrows(FoveaException.class,
        () -> Matching.match(p, ArrayImgs.ints(4, 2), 0.5));
    assertEquals("the label images differ in size ([3, -2] -> [7, -1], dimensions (5, 2) vs"
        + " [0, 0] -> [3, 1], dimensions (4, 2)): give two of the same size", e.getMessage());
  }

  @Test
  void starInstancesReadAProbabilityAndADistanceImageInAnyStorageOrder() {
    int w = 20;
    int h = 12;
    int rays = 4;
    float[] prob = new float[w * h];
    float[] dist = new float[rays * w * h];
    prob[5 * w + 5] = 0.95f;
    prob[6 * w + 14] = 0.8f;
    for (int k = 0; k < rays; k++) {
      dist[(k * h + 5) * w + 5] = 3;
      dist[(k * h + 6) * w + 14] = 2;
    }
    Stars.Result expected = Stars.instances(prob, dist, w, h, rays, StarParams.defaults());
    assertEquals(2, expected.labels().count());
    // the distances stored ray-fastest (ray, x, y), seen as x, y, ray through a view
    float[] rayFirst = new float[dist.length];
    for (int k = 0; k < rays; k++) {
      for (int i = 0; i < w * h; i++) {
        rayFirst[i * rays + k] = dist[k * w * h + i];
      }
    }
    RandomAccessibleInterval<FloatType> d = Views.moveAxis(ArrayImgs.floats(rayFirst, rays, w, h),
        0, 2);
    Stars.Result r = Stars.instances(Views.translate(ArrayImgs.floats(prob, w, h), 9, 9),
        Views.translate(d, 9, 9, 0), StarParams.defaults());
    assertArrayEquals(expected.labels().labels(), r.labels().labels());
    assertEquals(expected.polygons().size(), r.polygons().size());
    for (int i = 0; i < r.polygons().size(); i++) {
      assertEquals(expected.polygons().get(i).x(), r.polygons().get(i).x());
      assertEquals(expected.polygons().get(i).y(), r.polygons().get(i).y());
      assertArrayEquals(expected.polygons().get(i).radii(), r.polygons().get(i).radii());
    }
    assertThrows(IllegalArgumentException.class, () -> Stars.instances(ArrayImgs.floats(w, h),
        ArrayImgs.floats(w + 1, h, rays), StarParams.defaults()));
  }

  @Test
  void labelImagesCopyFromImgLib2() {
    LabelImage l = LabelImage.of(Views.translate(ArrayImgs.ints(new int[] {0, 4, 2, 0, 0, 1}, 3,
        2), 5, 5));
    assertEquals(3, l.width());
    assertEquals(4, l.count());
    assertEquals(List.of(0, 4, 2, 0, 0, 1), java.util.Arrays.stream(l.labels()).boxed().toList());
  }
}
