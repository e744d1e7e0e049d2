package org.fovea.cli.script;

import java.util.Map;

/**
 * One {@code #@} line of a SciJava script: {@code #@ File (label="Input image") input} or
 * {@code #@output Integer count}.
 *
 * @param name the script variable
 * @param type the declared type ({@code File}, {@code String}, {@code int}, ...)
 * @param attributes the parenthesised {@code key=value} pairs, unquoted
 * @param io {@code input}, {@code output} or {@code both}
 * @param line the 1-based line it was declared on
 * @since 0.1.0
 */
public record ScriptParameter(String name, String type, Map<String, String> attributes, String io,
    int line) {

  /** @return whether a value is read from the caller */
  public boolean isInput() {
    return !io.equals("output");
  }

  /** @return whether the script's value is reported after it ran */
  public boolean isOutput() {
    return !io.equals("input");
  }

  /** @return the {@code value=} default, or null */
  public String defaultValue() {
    return attributes.get("value");
  }

  /** @return false when declared {@code required=false} */
  public boolean required() {
    return !"false".equalsIgnoreCase(attributes.getOrDefault("required", "true"));
  }
}
