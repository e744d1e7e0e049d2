package org.fovea.cli.script;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.fovea.ops.net.FoveaException;

/**
 * Runs a SciJava-style script ({@code .groovy} or {@code .py}) without Fiji: its {@code #@}
 * inputs are filled from {@code key=value} strings ({@link ScriptParameters}), it runs in the
 * real interpreter found through {@code javax.script} (Apache Groovy, Jython), and its
 * {@code #@output} values are returned.
 *
 * @since 0.1.0
 */
public final class ScriptRunner {

  private ScriptRunner() {}

  /**
   * @param script a {@code .groovy} or {@code .py} (Jython) file
   * @param args the inputs, as {@code key=value} strings would give them
   * @param out where the script's printed output goes
   * @return each {@code #@output} (and {@code #@both}) parameter's value after the run
   * @throws FoveaException when the file, an input or the interpreter is missing, or the script
   *     fails (the sentence names the line)
   */
  public static Map<String, Object> run(Path script, Map<String, String> args, Writer out) {
    String name = script.toString();
    String text;
    try {
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FoveaException("cannot read the script " + script + " (" + e.getMessage()
          + "): check the path", e);
    }
    List<ScriptParameter> params = ScriptParameters.parse(text, name);
    Map<String, Object> inputs = ScriptParameters.values(params, args, name);
    ScriptEngine engine = engine(script);
    ScriptContext ctx = engine.getContext();
    ctx.setWriter(out);
    ctx.setErrorWriter(out);
    inputs.forEach(engine::put);
    for (ScriptParameter p : params) {
      if (!p.isInput()) {
        engine.put(p.name(), null);
      }
    }
    try {
      engine.eval(ScriptParameters.strip(text));
      out.flush();
    } catch (ScriptException e) {
      throw new FoveaException("script " + name + " failed" + (e.getLineNumber() > 0 ? " at line "
          + e.getLineNumber() : "") + ": " + cause(e), e);
    } catch (IOException e) {
      throw new FoveaException("script " + name + " could not print (" + e.getMessage() + ")", e);
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    for (ScriptParameter p : params) {
      if (p.isOutput()) {
        outputs.put(p.name(), engine.get(p.name()));
      }
    }
    return outputs;
  }

  /** The innermost message, with Fovea's own sentence preferred. */
  private static String cause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FoveaException) {
        return t.getMessage();
      }
    }
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static ScriptEngine engine(Path script) {
    String file = script.getFileName().toString();
    String ext = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String language = switch (ext) {
      case "groovy" -> "groovy";
      case "py" -> "python";
      default -> throw new FoveaException("script " + script + " is neither .groovy nor .py:"
          + " Fovea runs Groovy and Python (Jython) scripts");
    };
    if (language.equals("python")) {
      // no site packages and no scan of every jar for Java packages: imports name classes
      System.setProperty("python.import.site", "false");
      System.setProperty("python.cachedir.skip", "true");
      System.setProperty("python.console.encoding", "UTF-8");
    }
    ClassLoader cl = ScriptRunner.class.getClassLoader();
    Thread.currentThread().setContextClassLoader(cl);
    ScriptEngine e;
    try {
      e = new ScriptEngineManager(cl).getEngineByName(language);
    } catch (LinkageError err) {
      e = null;
    }
    if (e == null) {
      throw new FoveaException("no " + language + " interpreter is on the class path for " + script
          + ": run it through ./fovea script, or add " + (language.equals("groovy")
              ? "org.apache.groovy:groovy-jsr223" : "org.python:jython-standalone")
          + " to the class path");
    }
    return e;
  }
}
