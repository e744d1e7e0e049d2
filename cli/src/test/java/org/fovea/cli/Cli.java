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

  /**
   * A TIFF's pixels as floats, slice after slice (channels, then planes).
   *
   * @param p the file
   * @param size filled with {slices, height, width} when not null
   * @return the pixels
   */
  static float[] pixels(java.nio.file.Path p, int[] size) {
    ij.ImagePlus imp = new ij.io.Opener().openImage(p.toString());
    int plane = imp.getWidth() * imp.getHeight();
    float[] v = new float[imp.getStackSize() * plane];
    for (int s = 1; s <= imp.getStackSize(); s++) {
      System.arraycopy((float[]) imp.getStack().getProcessor(s).convertToFloatProcessor()
          .getPixels(), 0, v, (s - 1) * plane, plane);
    }
    if (size != null) {
      size[0] = imp.getStackSize();
      size[1] = imp.getHeight();
      size[2] = imp.getWidth();
    }
    return v;
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
