package org.fovea.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fovea.cli.FoveaCli;
import org.fovea.io.ImageFiles;

/** Small test images cut from the shipped sample, the single-process reference, comparisons. */
final class TestImages {

  private TestImages() {}

  /**
   * @param dir where to write
   * @param sizes {w, h} per image
   * @return crops of the shipped sample at different places, as 16-bit TIFFs
   */
  static List<Path> crops(Path dir, int[]... sizes) {
    ImagePlus sample = ImageFiles.open(ImageFiles.sample());
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      ImagePlus imp = sample.duplicate();
      imp.setRoi(37 * i % (512 - sizes[i][0]), 53 * i % (512 - sizes[i][1]), sizes[i][0],
          sizes[i][1]);
      ImagePlus crop = imp.crop();
      Path p = dir.resolve(String.format("img%02d.tif", i));
      new FileSaver(crop).saveAsTiff(p.toString());
      out.add(p);
    }
    return out;
  }

  /**
   * Runs the {@code fovea} command line in this process (the single-process reference).
   *
   * @param args its arguments
   */
  static void cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = FoveaCli.run(new PrintWriter(out), new PrintWriter(err), args);
    assertEquals(0, rc, "fovea " + String.join(" ", args) + ": " + out + err);
  }

  /**
   * @param a a folder
   * @param b another
   * @param glob file names to compare
   * Asserts that both folders hold the same files whose pixels are equal.
   */
  static void assertSamePixels(Path a, Path b, String glob) throws IOException {
    List<String> na = names(a, glob);
    assertEquals(na, names(b, glob), "files in " + a + " and " + b);
    for (String n : na) {
      if (n.endsWith(".tif")) {
        assertSameImage(a.resolve(n), b.resolve(n));
      } else {
        assertEquals(Files.readString(a.resolve(n)), Files.readString(b.resolve(n)), n);
      }
    }
  }

  /** Asserts equal size, type and every pixel of every plane. */
  static void assertSameImage(Path a, Path b) {
    ImagePlus x = new Opener().openImage(a.toString());
    ImagePlus y = new Opener().openImage(b.toString());
    assertNotNull(x, a.toString());
    assertNotNull(y, b.toString());
    assertEquals(x.getWidth(), y.getWidth());
    assertEquals(x.getHeight(), y.getHeight());
    assertEquals(x.getStackSize(), y.getStackSize());
    assertEquals(x.getBitDepth(), y.getBitDepth());
    for (int s = 1; s <= x.getStackSize(); s++) {
      float[] px = (float[]) x.getStack().getProcessor(s).convertToFloatProcessor().getPixels();
      float[] py = (float[]) y.getStack().getProcessor(s).convertToFloatProcessor().getPixels();
      assertArrayEquals(px, py, 0f, a + " vs " + b + ", plane " + s);
    }
  }

  static List<String> names(Path dir, String glob) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      var m = dir.getFileSystem().getPathMatcher("glob:" + glob);
      return s.map(Path::getFileName).filter(m::matches).map(Path::toString).sorted().toList();
    }
  }
}
