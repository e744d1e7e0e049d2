package org.fovea.cli.script;

import ij.ImagePlus;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.ImageFiles;

/**
 * Reads the {@code #@} parameter lines of a SciJava script and turns {@code key=value} strings
 * into the values they declare, so that a script written for Fiji runs headless too.
 *
 * <p>Supported types: {@code File}, {@code String}, {@code int}/{@code Integer},
 * {@code long}/{@code Long}, {@code float}/{@code Float}, {@code double}/{@code Double},
 * {@code boolean}/{@code Boolean}, and {@code ImagePlus} (its value is an image file, opened).
 * Services and other SciJava types need Fiji and are refused with a sentence.
 *
 * @since 0.1.0
 */
public final class ScriptParameters {

  private static final Pattern LINE = Pattern.compile(
      "^\\s*#@(input|output|both)?\\s*([A-Za-z_][\\w.]*)"
          + "\\s*(?:\\((.*)\\))?\\s*([A-Za-z_]\\w*)\\s*$");
  private static final Pattern ATTR = Pattern.compile(
      "\\s*([A-Za-z_]\\w*)\\s*=\\s*"
          + "(\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|(\\{[^}]*\\}|[^,]*?))\\s*(?:,|$)");

  private static final java.util.Set<String> SUPPORTED = java.util.Set.of("File",
      "java.io.File", "String", "java.lang.String", "int", "Integer", "long", "Long", "float",
      "Float", "double", "Double", "boolean", "Boolean", "ImagePlus", "ij.ImagePlus");

  private ScriptParameters() {}

  /**
   * @param script the script's text
   * @param name how errors name the script
   * @return its parameters, in order
   * @throws FoveaException for a {@code #@} line that is not a parameter declaration
   */
  public static List<ScriptParameter> parse(String script, String name) {
    List<ScriptParameter> ps = new ArrayList<>();
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (!l.startsWith("#@")) {
        continue;
      }
      Matcher m = LINE.matcher(l);
      if (!m.matches()) {
        throw new FoveaException("line " + (i + 1) + " of " + name + " is not a parameter: write"
            + " '#@ Type (key=value, ...) name', for example '#@ File (label=\"Input\") input'");
      }
      ps.add(new ScriptParameter(m.group(4), m.group(2), attributes(m.group(3), name, i + 1),
          m.group(1) == null ? "input" : m.group(1), i + 1));
    }
    return ps;
  }

  /**
   * @param script the script's text
   * @return the same text with each {@code #@} line blanked, so that line numbers stay and
   *     languages without {@code #} comments (Groovy) read it
   */
  public static String strip(String script) {
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().startsWith("#@")) {
        lines[i] = "";
      }
    }
    return String.join("\n", lines);
  }

  /**
   * Values of every input, from the caller's {@code key=value} strings and the declared defaults.
   *
   * @param params the script's parameters
   * @param given the caller's values
   * @param name how errors name the script
   * @return name to value (null for an optional input without a value)
   * @throws FoveaException for an unknown key, a missing required value or a bad value
   */
  public static Map<String, Object> values(List<ScriptParameter> params, Map<String, String> given,
      String name) {
    Map<String, ScriptParameter> inputs = new LinkedHashMap<>();
    params.stream().filter(ScriptParameter::isInput).forEach(p -> inputs.put(p.name(), p));
    for (String k : given.keySet()) {
      if (!inputs.containsKey(k)) {
        throw new FoveaException(name + " has no input '" + k + "': its inputs are "
            + String.join(", ", inputs.keySet()));
      }
    }
    Map<String, Object> v = new LinkedHashMap<>();
    for (ScriptParameter p : inputs.values()) {
      if (!SUPPORTED.contains(p.type())) {
        throw new FoveaException(name + " declares '" + p.name() + "' as " + p.type()
            + " (line " + p.line() + "), which needs Fiji: headless runs take File, String,"
            + " numbers, boolean and ImagePlus");
      }
      String s = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
      if (s == null && isBoolean(p.type())) {
        s = "false";
      }
      if (s == null && p.required()) {
        throw new FoveaException(name + " needs a value for '" + p.name() + "' (" + p.type()
            + (p.attributes().containsKey("label") ? ", " + p.attributes().get("label") : "")
            + "): add " + p.name() + "=...");
      }
      v.put(p.name(), s == null ? null : convert(p, s, name));
    }
    return v;
  }

  private static boolean isBoolean(String type) {
    return type.equals("boolean") || type.equals("Boolean");
  }

  private static Object convert(ScriptParameter p, String s, String name) {
    try {
      return switch (p.type()) {
        case "File", "java.io.File" -> new File(s);
        case "String", "java.lang.String" -> s;
        case "int", "Integer" -> Integer.parseInt(s.strip());
        case "long", "Long" -> Long.parseLong(s.strip());
        case "float", "Float" -> Float.parseFloat(s.strip());
        case "double", "Double" -> Double.parseDouble(s.strip());
        case "boolean", "Boolean" -> bool(s.strip());
        case "ImagePlus", "ij.ImagePlus" -> ImageFiles.open(new File(s).toPath());
        default -> throw new IllegalStateException(p.type());
      };
    } catch (NumberFormatException e) {
      throw new FoveaException(name + ": '" + s + "' is not a " + p.type() + " for '" + p.name()
          + "': give a number", e);
    }
  }

  private static Boolean bool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> Boolean.TRUE;
      case "false", "no", "0" -> Boolean.FALSE;
      default -> throw new NumberFormatException(s);
    };
  }

  private static Map<String, String> attributes(String text, String name, int line) {
    Map<String, String> a = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return a;
    }
    Matcher m = ATTR.matcher(text);
    int at = 0;
    while (at < text.length() && m.find(at) && m.start() == at) {
      String v = m.group(3) != null ? m.group(3).replace("\\\"", "\"")
          : m.group(4) != null ? m.group(4) : m.group(5).strip();
      a.put(m.group(1), v);
      at = m.end();
      if (m.end() == m.start()) {
        break;
      }
    }
    if (at < text.strip().length() && !text.substring(at).isBlank()) {
      throw new FoveaException("line " + line + " of " + name + " has attributes that are not key=value pairs: '"
          + text + "'; write key=value pairs separated by commas, quoting values with spaces");
    }
    return a;
  }
}
