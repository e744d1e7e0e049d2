package org.fovea.ops.rf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fovea.ops.net.FoveaException;

/**
 * Receptive-field analysis of a {@link LayerGraph}: per layer and per spatial axis the output size,
 * receptive field r, effective stride S and padding P, centre, reach before and after, the grid's
 * misalignment; joins of paths that disagree; parameters and FLOPs.
 *
 * <pre>{@code
 * FieldReport r = ReceptiveFields.analyze(graph, new long[] {224, 224});
 * AxisField y = r.output().axis(0);   // y.rf(), y.stride(), y.padding(), y.reachBefore() ...
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ReceptiveFields {

  private static final double EPS = 1e-9;

  private ReceptiveFields() {}

  /**
   * @param graph the layers
   * @param inputSize the input size per spatial axis (sizes matter for SAME padding and pooling)
   * @return the analysis
   * @throws FoveaException when the input size is too small or makes joined paths differ in size
   * @implNote op names='fovea.receptiveField'
   */
  public static FieldReport analyze(LayerGraph graph, long[] inputSize) {
    int axes = graph.spatialAxes();
    if (inputSize.length != axes) {
      throw new FoveaException("the input size " + Arrays.toString(inputSize) + " has "
          + inputSize.length + " entries but " + graph.source() + " has " + axes
          + " spatial axes: give one size per spatial axis");
    }
    AxisPass.Indexed g = new AxisPass.Indexed(graph);
    int n = g.layers.size();
    AxisField[][] fields = new AxisField[n][axes];
    List<Misalignment> misaligned = new ArrayList<>();
    List<AlignmentWarning> warnings = new ArrayList<>();
    long[][] aligned = new long[axes][];
    for (int a = 0; a < axes; a++) {
      AxisPass.Result r = AxisPass.run(g, a, inputSize[a]);
      if (!r.ok()) {
        throw tooSmall(g, a, inputSize, r);
      }
      for (int i = 0; i < n; i++) {
        fields[i][a] = field(g, i, r.maps(), fields, a, inputSize[a]);
        check(g, i, a, fields, misaligned, warnings);
      }
      aligned[a] = alignedSizes(g, a, inputSize[a], fields[g.output][a]);
    }
    List<LayerField> layers = new ArrayList<>(n);
    long params = 0;
    double flops = 0;
    for (int i = 0; i < n; i++) {
      Layer l = g.layers.get(i);
      double f = 2.0 * l.macs() * pixels(l.kind() == LayerKind.CONV_TRANSPOSE
          ? fields[g.inputs[i][0]] : fields[i]);
      layers.add(new LayerField(l.name(), l.opType(), l.kind(), List.of(fields[i]), l.params(), f));
      params += l.params();
      flops += f;
    }
    return new FieldReport(graph.source(), inputSize, layers, layers.get(g.output), misaligned,
        warnings, aligned, params, flops);
  }

  private static double pixels(AxisField[] f) {
    double p = 1;
    for (AxisField a : f) {
      p *= a.size();
    }
    return p;
  }

  private static AxisField field(AxisPass.Indexed g, int i, AxisMap[] maps, AxisField[][] fields,
      int a, long image) {
    Layer l = g.layers.get(i);
    double shift = 0;
    if (l.kind() != LayerKind.INPUT && !l.kind().isMerge()) {
      AxisField in = fields[g.inputs[i][0]][a];
      AxisField self = AxisField.of(maps[i], image, 0);
      shift = (self.gridCentre() - in.gridCentre()) / in.stride();
    }
    return AxisField.of(maps[i], image, Math.abs(shift) < EPS ? 0 : shift);
  }

  private static void check(AxisPass.Indexed g, int i, int a, AxisField[][] fields,
      List<Misalignment> misaligned, List<AlignmentWarning> warnings) {
    Layer l = g.layers.get(i);
    AxisField f = fields[i][a];
    if (l.kind().isMerge()) {
      List<String> names = new ArrayList<>();
      List<Double> strides = new ArrayList<>();
      List<Double> centres = new ArrayList<>();
      boolean differ = false;
      AxisField first = null;
      for (int j : g.inputs[i]) {
        AxisField in = fields[j][a];
        names.add(g.layers.get(j).name());
        strides.add(in.stride());
        centres.add(in.centre());
        if (in.size() == 1 && f.size() > 1) {
          continue; // a broadcast value, such as a squeeze-and-excitation scale
        }
        if (first == null) {
          first = in;
        } else if (in.strideNum() != first.strideNum() || in.strideDen() != first.strideDen()
            || Math.abs(in.centre() - first.centre()) > EPS) {
          differ = true;
        }
      }
      if (differ) {
        misaligned.add(new Misalignment(l.name(), a, names, strides, centres));
      }
    } else if (f.shift() != 0 && l.kind() != LayerKind.GLOBAL) {
      AxisField in = fields[g.inputs[i][0]][a];
      warnings.add(new AlignmentWarning(l.name(), l.opType(), a, in.size(), f.shift(),
          f.shift() * in.stride()));
    }
  }

  /** The nearest input sizes below and above n at which the output grid is centred. */
  private static long[] alignedSizes(AxisPass.Indexed g, int a, long n, AxisField out) {
    if (Math.abs(out.misalignment()) < EPS) {
      return new long[] {n, n};
    }
    long reach = Math.min(1024, Math.max(64, 8 * (long) Math.ceil(out.stride())));
    long below = -1;
    long above = -1;
    for (long d = 1; d <= reach && (below < 0 || above < 0); d++) {
      if (below < 0 && n - d >= 1 && centred(g, a, n - d)) {
        below = n - d;
      }
      if (above < 0 && centred(g, a, n + d)) {
        above = n + d;
      }
    }
    return new long[] {below, above};
  }

  private static boolean centred(AxisPass.Indexed g, int a, long n) {
    AxisPass.Result r = AxisPass.run(g, a, n);
    return r.ok() && Math.abs(AxisField.of(r.maps()[g.output], n, 0).misalignment()) < EPS;
  }

  private static FoveaException tooSmall(AxisPass.Indexed g, int a, long[] size,
      AxisPass.Result r) {
    Layer l = g.layers.get(r.failed());
    long ok = -1;
    for (long d = 1; d <= 4096 && ok < 0; d++) {
      if (AxisPass.run(g, a, size[a] + d).ok()) {
        ok = size[a] + d;
      }
    }
    String hint = ok > 0 ? "use an input size of at least " + ok + " (or a multiple of the"
        + " network's size step) on spatial axis " + a : "this input size does not fit the network";
    return new FoveaException("at input size " + Arrays.toString(size) + ", layer '" + l.name()
        + "' (" + l.opType() + ") of " + g.graph.source() + " " + r.problem() + " on spatial axis "
        + a + ": " + hint);
  }
}
