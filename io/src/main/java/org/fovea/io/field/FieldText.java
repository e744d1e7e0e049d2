package org.fovea.io.field;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fovea.ops.rf.AlignmentWarning;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.LayerField;
import org.fovea.ops.rf.Misalignment;

/** The receptive field as an aligned text table, one row per layer, then a summary. */
public final class FieldText {

  private static final String[] HEAD = {"LAYER", "OP", "SIZE", "RF", "STRIDE", "PADDING", "CENTRE",
      "REACH", "PARAMS", "MFLOPS"};

  private FieldText() {}

  /**
   * @param a an analysis
   * @return the table and summary, lines ending in newlines
   */
  public static String of(FieldAnalysis a) {
    StringBuilder sb = new StringBuilder();
    String axes = a.axes().stream().map(x -> String.valueOf(x.letter())).collect(
        Collectors.joining(","));
    sb.append(String.format(Locale.ROOT, "model %s, input %s (%s)%s%n", a.pkg().name(),
        join(a.inputSize()), axes, a.graph() == null ? "" : ", graph from " + a.graph().file()
            + (a.graph().note() == null ? "" : " (" + a.graph().note() + ")")));
    FieldReport r = a.report();
    if (r != null) {
      table(r, sb);
      summary(a, r, sb);
    } else {
      sb.append("unsupported layers: ").append(String.join(", ", a.unsupported())).append('\n');
    }
    if (a.empirical() != null) {
      sb.append(String.format(Locale.ROOT, "measured on %s at %s: reach before %s, after %s (%d"
          + " forward passes%s)%n", a.engine(), join(a.empirical().inputSize()),
          commas(a.empirical().before()), commas(a.empirical().after()),
          a.empirical().predictions(), a.empirical().clipped() ? "; the field reaches the input's"
              + " border, so it reaches at least this far" : ""));
    }
    return sb.toString();
  }

  private static void table(FieldReport r, StringBuilder sb) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    for (LayerField l : r.layers()) {
      rows.add(new String[] {l.name(), l.opType(), axes(l, f -> String.valueOf(f.size())),
          axes(l, f -> num(f.rf())), axes(l, f -> num(f.stride())), axes(l, f -> num(f.padding())),
          axes(l, f -> num(f.centre())), axes(l, f -> f.reachBefore() + "/" + f.reachAfter()),
          String.valueOf(l.params()), String.format(Locale.ROOT, "%.1f", l.flops() / 1e6)});
    }
    int[] w = new int[HEAD.length];
    for (String[] row : rows) {
      for (int i = 0; i < w.length; i++) {
        w[i] = Math.max(w[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < w.length; i++) {
        String cell = i < 2 ? pad(row[i], w[i], false) : pad(row[i], w[i], true);
        line.append(i > 0 ? "  " : "").append(cell);
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static void summary(FieldAnalysis a, FieldReport r, StringBuilder sb) {
    LayerField o = r.output();
    sb.append(String.format(Locale.ROOT, "output '%s': rf %s, stride %s, padding %s, halo before %s"
        + " after %s, %d parameters, %.3f GFLOPs%n", o.name(), axes(o, f -> num(f.rf())),
        axes(o, f -> num(f.stride())), axes(o, f -> num(f.padding())),
        axes(o, f -> String.valueOf(f.reachBefore())), axes(o, f -> String.valueOf(f.reachAfter())),
        r.params(), r.flops() / 1e9));
    double[] mis = r.misalignmentPx();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < mis.length; i++) {
      long[] al = r.alignedSizes()[i];
      parts.add(a.axes().get(i).letter() + " " + num(mis[i]) + " px" + (mis[i] == 0 ? ""
          : " (centred at input sizes " + (al[0] > 0 ? al[0] : "-") + " and "
              + (al[1] > 0 ? al[1] : "-") + ")"));
    }
    sb.append("grid misalignment: ").append(String.join(", ", parts)).append('\n');
    for (Misalignment m : r.misaligned()) {
      sb.append("MISALIGNED: layer '").append(m.layer()).append("' joins ").append(m.inputs())
          .append(" on axis ").append(letter(a, m.axis())).append(" with strides ")
          .append(m.strides()).append(" and centres ").append(m.centres()).append('\n');
    }
    for (AlignmentWarning w : r.warnings()) {
      sb.append(String.format(Locale.ROOT, "warning: layer '%s' (%s) on an input of %d shifts the"
          + " grid by %s of its pixels (%s px) on axis %s%n", w.layer(), w.opType(), w.inputSize(),
          num(w.shift()), num(w.shiftPx()), letter(a, w.axis())));
    }
  }

  private static String letter(FieldAnalysis a, int axis) {
    return String.valueOf(a.axes().get(axis).letter());
  }

  static String axes(LayerField l, Function<AxisField, String> f) {
    return l.axes().stream().map(f).collect(Collectors.joining(","));
  }

  /** @return an integral number without decimals, else up to 4 decimals */
  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%.4f", v).replaceFirst("0+$", "");
  }

  static String join(long[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i > 0 ? "x" : "").append(v[i]);
    }
    return sb.toString();
  }

  private static String commas(long[] v) {
    return String.join(",", java.util.Arrays.stream(v).mapToObj(String::valueOf).toList());
  }

  private static String pad(String s, int w, boolean right) {
    String p = " ".repeat(w - s.length());
    return right ? p + s : s + p;
  }
}
