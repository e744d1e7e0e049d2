package org.fovea.plugins.ij1;

import ij.ImagePlus;
import java.util.List;
import org.scijava.ItemVisibility;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;
import org.scijava.util.Types;

/**
 * The inputs of a SciJava command that a macro sets by key (text, numbers, booleans, named as the
 * command's fields), and its image input.
 *
 * @since 0.1.0
 */
final class MacroInputs {

  private MacroInputs() {}

  /**
   * @param info a command
   * @return its macro-settable inputs, in declaration order
   */
  static List<ModuleItem<?>> of(ModuleInfo info) {
    return java.util.stream.StreamSupport.stream(info.inputs().spliterator(), false)
        .filter(i -> i.getVisibility() != ItemVisibility.MESSAGE
            && i.getVisibility() != ItemVisibility.INVISIBLE)
        .filter(i -> Types.isText(i.getType()) || Types.isNumber(i.getType())
            || Types.isBoolean(i.getType()))
        .<ModuleItem<?>>map(i -> i)
        .toList();
  }

  /**
   * @param info a command
   * @return the name of its one ImagePlus input, or null when it has none
   */
  static String image(ModuleInfo info) {
    for (ModuleItem<?> i : info.inputs()) {
      if (ImagePlus.class.isAssignableFrom(i.getType())) {
        return i.getName();
      }
    }
    return null;
  }
}
