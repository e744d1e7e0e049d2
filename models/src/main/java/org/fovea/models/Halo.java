package org.fovea.models;

import java.util.Arrays;
import java.util.List;
import org.fovea.models.graph.ModelGraph;
import org.fovea.models.graph.ModelGraphs;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.rf.EmpiricalReach;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.ReceptiveFields;

/**
 * How far a model's outputs see beyond themselves, per spatial axis: the context each tile needs.
 * Taken from the receptive-field analysis of the model's layer graph; where the graph cannot be
 * read or has layers of unknown geometry, measured on the engine by perturbation.
 *
 * @param axes the spatial axes, in the model's order
 * @param before reach before an output, per axis
 * @param after reach after an output, per axis
 * @param source where the numbers come from, for the log
 * @since 0.1.0
 */
public record Halo(List<Axis> axes, long[] before, long[] after, String source) {

  /** Copies the arrays. */
  public Halo {
    axes = List.copyOf(axes);
    before = before.clone();
    after = after.clone();
  }

  /**
   * @param a a spatial axis
   * @return the larger of the reaches before and after on that axis, 0 when absent
   */
  public long max(Axis a) {
    int i = axes.indexOf(a);
    return i < 0 ? 0 : Math.max(before[i], after[i]);
  }

  /**
   * @param m a loaded model
   * @return its halo (computed by {@link Model#halo()}, which caches it)
   */
  static Halo of(Model m) {
    TensorSpec in = m.network().inputs().get(0);
    try {
      ModelGraph g = ModelGraphs.of(m.pkg(), null);
      long[] size = g.sizeOr(-1);
      for (int a = 0; a < size.length; a++) {
        int i = in.axes().indexOf(g.axes().get(a));
        size[a] = size[a] > 0 ? size[a] : i >= 0 ? in.atLeast(i, 256) : 256;
      }
      FieldReport r = ReceptiveFields.analyze(g.graph(), size);
      int n = g.axes().size();
      long[] b = new long[n];
      long[] e = new long[n];
      for (int a = 0; a < n; a++) {
        b[a] = r.output().axis(a).reachBefore();
        e[a] = r.output().axis(a).reachAfter();
      }
      return new Halo(g.axes(), b, e, "receptive field of the " + g.format().key() + " graph");
    } catch (FoveaException unreadable) { // unknown layers, or no graph (TorchScript alone)
      EmpiricalReach.Reach r = EmpiricalReach.measure(m.network());
      return new Halo(r.axes(), r.before(), r.after(), "measured on " + m.network().engine());
    }
  }

  @Override
  public String toString() {
    return "halo " + axes + " before " + Arrays.toString(before) + " after "
        + Arrays.toString(after) + " (" + source + ")";
  }
}
