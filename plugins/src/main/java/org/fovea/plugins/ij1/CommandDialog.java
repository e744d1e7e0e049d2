package org.fovea.plugins.ij1;

import ij.gui.GenericDialog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.FoveaException;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.util.Types;

/**
 * An ImageJ 1 dialog for a command's macro inputs, labelled with their keys. In a macro it shows
 * nothing and reads the macro's options instead; when the Recorder is on it records every key, so
 * a recorded {@code run("Fovea Segment", "...")} line names them all.
 *
 * @since 0.1.0
 */
final class CommandDialog {

  private CommandDialog() {}

  /**
   * @param title the dialog title
   * @param module the command, holding the default values
   * @param items its macro inputs
   * @return the values by key, or null when the user cancelled
   * @throws FoveaException when a number field holds no number
   */
  static Map<String, Object> ask(String title, Module module, List<ModuleItem<?>> items) {
    if (items.isEmpty()) {
      return new LinkedHashMap<>(); // nothing to ask, e.g. "Fovea About"
    }
    GenericDialog gd = new GenericDialog(title);
    for (ModuleItem<?> i : items) {
      Object v = module.getInput(i.getName());
      if (Types.isBoolean(i.getType())) {
        gd.addCheckbox(i.getName(), Boolean.TRUE.equals(v));
      } else if (Types.isNumber(i.getType())) {
        gd.addNumericField(i.getName(), ((Number) v).doubleValue(), decimals(i.getType()));
      } else if (i.getChoices() != null && !i.getChoices().isEmpty()) {
        gd.addChoice(i.getName(), i.getChoices().stream().map(String::valueOf)
            .toArray(String[]::new), String.valueOf(v));
      } else {
        gd.addStringField(i.getName(), v == null ? "" : String.valueOf(v), 24);
      }
    }
    gd.showDialog();
    if (gd.wasCanceled()) {
      return null;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (ModuleItem<?> i : items) {
      Class<?> t = i.getType();
      Object v = Types.isBoolean(t) ? (Object) gd.getNextBoolean()
          : Types.isNumber(t) ? number(gd.getNextNumber(), t)
          : i.getChoices() != null && !i.getChoices().isEmpty() ? gd.getNextChoice()
          : gd.getNextString();
      values.put(i.getName(), v);
    }
    if (gd.invalidNumber()) {
      throw new FoveaException(gd.getErrorMessage() + " in \"" + title + "\": give a number");
    }
    return values;
  }

  private static int decimals(Class<?> t) {
    return t == float.class || t == double.class || t == Float.class || t == Double.class ? 3 : 0;
  }

  private static Object number(double d, Class<?> t) {
    if (t == int.class || t == Integer.class) {
      return (int) Math.round(d);
    }
    if (t == long.class || t == Long.class) {
      return Math.round(d);
    }
    return t == float.class || t == Float.class ? (Object) (float) d : (Object) d;
  }
}
