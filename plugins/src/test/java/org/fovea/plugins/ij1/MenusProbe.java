package org.fovea.plugins.ij1;

import ij.ImageJ;
import ij.Menus;
import java.util.Map;
import java.util.TreeMap;

/**
 * Run by {@link MenuEntriesIT} in a real ImageJ 1 (under Xvfb): starts ImageJ without showing it
 * and prints every command whose name starts with {@code Fovea}, with the class that runs it, as
 * ImageJ 1 registered them from the plugin folder.
 */
public final class MenusProbe {

  private MenusProbe() {}

  /** @param args none */
  public static void main(String[] args) {
    new ImageJ(ImageJ.NO_SHOW);
    Map<String, String> fovea = new TreeMap<>();
    Menus.getCommands().forEach((k, v) -> {
      if (k.toString().startsWith("Fovea")) {
        fovea.put(k.toString(), v.toString());
      }
    });
    fovea.forEach((k, v) -> System.out.println("COMMAND>>" + k + "=" + v));
    System.out.println("COMMANDS>>" + fovea.size());
    System.exit(0);
  }
}
