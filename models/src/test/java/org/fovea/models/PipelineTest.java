package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.tiling.PlaneSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With several tiles in flight ({@code fovea.pipeline=3}: tiles read, normalized and written while
 * the engine runs another) the output is the same, bit for bit, as one tile after another, every
 * core is delivered once, and the engine is never called twice at once.
 */
class PipelineTest {

  @AfterEach
  void reset() {
    System.clearProperty("fovea.pipeline");
  }

  @Test
  void pipelinedTilesGiveTheSameOutputAndOneEngineCallAtATime() {
    ModelPackage p = Zoo.resolve("nuclei-dilated");
    Tensor raw = ZooModelsTest.crop(DenseModelTest.testImage(p), 200, 190, 20, 30);
    try (Model m = Model.load(p, "onnx", "cpu")) {
      System.setProperty("fovea.pipeline", "1");
      Tensor serial = Segmentation.run(m, raw, 48, null).probabilities();
      System.setProperty("fovea.pipeline", "3");
      int[] busy = {0};
      int[] most = {0};
      org.fovea.ops.net.Network counting = new org.fovea.ops.net.ForwardingNetwork(
          m.network()) {
        @Override
        public java.util.Map<String, Tensor> predict(java.util.Map<String, Tensor> in) {
          synchronized (busy) {
            most[0] = Math.max(most[0], ++busy[0]);
          }
          try {
            return delegate.predict(in);
          } finally {
            synchronized (busy) {
              busy[0]--;
            }
          }
        }

        @Override
        public boolean concurrent() {
          return true;
        }

        @Override
        public void close() {}
      };
      Model c = Model.of(p, counting, m.format(), false);
      SegmentationPlan plan = SegmentationPlan.of(c, net.imglib2.view.Views.hyperSlice(
          raw.asImg(), 3, 0), 48);
      assertEquals(3, plan.pipeline());
      List<long[]> cores = new ArrayList<>();
      org.fovea.ops.tiling.Planes.Collector out = new org.fovea.ops.tiling.Planes.Collector(200,
          190);
      PlaneSink sink = (y0, x0, h, w, ch, src) -> {
        cores.add(new long[] {y0, x0});
        out.write(y0, x0, h, w, ch, src);
      };
      Segmentation.Result r = Segmentation.copy(plan.output(c, net.imglib2.view.Views.hyperSlice(
          raw.asImg(), 3, 0), 0), plan, sink, null);
      assertTrue(r.tiles() > 4, r.tiles() + " tiles");
      assertEquals(r.tiles(), cores.size(), "each core once");
      assertEquals(r.tiles(), cores.stream().map(java.util.Arrays::toString).distinct().count());
      assertEquals(1, most[0], "engine calls at once");
      assertEquals(0.0, out.result().maxAbsDifference(serial), "the same bits");
    }
  }
}
