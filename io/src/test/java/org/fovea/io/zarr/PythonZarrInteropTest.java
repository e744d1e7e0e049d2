package org.fovea.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's python3-zarr (zarr-python 2.13) reads what Fovea writes, and Fovea reads what it
 * writes, value for value. Skipped where /usr/bin/python3 has no zarr, except in CI.
 */
class PythonZarrInteropTest {

  static final String PYTHON = "/usr/bin/python3";

  @TempDir
  Path dir;

  @BeforeAll
  static void needsZarr() throws Exception {
    boolean ok = Files.isExecutable(Path.of(PYTHON))
        && new ProcessBuilder(PYTHON, "-c", "import zarr, numcodecs").start().waitFor() == 0;
    assumeTrue(ok || System.getenv("CI") != null,
        "python3-zarr is missing (apt-get install python3-zarr); outside CI this test is skipped");
  }

  static Stream<Arguments> written() {
    List<Arguments> l = new ArrayList<>();
    for (DType t : List.of(DType.FLOAT32, DType.UINT8, DType.UINT16)) {
      for (String c : List.of("none", "zlib", "gzip", "zstd", "blosc")) {
        l.add(Arguments.of(t, c));
      }
    }
    return l.stream();
  }

  @ParameterizedTest(name = "python reads Fovea's {0} {1}")
  @MethodSource("written")
  void pythonReadsWhatFoveaWrites(DType t, String comp) throws Exception {
    Path store = dir.resolve("fovea.zarr");
    long[] shape = {3, 41, 67};
    ZarrArray a = OmeZarr.create(store, "fovea", List.of("c", "y", "x"), shape,
        new int[] {1, 16, 32}, t, Compressors.named(comp), null);
    float[] v = ZarrArrayTest.values(t, 3 * 41 * 67, 5);
    a.write(new long[3], new int[] {3, 41, 67}, v);
    String out = python("read", store.toString(), dir.resolve("v.raw").toString());
    assertTrue(out.contains("axes c,y,x"), out);
    assertTrue(out.contains("dtype " + t.code() + " chunks 1,16,32 compressor " + comp), out);
    assertArrayEquals(v, raw(dir.resolve("v.raw"), v.length));
  }

  static Stream<Arguments> pythonWritten() {
    return Stream.of(
        Arguments.of("<f4", "default", "."), Arguments.of("<f4", "zlib", "/"),
        Arguments.of("<f4", "zstd", "."), Arguments.of("<f4", "blosc", "/"),
        Arguments.of("<f4", "none", "."), Arguments.of("|u1", "gzip", "."),
        Arguments.of("|u1", "default", "/"), Arguments.of("<u2", "default", "."),
        Arguments.of("<u2", "zstd", "/"), Arguments.of("<u2", "blosc", "."));
  }

  @ParameterizedTest(name = "Fovea reads python's {0} {1} sep {2}")
  @MethodSource("pythonWritten")
  void foveaReadsWhatPythonWrites(String dtype, String comp, String sep) throws Exception {
    Path store = dir.resolve("py.zarr");
    String out = python("write", store.toString(), dir.resolve("v.raw").toString(), dtype, comp,
        sep);
    // the chunk that holds only the fill value was left out: Fovea must fill it
    assertTrue(out.contains("missing True"), out);
    OmeZarr.Image img = OmeZarr.open(store);
    assertEquals(DType.parse(dtype), img.array().dtype());
    float[] expected = raw(dir.resolve("v.raw"), 2 * 45 * 70);
    float[] got = new float[expected.length];
    img.array().read(new long[3], new int[] {2, 45, 70}, got);
    assertArrayEquals(expected, got);
    float[] plane = new float[2 * 20 * 30];
    ZarrPlanes.source(img).read(10, 25, 20, 30, plane);
    assertArrayEquals(ZarrArrayTest.crop(expected, new long[] {2, 45, 70}, 0, 10, 25, 2, 20, 30),
        plane);
  }

  static String python(String... args) throws IOException, InterruptedException {
    Path script = Path.of(System.getProperty("fovea.root"),
        "io/src/test/resources/zarr/interop.py");
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  static float[] raw(Path p, int n) throws IOException {
    byte[] b = Files.readAllBytes(p);
    assertEquals(4L * n, b.length);
    float[] v = new float[n];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
