package org.fovea.io.instances;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fovea.cli.FoveaCli;

/** The command line run in-process, with what it printed. */
record Run(int code, String out, String err) {

  static Run of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FoveaCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Copies a shipped package (every file, sub-folders too), for a test that changes it. */
  static java.nio.file.Path copyShipped(String model, java.nio.file.Path dst)
      throws java.io.IOException {
    java.nio.file.Path src = java.nio.file.Path.of(System.getProperty("fovea.root"), "models",
        "zoo", model);
    try (var s = java.nio.file.Files.walk(src)) {
      for (java.nio.file.Path f : s.toList()) {
        java.nio.file.Files.copy(f, dst.resolve(src.relativize(f).toString()));
      }
    }
    return dst;
  }

  /** @return whether stderr is one line, "fovea: " and one sentence, with no stack trace */
  boolean oneSentenceError() {
    String e = err.strip();
    return code == FoveaCli.USER_ERROR && e.startsWith("fovea: ") && !e.contains("\n")
        && !e.contains("Exception") && !e.contains("\tat ");
  }
}
