package org.fovea.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and keeps what it printed. */
record Cli(int code, String out, String err) {

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FoveaCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** Copies a shipped package, for tests that change one thing in a real package. */
  static java.nio.file.Path copyShipped(String model, java.nio.file.Path dst)
      throws java.io.IOException {
    java.nio.file.Path src = org.fovea.models.Zoo.shippedFolder().resolve(model);
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(src)) {
      for (java.nio.file.Path p : s.toList()) {
        java.nio.file.Files.copy(p, dst.resolve(src.relativize(p).toString()));
      }
    }
    return dst;
  }

}
