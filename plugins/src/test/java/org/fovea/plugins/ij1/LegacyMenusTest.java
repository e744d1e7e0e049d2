package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

/**
 * Each command once, in Fiji and in plain ImageJ 1 (issue 17, item 3), checked against
 * imagej-legacy's published behaviour, since no Fiji can be run here. Read from its source
 * (github.com/imagej/imagej-legacy, commit 16fcda9, fetched): with imagej-legacy present,
 * {@code DefaultLegacyHooks.addMenuItem} parses the {@code plugins.config} of <em>every</em> jar
 * on the class path (so also {@code jars/}, where the update site puts Fovea) through {@code
 * IJ1Helper.addCommand}, which skips a label already known; and {@code IJ1Helper.addMenuItems}
 * adds the SciJava commands, where a command whose leaf name is a known ImageJ 1 label takes that
 * label over (the macro name runs the SciJava command) and reuses the menu item of that label in
 * the same parent menu instead of adding one. Without imagej-legacy (plain ImageJ 1) only the
 * {@code plugins.config} entries exist, each running the bridge ({@code MenuEntriesIT} runs the
 * real ij.jar for that case).
 *
 * <p>The model below is written from that reading, not copied; what it checks is the fact Fovea
 * relies on: its {@code plugins.config} names exactly the SciJava commands' menu paths and leaf
 * names, so both registration orders give one menu item per command, and the label runs the
 * SciJava command.
 */
class LegacyMenusTest {

  private static Context context;
  private static List<CommandInfo> commands;

  @BeforeAll
  static void start() {
    context = new Context();
    commands = context.service(CommandService.class).getCommands().stream()
        .filter(c -> c.getMenuPath() != null && c.getMenuPath().getMenuString()
            .startsWith("Plugins > Fovea > "))
        .toList();
  }

  @AfterAll
  static void stop() {
    context.dispose();
  }

  /** One plugins.config line: parent menu, label, class. */
  record Entry(String parent, String label, String target) {}

  private static List<Entry> pluginsConfig() throws IOException {
    // the line form imagej-legacy parses: menu path, "label", class with optional arguments
    Pattern line = Pattern.compile("^\\s*([^,]*),\\s*\"([^\"]*)\",\\s*(\\S*(\\(.*\\))?)\\s*");
    List<Entry> l = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        LegacyMenusTest.class.getResourceAsStream("/plugins.config"), StandardCharsets.UTF_8))) {
      for (String s = r.readLine(); s != null; s = r.readLine()) {
        Matcher m = line.matcher(s);
        if (!s.startsWith("#") && m.matches()) {
          l.add(new Entry(m.group(1).trim(), m.group(2), m.group(3)));
        }
      }
    }
    return l;
  }

  /** ImageJ 1's command table and menus as imagej-legacy leaves them. */
  static final class Menus {
    final Map<String, String> table = new LinkedHashMap<>();
    final Map<String, List<String>> items = new LinkedHashMap<>();

    void ij1(Entry e) {
      if (table.containsKey(e.label())) {
        return; // addCommand: a known label is skipped
      }
      table.put(e.label(), e.target());
      items.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e.label());
    }

    void sciJava(CommandInfo c) {
      var p = c.getMenuPath();
      String label = p.getLeaf().getName();
      StringBuilder parent = new StringBuilder();
      for (int i = 0; i < p.size() - 1; i++) {
        parent.append(i == 0 ? "" : ">").append(p.get(i).getName());
      }
      List<String> menu = items.computeIfAbsent(parent.toString(), k -> new ArrayList<>());
      // an override reuses the parent menu's item of that label; otherwise a new item
      if (!(table.containsKey(label) && menu.contains(label))) {
        menu.add(label);
      }
      table.put(label, "command:" + c.getClassName());
    }
  }

  @Test
  void fijiListsEachCommandOnceInEitherOrderAndItsLabelRunsTheSciJavaCommand()
      throws IOException {
    List<Entry> config = pluginsConfig();
    assertEquals(7, commands.size(), "the SciJava commands: " + commands);
    assertEquals(commands.size(), config.size(), "one bridge entry per command");
    for (boolean configFirst : new boolean[] {true, false}) {
      Menus m = new Menus();
      if (configFirst) {
        config.forEach(m::ij1);
        commands.forEach(m::sciJava);
      } else {
        commands.forEach(m::sciJava);
        config.forEach(m::ij1);
      }
      List<String> fovea = m.items.get("Plugins>Fovea");
      assertEquals(7, fovea.size(), "order " + configFirst + ": " + fovea);
      assertEquals(7, fovea.stream().distinct().count(), "each label once: " + fovea);
      for (CommandInfo c : commands) {
        assertEquals("command:" + c.getClassName(), m.table.get(c.getMenuPath().getLeaf()
            .getName()), "the macro name runs the SciJava command");
      }
    }
  }

  @Test
  void aBridgeEntryUnderAnotherMenuOrLabelWouldListACommandTwice() throws IOException {
    // the check above can fail: the same model with one entry moved to another menu
    List<Entry> config = new ArrayList<>(pluginsConfig());
    Entry e = config.get(0);
    config.set(0, new Entry("Plugins", e.label(), e.target()));
    Menus m = new Menus();
    config.forEach(m::ij1);
    commands.forEach(m::sciJava);
    long count = m.items.values().stream().flatMap(List::stream).filter(e.label()::equals)
        .count();
    assertEquals(2, count, "listed in Plugins and in Plugins>Fovea");
  }

  @Test
  void plainImageJ1RegistersTheBridgeEntries() throws IOException {
    Menus m = new Menus();
    pluginsConfig().forEach(m::ij1);
    assertEquals(7, m.items.get("Plugins>Fovea").size());
    assertTrue(m.table.values().stream().allMatch(t -> t.startsWith(
        "org.fovea.plugins.ij1.FoveaBridge(")), m.table.toString());
  }
}
