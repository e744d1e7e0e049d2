package org.fovea.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fovea writes, Fovea reads: every dtype and compressor, region by region, exact. */
class ZarrArrayTest {

  @TempDir
  Path dir;

  static Stream<Arguments> kinds() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (DType t : List.of(DType.FLOAT32, DType.UINT8, DType.UINT16)) {
      for (String c : List.of("none", "zlib", "gzip", "zstd", "blosc")) {
        b.add(Arguments.of(t, c));
      }
    }
    // the other types Fovea reads, big-endian too
    for (String t : List.of("<f8", ">f4", ">u2", "<u4", "|i1", "<i2", ">i4")) {
      b.add(Arguments.of(DType.parse(t), "zstd"));
      b.add(Arguments.of(DType.parse(t), "blosc"));
    }
    return b.build();
  }

  /** Values the type holds exactly: integers in range, or arbitrary floats. */
  static float[] values(DType t, int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int range = t.size() == 1 ? 256 : t.size() == 2 ? 65536 : 1 << 24;
      v[i] = switch (t.kind()) {
        case 'f' -> (float) (r.nextGaussian() * 1e3);
        case 'u' -> r.nextInt(range);
        default -> r.nextInt(range) - range / 2;
      };
    }
    return v;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("kinds")
  void writtenRegionsReadBackExactly(DType t, String comp) {
    long[] shape = {2, 37, 53};
    int[] chunks = {1, 16, 20};
    float[] all = values(t, 2 * 37 * 53, 7);
    ZarrArray a = ZarrArray.create(dir.resolve("a"), shape, chunks, t, Compressors.named(comp),
        0.0);
    // two writes whose seam crosses chunks: the second rewrites half-covered chunks
    a.write(new long[] {0, 0, 0}, new int[] {2, 37, 30}, crop(all, shape, 0, 0, 0, 2, 37, 30));
    a.write(new long[] {0, 0, 30}, new int[] {2, 37, 23}, crop(all, shape, 0, 0, 30, 2, 37, 23));
    ZarrArray b = ZarrArray.open(dir.resolve("a"));
    assertEquals(t, b.dtype());
    assertArrayEquals(shape, b.shape());
    assertArrayEquals(chunks, b.chunks());
    float[] got = new float[all.length];
    b.read(new long[] {0, 0, 0}, new int[] {2, 37, 53}, got);
    assertArrayEquals(all, got);
    float[] c = new float[1 * 19 * 25];
    b.read(new long[] {1, 11, 17}, new int[] {1, 19, 25}, c);
    assertArrayEquals(crop(all, shape, 1, 11, 17, 1, 19, 25), c);
    // edge chunk files exist for the whole grid: 2 x 3 x 3
    assertTrue(Files.isRegularFile(dir.resolve("a/1.2.2")));
  }

  @Test
  void missingChunkReadsFillValue() {
    ZarrArray a = ZarrArray.create(dir.resolve("f"), new long[] {10, 10}, new int[] {5, 5},
        DType.FLOAT32, Compressors.zlib(1), -3.5);
    a.writeChunk(new long[] {0, 0}, new float[25]);
    float[] got = new float[100];
    ZarrArray.open(dir.resolve("f")).read(new long[] {0, 0}, new int[] {10, 10}, got);
    assertEquals(0f, got[0]);
    assertEquals(-3.5f, got[5]);
    assertEquals(-3.5f, got[99]);
  }

  @Test
  void missingChunkWithoutFillValueNamesTheArray() {
    ZarrArray a = ZarrArray.create(dir.resolve("n"), new long[] {10, 10}, new int[] {5, 5},
        DType.FLOAT32, Compressors.zstd(1), null);
    a.writeChunk(new long[] {0, 0}, new float[25]);
    FoveaException e = assertThrows(FoveaException.class,
        () -> ZarrArray.open(dir.resolve("n")).read(new long[] {0, 0}, new int[] {10, 10},
            new float[100]));
    assertTrue(e.getMessage().contains("chunk 0.1 of the Zarr array " + dir.resolve("n")
        + " is missing"), e.getMessage());
  }

  @Test
  void corruptChunkNamesTheArray() throws IOException {
    for (String comp : List.of("none", "zlib", "gzip", "zstd", "blosc")) {
      Path p = dir.resolve(comp);
      ZarrArray a = ZarrArray.create(p, new long[] {8, 8}, new int[] {8, 8}, DType.FLOAT32,
          Compressors.named(comp), 0.0);
      a.writeChunk(new long[] {0, 0}, values(DType.FLOAT32, 64, 1));
      byte[] b = Files.readAllBytes(p.resolve("0.0"));
      Files.write(p.resolve("0.0"), java.util.Arrays.copyOf(b, b.length / 2));
      FoveaException e = assertThrows(FoveaException.class,
          () -> ZarrArray.open(p).readChunk(0, 0));
      assertTrue(e.getMessage().startsWith("chunk 0.0 of the Zarr array " + p + " is corrupt"),
          e.getMessage());
    }
  }

  @Test
  void wrongMetadataIsOneSentence() throws IOException {
    Path p = dir.resolve("bad");
    Files.createDirectories(p);
    for (String meta : List.of("{not json", "{\"zarr_format\": 3}",
        "{\"zarr_format\": 2, \"shape\": [4, 4], \"chunks\": [2], \"dtype\": \"<f4\"}",
        "{\"zarr_format\": 2, \"shape\": [4, 4], \"chunks\": [2, 2], \"dtype\": \"<c8\"}",
        "{\"zarr_format\": 2, \"shape\": [4, 4], \"chunks\": [2, 2], \"dtype\": \"<f4\","
            + " \"compressor\": {\"id\": \"lzma\"}}",
        "{\"zarr_format\": 2, \"shape\": [4, 4], \"chunks\": [2, 2], \"dtype\": \"<f4\","
            + " \"order\": \"F\"}")) {
      Files.writeString(p.resolve(".zarray"), meta);
      FoveaException e = assertThrows(FoveaException.class, () -> ZarrArray.open(p));
      assertTrue(e.getMessage().startsWith(p.resolve(".zarray") + " is not valid Zarr v2"
          + " metadata"), e.getMessage());
    }
    FoveaException e = assertThrows(FoveaException.class, () -> OmeZarr.open(dir));
    assertTrue(e.getMessage().contains("is not a Zarr array or OME-Zarr image"), e.getMessage());
  }

  @Test
  void omeZarrImageKeepsAxesAndLevel() {
    Path root = dir.resolve("img.zarr");
    ZarrArray a = OmeZarr.create(root, "img", List.of("c", "y", "x"), new long[] {3, 20, 30},
        new int[] {1, 8, 8}, DType.FLOAT32, Compressors.zstd(3), List.of("a", "b", "c"));
    float[] v = values(DType.FLOAT32, 3 * 20 * 30, 3);
    a.write(new long[3], new int[] {3, 20, 30}, v);
    OmeZarr.Image img = OmeZarr.open(root);
    assertEquals(List.of("c", "y", "x"), img.axes());
    assertEquals(root.resolve("0"), img.array().path());
    float[] plane = new float[3 * 5 * 7];
    ZarrPlanes.source(img).read(4, 9, 5, 7, plane);
    assertArrayEquals(crop(v, new long[] {3, 20, 30}, 0, 4, 9, 3, 5, 7), plane);
    assertFalse(Files.exists(root.resolve("0/.zarray.part")));
  }

  /** The box at (c0, y0, x0) of size (c, h, w) of a C-ordered 3D array. */
  static float[] crop(float[] all, long[] shape, int c0, int y0, int x0, int c, int h, int w) {
    float[] out = new float[c * h * w];
    for (int k = 0; k < c; k++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(all, (int) (((c0 + k) * shape[1] + y0 + y) * shape[2] + x0), out,
            (k * h + y) * w, w);
      }
    }
    return out;
  }
}
