package org.fovea.plugins.fiji;

import ij.measure.ResultsTable;
import java.util.Arrays;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.LayerField;
import org.fovea.io.field.FieldAnalysis;

/**
 * The receptive-field analysis as an ImageJ {@link ResultsTable}, one row per layer: {@code layer},
 * {@code op}, then per spatial axis (suffix {@code _y}, {@code _x}, ...) {@code size}, {@code rf},
 * {@code stride}, {@code padding}, {@code reach_before}, {@code reach_after}, {@code
 * misalignment}, then {@code params} and {@code flops}. A model whose graph has unknown layers
 * gets one row with the reach measured on an engine.
 *
 * <pre>{@code
 * ResultsTable t = FieldTables.of(FieldAnalysis.of("nuclei-dilated", null, null, false, null,
 *     "cpu"));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FieldTables {

  private FieldTables() {}

  /**
   * @param a an analysis
   * @return its table
   */
  public static ResultsTable of(FieldAnalysis a) {
    ResultsTable t = new ResultsTable();
    t.setPrecision(4);
    if (a.report() == null) {
      t.addRow();
      t.addValue("layer", "(measured on " + a.engine() + ")");
      t.addValue("op", "");
      for (int i = 0; i < a.axes().size(); i++) {
        t.addValue("reach_before_" + a.axes().get(i).letter(), a.empirical().before()[i]);
        t.addValue("reach_after_" + a.axes().get(i).letter(), a.empirical().after()[i]);
      }
      return t;
    }
    for (LayerField l : a.report().layers()) {
      t.addRow();
      t.addValue("layer", l.name());
      t.addValue("op", l.opType());
      for (int i = 0; i < a.axes().size(); i++) {
        AxisField f = l.axis(i);
        String s = "_" + a.axes().get(i).letter();
        t.addValue("size" + s, f.size());
        t.addValue("rf" + s, f.rf());
        t.addValue("stride" + s, f.stride());
        t.addValue("padding" + s, f.padding());
        t.addValue("reach_before" + s, f.reachBefore());
        t.addValue("reach_after" + s, f.reachAfter());
        t.addValue("misalignment" + s, f.misalignment());
      }
      t.addValue("params", l.params());
      t.addValue("flops", l.flops());
    }
    return t;
  }

  /**
   * @param a an analysis
   * @return the table's title, {@code Receptive field - MODEL}
   */
  public static String title(FieldAnalysis a) {
    return "Receptive field - " + a.pkg().name();
  }

  /**
   * @param format {@code auto} (or null or blank), {@code onnx}, {@code tensorflow} or {@code
   *     torchscript}
   * @return the weights whose graph to read, or null for the first the model has
   * @throws FoveaException when the format is none of these
   */
  public static WeightFormat format(String format) {
    String f = format == null ? "" : format.strip().toLowerCase(java.util.Locale.ROOT);
    return switch (f) {
      case "", "auto" -> null;
      case "onnx" -> WeightFormat.ONNX;
      case "tensorflow", "tensorflow_saved_model_bundle" -> WeightFormat.TENSORFLOW_SAVED_MODEL;
      case "torchscript" -> WeightFormat.TORCHSCRIPT;
      default -> throw new FoveaException("format=" + format + " is not a weight format Fovea"
          + " reads: use auto, onnx, tensorflow or torchscript");
    };
  }

  /**
   * @param size sizes per spatial axis separated by commas, such as {@code 256,256}; null or blank
   *     for the default
   * @return the sizes, or null
   * @throws FoveaException when a size is not a positive whole number
   */
  public static long[] inputSize(String size) {
    if (size == null || size.isBlank()) {
      return null;
    }
    try {
      long[] s = Arrays.stream(size.split("[,x ]+")).filter(p -> !p.isBlank())
          .mapToLong(p -> Long.parseLong(p.strip())).toArray();
      if (s.length > 0 && Arrays.stream(s).allMatch(v -> v > 0)) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new FoveaException("input_size=" + size + " is not a list of positive sizes: give one"
        + " per spatial axis, such as 256,256");
  }
}
