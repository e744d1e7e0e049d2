package org.fovea.ops.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.junit.jupiter.api.Test;

/**
 * The finite-difference check of gradients next to a ReLU kink: {@code y = a * relu(x - t)} per
 * value, with the kink {@code 1e-4} below the input, closer than the smallest step the check takes
 * ({@code 1e-3}): every central difference is about {@code a / 2}, but the forward difference is
 * exactly {@code a}. A correct gradient passes; a wrong one (twice as large) still fails.
 */
class GradientCheckTest {

  private static final float[] X = {0.3f, -0.2f, 0.7f, 0.1f};
  private static final double A = 1.5;

  /** y = a * relu(x - t), t = x - 1e-4 at the test input; the gradient scaled by {@code g}. */
  private static Network kinked(double g) {
    float[] t = new float[X.length];
    for (int i = 0; i < X.length; i++) {
      t[i] = X[i] - 1e-4f;
    }
    return new Network() {
      @Override
      public List<TensorSpec> inputs() {
        return List.of(TensorSpec.input("input", "bcyx", new long[] {1, 1, 1, 4},
            new long[] {0, 0, 0, 0}));
      }

      @Override
      public List<TensorSpec> outputs() {
        return List.of(TensorSpec.output("output", "bcyx", "input", new double[] {1, 1, 1, 1},
            new long[4], new long[4]));
      }

      @Override
      public Map<String, Tensor> predict(Map<String, Tensor> in) {
        Tensor x = in.get("input");
        float[] y = new float[x.data().length];
        for (int i = 0; i < y.length; i++) {
          y[i] = (float) (A * Math.max(0, x.data()[i] - t[i % t.length]));
        }
        return Map.of("output", new Tensor(x.axes(), x.shape(), y));
      }

      @Override
      public Optional<Differentiable> gradients() {
        return Optional.of((input, w) -> {
          float[] d = new float[input.data().length];
          for (int i = 0; i < d.length; i++) {
            d[i] = (float) (input.data()[i] > t[i % t.length] ? g * A * w.data()[i] : 0);
          }
          return new Tensor(input.axes(), input.shape(), d);
        });
      }

      @Override
      public String engine() {
        return "test";
      }

      @Override
      public String device() {
        return "cpu";
      }

      @Override
      public void close() {}
    };
  }

  private static Tensor input() {
    return new Tensor(Axes.of("bcyx"), new long[] {1, 1, 1, 4}, X.clone());
  }

  @Test
  void aCorrectGradientNextToAKinkPasses() {
    Target target = Target.pixel(0, 2, 0);
    GradientCheck.Result r = GradientCheck.check(kinked(1), input(), target, 4, 1e-2, 1);
    assertTrue(r.passes(1e-3), r.toString());
  }

  @Test
  void aWrongGradientNextToAKinkFails() {
    Target target = Target.pixel(0, 2, 0);
    GradientCheck.Result r = GradientCheck.check(kinked(2), input(), target, 4, 1e-2, 1);
    assertFalse(r.passes(0.1), r.toString());
    assertEquals(2, r.worstIndex(), r.toString());
    // the closest estimate is the exact one-sided difference, a, against the engine's 2a
    assertEquals(A, r.finite(), 1e-3, r.toString());
  }
}
