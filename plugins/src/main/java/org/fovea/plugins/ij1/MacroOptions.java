package org.fovea.plugins.ij1;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fovea.ops.net.FoveaException;

/**
 * The options string of an ImageJ 1 {@code run("Command", "options")} call: {@code key=value},
 * {@code key=[value with spaces]}, {@code key='value'} or a bare {@code key} (a ticked checkbox),
 * separated by spaces, read the way {@link ij.Macro#getValue} reads them.
 *
 * <pre>{@code
 * MacroOptions.parse("model=[my model] tile=256")   // {model=my model, tile=256}
 * }</pre>
 *
 * @since 0.1.0
 */
public final class MacroOptions {

  private MacroOptions() {}

  /**
   * @param options an options string, may be null or blank
   * @return the keys (lower case) and their values in order; a bare key has the value "true"
   * @throws FoveaException when a bracket or quote is not closed
   */
  public static Map<String, String> parse(String options) {
    Map<String, String> map = new LinkedHashMap<>();
    String s = options == null ? "" : options;
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == ' ') {
        i++;
        continue;
      }
      int end = i;
      while (end < s.length() && s.charAt(end) != '=' && s.charAt(end) != ' ') {
        end++;
      }
      String key = s.substring(i, end).toLowerCase(java.util.Locale.ROOT);
      if (end == s.length() || s.charAt(end) == ' ') {
        map.put(key, "true");
        i = end;
        continue;
      }
      int v = end + 1;
      int close = valueEnd(s, v, key);
      boolean quoted = v < s.length() && (s.charAt(v) == '[' || s.charAt(v) == '\'');
      map.put(key, quoted ? s.substring(v + 1, close - 1) : s.substring(v, close));
      i = close;
    }
    return map;
  }

  /** @return the index just after the value starting at v */
  private static int valueEnd(String s, int v, String key) {
    if (v < s.length() && s.charAt(v) == '\'') {
      int q = s.indexOf('\'', v + 1);
      if (q < 0) {
        throw new FoveaException("the value of option '" + key + "' has no closing quote");
      }
      return q + 1;
    }
    if (v < s.length() && s.charAt(v) == '[') {
      int depth = 0;
      for (int j = v; j < s.length(); j++) {
        depth += s.charAt(j) == '[' ? 1 : s.charAt(j) == ']' ? -1 : 0;
        if (depth == 0) {
          return j + 1;
        }
      }
      throw new FoveaException("the value of option '" + key + "' has no closing ']'");
    }
    int sp = s.indexOf(' ', v);
    return sp < 0 ? s.length() : sp;
  }

  /**
   * @param options an options string
   * @param keys the keys the command knows
   * @param command the command's name, for the message
   * @throws FoveaException naming the first unknown key and listing the known ones
   */
  public static void check(String options, Collection<String> keys, String command) {
    for (String k : parse(options).keySet()) {
      if (!keys.contains(k)) {
        throw new FoveaException("unknown option '" + k + "' (the options are "
            + String.join(", ", keys) + "): correct the run(\"" + command + "\", ...) line");
      }
    }
  }
}
