package org.fovea.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the shipped packages, for tests that change one thing in a real package. */
final class ShippedCopies {

  private ShippedCopies() {}

  /**
   * @param model a shipped model's name
   * @param dst the folder to create
   * @return {@code dst}, holding the whole package
   */
  static Path copy(String model, Path dst) throws IOException {
    Path src = Zoo.shippedFolder().resolve(model);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Files.copy(p, dst.resolve(src.relativize(p).toString()));
      }
    }
    return dst;
  }
}
