package org.fovea.models.pkg;

import static org.fovea.models.pkg.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading numpy-written files and round trips. The fixtures in {@code src/test/resources/pkg/npy}
 * were written by {@code make_fixtures.py} there ({@code /usr/bin/python3 make_fixtures.py}, numpy
 * 1.24).
 */
class NpyTest {

  @TempDir Path tmp;

  private static Tensor fixture(String name, String axes) {
    return Npy.read(Fixtures.resource("npy/" + name), Axes.of(axes));
  }

  private static void assertTensor(long[] shape, float[] values, Tensor t) {
    assertArrayEquals(shape, t.shape());
    assertArrayEquals(values, t.data(), 0f);
  }

  @Test
  void readsNumpyDataTypes() {
    assertTensor(new long[] {2, 3}, new float[] {-1, -0.5f, 0, 0.5f, 1, 1.5f},
        fixture("f4_le.npy", "yx"));
    assertTensor(new long[] {2, 2}, new float[] {1.5f, -2.25f, 3, 1e10f},
        fixture("f8_be.npy", "yx"));
    assertTensor(new long[] {3}, new float[] {0, 1, 255}, fixture("u1.npy", "x"));
    assertTensor(new long[] {3}, new float[] {0, 65535, 1234}, fixture("u2_be.npy", "x"));
    assertTensor(new long[] {3}, new float[] {-32768, 0, 32767}, fixture("i2.npy", "x"));
    assertTensor(new long[] {3}, new float[] {-2147483648f, 7, 2147483647f},
        fixture("i4_be.npy", "x"));
    assertTensor(new long[] {3}, new float[] {-5, 1099511627776f, 3}, fixture("i8.npy", "x"));
    assertTensor(new long[] {3}, new float[] {0.5f, -2, 65504}, fixture("f2.npy", "x"));
    assertTensor(new long[] {3}, new float[] {1, 0, 1}, fixture("b1.npy", "x"));
  }

  @Test
  void readsFormatVersions2And3() {
    assertTensor(new long[] {1, 2, 2}, new float[] {1, 2, 3, 4}, fixture("v2.npy", "cyx"));
    assertTensor(new long[] {1, 2, 2}, new float[] {1, 2, 3, 4}, fixture("v3.npy", "cyx"));
  }

  @Test
  void refusesFortranOrder() {
    Path p = Fixtures.resource("npy/fortran.npy");
    fails(() -> Npy.read(p, Axes.of("yx")), p, "Fortran order", "ascontiguousarray");
  }

  @Test
  void refusesWrongAxesNotNpyAndTruncated() throws IOException {
    Path p = Fixtures.resource("npy/f4_le.npy");
    fails(() -> Npy.read(p, Axes.of("cyx")), p, "[2, 3]", "'cyx'");
    Path text = Files.writeString(tmp.resolve("x.npy"), "hello, not numpy");
    fails(() -> Npy.read(text, Axes.of("x")), text, "not a .npy file");
    byte[] all = Files.readAllBytes(p);
    Path cut = Files.write(tmp.resolve("cut.npy"), Arrays.copyOf(all, all.length - 3));
    fails(() -> Npy.read(cut, Axes.of("yx")), cut, "truncated");
    Path missing = tmp.resolve("missing.npy");
    fails(() -> Npy.read(missing, Axes.of("x")), missing, "does not exist");
  }

  @Test
  void roundTrip() {
    Random r = new Random(42);
    float[] v = new float[2 * 3 * 5 * 7];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    v[0] = Float.NaN;
    v[1] = Float.NEGATIVE_INFINITY;
    Tensor t = new Tensor(Axes.of("bcyx"), new long[] {2, 3, 5, 7}, v);
    Path p = tmp.resolve("t.npy");
    Npy.write(p, t);
    assertEquals(t, Npy.read(p, Axes.of("bcyx")));
    // large enough to need several write chunks
    Tensor big = Tensor.zeros(Axes.of("yx"), 700, 700);
    big.data()[big.data().length - 1] = 3;
    Npy.write(p, big);
    assertEquals(big, Npy.read(p, Axes.of("yx")));
  }

  @Test
  void writesNumpyFormat1Header() throws IOException {
    Path p = tmp.resolve("h.npy");
    Npy.write(p, new Tensor(Axes.of("x"), new long[] {3}, new float[] {1, 2, 3}));
    byte[] b = Files.readAllBytes(p);
    assertEquals((byte) 0x93, b[0]);
    assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.ISO_8859_1));
    assertEquals(1, b[6]);
    assertEquals(0, b[7]);
    int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    assertEquals(0, (10 + len) % 64, "data must start 64-byte aligned");
    String header = new String(b, 10, len, StandardCharsets.ISO_8859_1);
    assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"),
        header);
    assertTrue(header.endsWith("\n"));
    assertEquals(10 + len + 12, b.length);
    // little-endian 1.0f
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(b, 10 + len,
        14 + len));
  }

  @Test
  void zeroDimensionalArray() {
    Path p = tmp.resolve("s.npy");
    Npy.write(p, new Tensor(Axes.of(""), new long[0], new float[] {7}));
    assertTensor(new long[0], new float[] {7}, Npy.read(p, Axes.of("")));
  }
}
