package org.fovea.models.graph;

import java.nio.file.Path;
import java.util.List;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axis;
import org.fovea.ops.rf.LayerGraph;

/**
 * The layer graph of a model file, with what the file says about its spatial axes.
 *
 * @param graph the layers
 * @param axes the spatial axes, in the order of the graph's spatial axes (such as y, x)
 * @param fixedSize per spatial axis, the input size the file fixes, or -1 where it is free
 * @param format the weight format the graph was read from
 * @param file the file or folder it was read from
 * @param note how the graph was obtained when not read from {@code file} directly, else null
 * @since 0.1.0
 */
public record ModelGraph(LayerGraph graph, List<Axis> axes, long[] fixedSize, WeightFormat format,
    Path file, String note) {

  /** Copies the list and array. */
  public ModelGraph {
    axes = List.copyOf(axes);
    fixedSize = fixedSize.clone();
  }

  @Override
  public long[] fixedSize() {
    return fixedSize.clone();
  }

  /**
   * @param fallback the size to use on axes the file leaves free
   * @return the fixed sizes, with {@code fallback} where free
   */
  public long[] sizeOr(long fallback) {
    long[] s = fixedSize.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] = s[i] > 0 ? s[i] : fallback;
    }
    return s;
  }

  /**
   * @param note how the graph was obtained
   * @return the same graph with that note
   */
  public ModelGraph withNote(String note) {
    return new ModelGraph(graph, axes, fixedSize, format, file, note);
  }
}
