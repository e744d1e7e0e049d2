package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.models.Zoo;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.fovea.io.zarr.Compressors;
import org.fovea.io.zarr.DType;
import org.fovea.io.zarr.OmeZarr;
import org.fovea.io.zarr.ZarrArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fovea segment in.zarr -o out.zarr}: the streamed Zarr output equals the in-memory tiled
 * result, and bad stores give one sentence, exit 2 and leave nothing behind.
 */
class ZarrSegmentTest {

  static final int H = 600;
  static final int W = 700;
  static float[] image;

  @TempDir
  Path tmp;

  @BeforeAll
  static void makeImage() {
    // bright discs of varied size on a ramp with noise: something for the model to find
    Random r = new Random(3);
    image = new float[H * W];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        image[y * W + x] = 100 + x / 10f + (float) (20 * r.nextGaussian());
      }
    }
    for (int k = 0; k < 60; k++) {
      int cy = r.nextInt(H);
      int cx = r.nextInt(W);
      int rad = 6 + r.nextInt(14);
      for (int y = Math.max(0, cy - rad); y < Math.min(H, cy + rad); y++) {
        for (int x = Math.max(0, cx - rad); x < Math.min(W, cx + rad); x++) {
          if ((y - cy) * (y - cy) + (x - cx) * (x - cx) < rad * rad) {
            image[y * W + x] += 600;
          }
        }
      }
    }
    for (int i = 0; i < image.length; i++) {
      image[i] = Math.max(0, Math.round(image[i])); // exact in <u2
    }
  }

  /** The image as a Zarr array with chunks that do not line up with the tiles. */
  Path input(Double fill) {
    Path p = tmp.resolve("in.zarr");
    ZarrArray a = ZarrArray.create(p, new long[] {H, W}, new int[] {128, 160}, DType.UINT16,
        Compressors.zlib(1), fill);
    a.write(new long[2], new int[] {H, W}, image);
    return p;
  }

  @Test
  void cropOfZarrOutputEqualsInMemoryTiledResult() throws IOException {
    Path in = input(0.0);
    Path out = tmp.resolve("out.zarr");
    Cli r = Cli.run("segment", "--engine", "onnx", "--tile", "256", "-o", out.toString(),
        in.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("tiles=9 halo=34"), r.out());
    Tensor expected;
    try (Model m = Model.load(Zoo.resolve(Zoo.DEFAULT_MODEL), "onnx", "cpu")) {
      Tensor raw = new Tensor(Axes.of("bcyx"), new long[] {1, 1, H, W}, image.clone());
      expected = Segmentation.run(m, raw, 256, null).probabilities();
    }
    OmeZarr.Image img = OmeZarr.open(out);
    assertEquals(List.of("c", "y", "x"), img.axes());
    ZarrArray a = img.array();
    assertArrayEquals(new long[] {3, H, W}, a.shape());
    assertArrayEquals(new int[] {1, 256, 256}, a.chunks());
    assertEquals(DType.FLOAT32, a.dtype());
    // a crop across tile seams (256, 512) on both axes, every class
    int y0 = 190;
    int x0 = 230;
    int h = 360;
    int w = 400;
    float[] crop = new float[3 * h * w];
    a.read(new long[] {0, y0, x0}, new int[] {3, h, w}, crop);
    float[] want = new float[crop.length];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(expected.data(), (c * H + y0 + y) * W + x0, want, (c * h + y) * w, w);
      }
    }
    assertArrayEquals(want, crop);
    float[] all = new float[3 * H * W];
    a.read(new long[3], new int[] {3, H, W}, all);
    assertArrayEquals(expected.data(), all);
    assertEquals(List.of("out.zarr"), listing(tmp).stream().filter(n -> n.startsWith("out"))
        .toList(), "no temporary store left");
  }

  @Test
  void tiffInputToZarrOutputEqualsZarrInput() throws IOException {
    short[] px = new short[H * W];
    for (int i = 0; i < px.length; i++) {
      px[i] = (short) image[i];
    }
    Path tif = tmp.resolve("in.tif");
    assertTrue(new ij.io.FileSaver(new ij.ImagePlus("in", new ij.process.ShortProcessor(W, H, px,
        null))).saveAsTiff(tif.toString()));
    Path a = tmp.resolve("from-tiff.zarr");
    Path b = tmp.resolve("from-zarr.zarr");
    assertEquals(0, Cli.run("segment", "--tile", "256", "--zarr-compressor", "blosc", "-o",
        a.toString(), tif.toString()).code());
    assertEquals(0, Cli.run("segment", "--tile", "256", "-o", b.toString(),
        input(0.0).toString()).code());
    float[] va = new float[3 * H * W];
    float[] vb = new float[3 * H * W];
    OmeZarr.open(a).array().read(new long[3], new int[] {3, H, W}, va);
    OmeZarr.open(b).array().read(new long[3], new int[] {3, H, W}, vb);
    assertArrayEquals(vb, va);
  }

  @Test
  void missingChunkWithoutFillValue() throws IOException {
    Path in = input(null);
    Files.delete(in.resolve("2.3"));
    assertRefused(in, "chunk 2.3 of the Zarr array", "missing");
  }

  @Test
  void corruptChunk() throws IOException {
    Path in = input(0.0);
    Files.writeString(in.resolve("1.1"), "not zlib");
    assertRefused(in, "chunk 1.1 of the Zarr array", "corrupt");
  }

  @Test
  void wrongMetadata() throws IOException {
    Path in = input(0.0);
    Files.writeString(in.resolve(".zarray"), Files.readString(in.resolve(".zarray"))
        .replace("\"<u2\"", "\"<c8\""));
    assertRefused(in, ".zarray is not valid Zarr v2 metadata", "dtype <c8");
  }

  @Test
  void notAZarrStore() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in.zarr"));
    Files.writeString(in.resolve("readme.txt"), "hello");
    assertRefused(in, "is not a Zarr array or OME-Zarr image");
  }

  @Test
  void outputInsideTheInput() throws IOException {
    Path in = input(0.0);
    Cli r = Cli.run("segment", "-o", in.resolve("p.zarr").toString(), in.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("would overwrite or sit inside the input"), r.err());
    assertTrue(Files.notExists(in.resolve("p.zarr")));
  }

  /** Exit 2, one sentence with the words, and the earlier output untouched, no temporaries. */
  private void assertRefused(Path in, String... words) throws IOException {
    Path out = tmp.resolve("out.zarr");
    Files.createDirectories(out);
    Files.writeString(out.resolve("earlier.txt"), "an earlier result");
    Cli r = Cli.run("segment", "--tile", "256", "-o", out.toString(), in.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    String err = r.err().lines().filter(l -> l.startsWith("fovea: ")).collect(Collectors.joining(
        "\n"));
    assertEquals(1, err.lines().count(), r.err());
    for (String word : words) {
      assertTrue(err.contains(word), "'" + word + "' missing from: " + err);
    }
    assertEquals(List.of("earlier.txt"), listing(out), "the earlier output is kept as it was");
    assertEquals(List.of("in.zarr", "out.zarr"), listing(tmp), "no temporary store left");
  }

  private static List<String> listing(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
