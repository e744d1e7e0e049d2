package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.FloatProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fovea segment} with a model of two inputs and two outputs (issue 14, item 5; the test
 * package made by models/src/test/resources/multi_io/make_package.py): the image's two channels
 * feed the two inputs in order, each output goes to its own TIFF or OME-Zarr image, tiles equal
 * one pass, and an
 * image with the wrong number of channels is refused before anything is written.
 */
class MultiOutputCliTest {

  @TempDir
  Path tmp;

  private static final Path PKG = Path.of("..", "models", "src", "test", "resources", "multi_io");

  private Path twoChannels(int w, int h) {
    Random rnd = new Random(9);
    ImageStack st = new ImageStack(w, h);
    float[] raw = new float[w * h];
    float[] mask = new float[w * h];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (float) rnd.nextGaussian();
      mask[i] = rnd.nextBoolean() ? 1 : 0;
    }
    st.addSlice(new FloatProcessor(w, h, raw));
    st.addSlice(new FloatProcessor(w, h, mask));
    ImagePlus imp = new ImagePlus("two", st);
    imp.setDimensions(2, 1, 1);
    Path f = tmp.resolve("two.tif");
    assertTrue(new FileSaver(imp).saveAsTiffStack(f.toString()));
    return f;
  }

  private static float[] voxels(Path p) {
    return Cli.pixels(p, null);
  }

  @Test
  void eachOutputIsWrittenToItsOwnFileAndTilesEqualOnePass() {
    Path in = twoChannels(61, 47);
    Path whole = tmp.resolve("whole.tif");
    Cli r = Cli.run("segment", "--model", PKG.toString(), "-o", whole.toString(), in.toString());
    assertEquals(0, r.code(), r.err());
    Path gated = tmp.resolve("whole-gated.tif");
    assertTrue(r.out().contains(whole + ", " + gated), r.out());
    assertEquals(2, new Opener().openImage(whole.toString()).getNChannels(), "mixed: m0, m1");
    assertEquals(1, new Opener().openImage(gated.toString()).getNChannels(), "gated");
    Path tiled = tmp.resolve("tiled.tif");
    r = Cli.run("segment", "--model", PKG.toString(), "--tile", "16", "-o", tiled.toString(),
        in.toString());
    assertEquals(0, r.code(), r.err());
    for (String[] pair : new String[][] {{"whole.tif", "tiled.tif"},
        {"whole-gated.tif", "tiled-gated.tif"}}) {
      float[] a = voxels(tmp.resolve(pair[0]));
      float[] b = voxels(tmp.resolve(pair[1]));
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
      assertTrue(worst <= 1e-5, pair[1] + ": " + worst);
    }
  }

  @Test
  void eachOutputIsItsOwnOmeZarrImageWithTheTiffsPixels() {
    Path in = twoChannels(61, 47);
    Path tif = tmp.resolve("ref.tif");
    assertEquals(0, Cli.run("segment", "--model", PKG.toString(), "-o", tif.toString(),
        in.toString()).code());
    Path zarr = tmp.resolve("out.zarr");
    Cli r = Cli.run("segment", "--model", PKG.toString(), "--tile", "16", "-o", zarr.toString(),
        in.toString());
    assertEquals(0, r.code(), r.err());
    Path gated = tmp.resolve("out-gated.zarr");
    assertTrue(r.out().contains(zarr + ", " + gated), r.out());
    String[][] pairs = {{"out.zarr", "ref.tif"}, {"out-gated.zarr", "ref-gated.tif"}};
    int[] channels = {2, 1};
    for (int j = 0; j < 2; j++) {
      var img = org.fovea.io.zarr.OmeZarr.open(tmp.resolve(pairs[j][0]));
      assertEquals(java.util.List.of("c", "y", "x"), img.axes());
      assertEquals(channels[j], img.array().shape()[0], pairs[j][0]);
      float[] z = new float[channels[j] * 47 * 61];
      img.array().read(new long[3], new int[] {channels[j], 47, 61}, z);
      float[] t = voxels(tmp.resolve(pairs[j][1]));
      double worst = 0;
      for (int i = 0; i < z.length; i++) {
        worst = Math.max(worst, Math.abs(z[i] - t[i]));
      }
      assertTrue(worst <= 1e-5, pairs[j][0] + " vs " + pairs[j][1] + ": " + worst);
    }
  }

  @Test
  void anImageWithTooFewChannelsIsRefusedAndNothingIsWritten() throws Exception {
    ImagePlus one = new ImagePlus("one", new FloatProcessor(20, 20));
    Path in = tmp.resolve("one.tif");
    new FileSaver(one).saveAsTiff(in.toString());
    Path out = tmp.resolve("out.tif");
    Cli r = Cli.run("segment", "--model", PKG.toString(), "-o", out.toString(), in.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("has 1 channel(s) but model 'two-in-two-out' has 2 inputs taking"
        + " 2 channels together"), r.err());
    assertFalse(Files.exists(out));
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "only the input");
    }
  }
}
