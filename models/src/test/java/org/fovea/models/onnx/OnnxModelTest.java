package org.fovea.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fovea.models.onnx.OnnxBytes.Msg;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxModelTest {

  static Path fixture(String name) throws Exception {
    return Path.of(OnnxModelTest.class.getResource("/onnx/" + name).toURI());
  }

  /** Checks every fact that make_fixtures.py wrote next to the fixture. */
  @ParameterizedTest
  @ValueSource(strings = {"dilated", "unet", "residual", "unsupported"})
  void readsWhatTheExporterWrote(String name) throws Exception {
    OnnxModel m = OnnxModel.read(fixture(name + ".onnx"));
    OnnxGraph g = m.graph();
    int nodes = 0;
    int inits = 0;
    for (String line : Files.readAllLines(fixture(name + ".expected.txt"))) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "opset" -> assertEquals(Long.parseLong(f[1]), m.opsetVersion());
        case "input", "output" -> {
          List<OnnxValueInfo> vs = f[0].equals("input") ? g.inputs() : g.outputs();
          OnnxValueInfo v = vs.stream().filter(x -> x.name().equals(f[1])).findFirst()
              .orElseThrow();
          assertEquals(OnnxTensor.FLOAT, v.elemType());
          assertEquals(f.length - 2, v.rank());
          for (int i = 2; i < f.length; i++) {
            if (f[i].startsWith("-1:")) {
              assertEquals(-1, v.dims()[i - 2]);
              assertEquals(f[i].substring(3), v.dimParams().get(i - 2));
            } else {
              assertEquals(Long.parseLong(f[i]), v.dims()[i - 2]);
              assertNull(v.dimParams().get(i - 2));
            }
          }
        }
        case "node" -> {
          OnnxNode n = g.nodes().get(nodes++);
          assertEquals(f[1], n.name());
          assertEquals(f[2], n.opType());
          assertEquals(list(f[3].substring(7)), n.inputs(), line);
          assertEquals(list(f[4].substring(8)), n.outputs(), line);
        }
        case "attr" -> checkAttribute(g, f[1], f[2], f[3], line);
        case "init" -> {
          inits++;
          OnnxTensor t = g.initializers().get(f[1]);
          assertEquals(Integer.parseInt(f[2]), t.dataType());
          assertArrayEquals(Arrays.stream(f[3].substring(5).split(","))
              .mapToLong(Long::parseLong).toArray(), t.dims());
          String[] first = f[4].substring(6).split(",");
          for (int i = 0; i < first.length; i++) {
            assertEquals(Float.parseFloat(first[i]), t.floats()[i], 0f, line);
          }
          assertEquals(t.elementCount(), t.floats().length);
        }
        default -> throw new AssertionError("unknown line " + line);
      }
    }
    assertEquals(nodes, g.nodes().size());
    assertEquals(inits, g.initializers().size());
  }

  private static void checkAttribute(OnnxGraph g, String node, String key, String value,
      String line) {
    OnnxNode n = g.nodes().stream().filter(x -> x.name().equals(node)).findFirst().orElseThrow();
    OnnxAttribute a = n.attribute(key);
    switch (a.kind()) {
      case INT -> assertEquals(Long.parseLong(value), a.i(), line);
      case INTS -> assertArrayEquals(Arrays.stream(value.split(",")).mapToLong(Long::parseLong)
          .toArray(), a.ints(), line);
      case FLOAT -> assertEquals(Float.parseFloat(value), a.f(), 0f, line);
      case STRING -> assertEquals(value, a.s(), line);
      case TENSOR -> {
        String[] v = value.split(",");
        float[] expected = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          expected[i] = Float.parseFloat(v[i]);
        }
        assertArrayEquals(expected, a.tensor().floats(), line);
      }
      default -> throw new AssertionError("unexpected kind in " + line);
    }
  }

  private static List<String> list(String csv) {
    return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(",", -1));
  }

  @Test
  void graphLinksProducersAndConsumers() throws Exception {
    OnnxGraph g = OnnxModel.read(fixture("unet.onnx")).graph();
    OnnxNode resize = g.producer("/up/Resize_output_0");
    assertEquals("Resize", resize.opType());
    assertEquals("", resize.input(1));
    assertEquals("nearest", resize.stringAttribute("mode", null));
    assertEquals(List.of("MaxPool", "Concat"), g.consumers("/Relu_output_0").stream()
        .map(OnnxNode::opType).toList());
    assertNull(g.producer("input"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dilated.onnx", "unet.onnx"})
  void everyTruncationIsReportedWithTheFileName(String name) throws Exception {
    Path p = fixture(name);
    byte[] b = Files.readAllBytes(p);
    for (int n = 0; n < b.length; n++) {
      byte[] cut = Arrays.copyOf(b, n);
      FoveaException e = assertThrows(FoveaException.class, () -> OnnxModel.parse(cut, p),
          "prefix of " + n + " bytes");
      assertTrue(e.getMessage().startsWith(p + " is not a readable ONNX model ("), e.getMessage());
      assertTrue(e.getMessage().endsWith("): re-export it"), e.getMessage());
    }
  }

  @Test
  void truncatedFileOnDisk(@TempDir Path dir) throws Exception {
    byte[] b = Files.readAllBytes(fixture("dilated.onnx"));
    Path cut = dir.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(b, b.length / 2));
    FoveaException e = assertThrows(FoveaException.class, () -> OnnxModel.read(cut));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("re-export it"), e.getMessage());
  }

  @Test
  void notOnnxAtAll(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("text.onnx");
    Files.writeString(p, "this is not a model\n");
    FoveaException e = assertThrows(FoveaException.class, () -> OnnxModel.read(p));
    assertTrue(e.getMessage().startsWith(p + " is not a readable ONNX model"), e.getMessage());
  }

  @Test
  void missingFile(@TempDir Path dir) {
    Path p = dir.resolve("none.onnx");
    FoveaException e = assertThrows(FoveaException.class, () -> OnnxModel.read(p));
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
  }

  /** Typed (not raw) storage, integer tensors, other domains and attribute kinds. */
  @Test
  void readsTypedDataAndEveryAttributeKind() {
    Msg i64 = new Msg().longs(1, 3).varint(2, OnnxTensor.INT64).string(8, "shape")
        .longs(7, 1, -2, 3);
    Msg i32 = new Msg().longs(1, 2).varint(2, OnnxTensor.INT32).string(8, "idx").longs(5, 7, 9);
    Msg half = new Msg().longs(1, 2).varint(2, OnnxTensor.FLOAT16).string(8, "h")
        .longs(5, 0x3c00, 0xc000);
    Msg node = OnnxBytes.node("Mystery", "m", List.of("x", "w", "shape"), List.of("y"),
        OnnxBytes.ints("ks", 3, 3), OnnxBytes.string("mode", "fancy"),
        new Msg().string(1, "alpha").varint(20, 1).fixed32(2, 0.25f),
        new Msg().string(1, "scales").varint(20, 6).floats(7, 1f, 2f),
        new Msg().string(1, "names").varint(20, 8).string(9, "a").string(9, "b"),
        OnnxBytes.tensor("value", OnnxBytes.floatTensor("", new long[] {1}, new float[] {5f},
            false)));
    byte[] bytes = OnnxBytes.model(13, new Msg().msg(1, node.string(7, "com.example"))
        .string(2, "g")
        .msg(5, OnnxBytes.floatTensor("w", new long[] {2, 2}, new float[] {1, 2, 3, 4}, false))
        .msg(5, i64).msg(5, i32).msg(5, half)
        .msg(11, OnnxBytes.value("x", OnnxTensor.FLOAT, 1L, "h", 5L))
        .msg(11, OnnxBytes.value("w", OnnxTensor.FLOAT, 2L, 2L))
        .msg(12, new Msg().string(1, "y").msg(2, new Msg().msg(1, new Msg().varint(1, 1)))))
        .toBytes();
    OnnxModel m = OnnxModel.parse(bytes, Path.of("hand.onnx"));
    assertEquals(13, m.opsetVersion());
    assertEquals("fovea-test", m.producerName());
    OnnxGraph g = m.graph();
    assertEquals(1, g.inputs().size(), "initializers are not inputs");
    assertArrayEquals(new long[] {1, -1, 5}, g.inputs().get(0).dims());
    assertEquals(Arrays.asList(null, "h", null), g.inputs().get(0).dimParams());
    assertArrayEquals(new float[] {1, 2, 3, 4}, g.initializers().get("w").floats());
    assertArrayEquals(new long[] {1, -2, 3}, g.initializers().get("shape").longs());
    assertArrayEquals(new long[] {7, 9}, g.initializers().get("idx").longs());
    assertArrayEquals(new float[] {1f, -2f}, g.initializers().get("h").floats());
    OnnxNode n = g.nodes().get(0);
    assertEquals("com.example", n.domain());
    Map<String, OnnxAttribute> a = n.attributes();
    assertEquals(List.of("ks", "mode", "alpha", "scales", "names", "value"),
        List.copyOf(a.keySet()));
    assertArrayEquals(new long[] {3, 3}, n.intsAttribute("ks", null));
    assertEquals("fancy", a.get("mode").s());
    assertEquals(0.25f, a.get("alpha").f());
    assertArrayEquals(new float[] {1f, 2f}, a.get("scales").floats());
    assertEquals(List.of("a", "b"), a.get("names").strings());
    assertArrayEquals(new float[] {5f}, a.get("value").tensor().floats());
    assertEquals(-1, g.outputs().get(0).rank(), "no shape given");
  }

  @Test
  void valueCountMismatchIsCorrupt() {
    byte[] bytes = OnnxBytes.model(17, new Msg()
        .msg(1, OnnxBytes.node("Relu", "r", List.of("w"), List.of("y")))
        .msg(5, OnnxBytes.floatTensor("w", new long[] {2, 3}, new float[] {1, 2}, true))
        .msg(12, OnnxBytes.value("y", OnnxTensor.FLOAT))).toBytes();
    FoveaException e = assertThrows(FoveaException.class,
        () -> OnnxModel.parse(bytes, Path.of("bad.onnx")));
    assertTrue(e.getMessage().contains("tensor 'w' holds 2 values for 6 elements"),
        e.getMessage());
  }
}
