package org.fovea.ops.rf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * The analytic reach equals the reach measured by perturbation on a forward pass of the same graph
 * ({@link GraphNetwork}: each layer computed from its definition).
 */
class EmpiricalCrossCheckTest {

  private static void check(LayerGraph g, long size, int phases) {
    FieldReport r = ReceptiveFields.analyze(g, new long[] {size, size});
    double[] stride = r.output().axes().stream().mapToDouble(AxisField::stride).toArray();
    EmpiricalReach.Reach m = EmpiricalReach.measureAt(new GraphNetwork(g),
        new long[] {size, size}, phases, stride);
    assertFalse(m.clipped());
    long[] before = r.output().axes().stream().mapToLong(AxisField::reachBefore).toArray();
    long[] after = r.output().axes().stream().mapToLong(AxisField::reachAfter).toArray();
    assertArrayEquals(before, m.before(), "before");
    assertArrayEquals(after, m.after(), "after");
  }

  @Test
  void dilatedStack() {
    check(Nets.dilated(1, 2, 4, 8), 96, 4);
  }

  @Test
  void twoBranches() {
    check(Nets.twoBranch(false), 64, 4);
    check(Nets.twoBranch(true), 64, 4);
  }

  @Test
  void unetAtEveryPhase() {
    check(Nets.unet(), 128, 8);
  }

  @Test
  void sameConvolutionsAtBothParities() {
    for (long k : new long[] {2, 3}) {
      for (long n : new long[] {32, 33}) {
        check(Nets.same(PadMode.SAME_UPPER, k, k), n, 4);
        check(Nets.same(PadMode.SAME_LOWER, k, k), n, 4);
      }
    }
  }

  @Test
  void alexnetWithMaxPooling() {
    check(Nets.alexnet(), 448, 32);
  }

  @Test
  void transposedConvolutionAndLinearResize() {
    long[] two = {2, 2};
    long[] one = {1, 1};
    LayerGraph g = LayerGraph.builder("decoder", 2).layer(Layer.input("x"))
        .layer(Layer.conv("down", "Conv", "x", Window.explicit(new long[] {3, 3}, new long[] {4, 4},
            one, one, one), 0, 0))
        .layer(Layer.convTranspose("upconv", "ConvTranspose", "down", Window.explicit(
            new long[] {4, 4}, two, one, one, one), 0, 0))
        .layer(Layer.resize("bilinear", "Resize", "upconv", new Resize(two, one,
            Resize.Coordinates.HALF_PIXEL, Resize.Interpolation.LINEAR)))
        .layer(Layer.conv("head", "Conv", "bilinear", Window.explicit(new long[] {3, 3}, one,
            new long[] {2, 2}, two, two), 0, 0))
        .output("head").build();
    check(g, 64, 8);
  }
}
