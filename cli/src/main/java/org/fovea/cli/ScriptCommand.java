package org.fovea.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fovea.ops.net.FoveaException;
import org.fovea.cli.script.ScriptRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fovea script FILE key=value ...}: a SciJava-style Groovy or Jython script, headless.
 *
 * @since 0.1.0
 */
@Command(name = "script", mixinStandardHelpOptions = true,
    description = "Runs a Groovy (.groovy) or Jython (.py) script written for Fiji's script"
        + " editor: its #@ inputs come from key=value arguments, its #@output values are printed"
        + " as key=value lines.")
public final class ScriptCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the script")
  Path script;

  @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "the script's inputs")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    Map<String, String> given = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new FoveaException("script input '" + a + "' is not key=value: write for example"
            + " input=cells.tif");
      }
      given.put(a.substring(0, eq), a.substring(eq + 1));
    }
    PrintWriter out = spec.commandLine().getOut();
    // a script's own prints (an ImageJ macro's print()) are its results: stdout, as in ImageJ
    java.io.PrintStream was = System.out;
    System.setOut(FoveaCli.STDOUT);
    Map<String, Object> outputs;
    try {
      outputs = ScriptRunner.run(script, given, out);
    } finally {
      System.setOut(was);
    }
    outputs.forEach((k, v) -> out.println(k + "=" + v));
    out.flush();
    return 0;
  }
}
