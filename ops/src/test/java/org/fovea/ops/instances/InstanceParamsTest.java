package org.fovea.ops.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;

/** Unset thresholds take the defaults of 2D images or of z-stacks; given ones are kept. */
class InstanceParamsTest {

  @Test
  void unsetValuesResolveByDimensionAndGivenOnesAreKept() {
    InstanceParams p = InstanceParams.byDimension();
    assertEquals(0.9, p.resolved(false).foregroundThreshold());
    assertEquals(1.0, p.resolved(false).minDynamic());
    assertEquals(0.5, p.resolved(true).foregroundThreshold());
    assertEquals(0.5, p.resolved(true).minDynamic());
    InstanceParams given = p.withThresholds(0.5, 0.7).withMinDynamic(2);
    assertEquals(0.7, given.resolved(true).foregroundThreshold());
    assertEquals(2.0, given.resolved(false).minDynamic());
    assertEquals(InstanceParams.defaults(), p.resolved(false), "2D: the defaults");
    assertThrows(IllegalArgumentException.class, () -> p.withThresholds(0.5, 1.5));
  }

  @Test
  void a2dImageWithUnsetValuesGetsExactlyTheDefaultObjects() {
    Tensor prob = SyntheticNuclei.probabilities(300, 260, 60, 4, 10, 7);
    assertArrayEquals(Instances.fromSemantic(prob, InstanceParams.defaults()).labels(),
        Instances.fromSemantic(prob, InstanceParams.byDimension()).labels());
    assertArrayEquals(Instances.fromSemantic(prob, InstanceParams.defaults()).labels(),
        BlockInstances.fromSemantic(prob, InstanceParams.byDimension(), 100, 64, false).labels());
  }
}
