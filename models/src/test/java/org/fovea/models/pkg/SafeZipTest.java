package org.fovea.models.pkg;

import static org.fovea.models.pkg.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zip-slip, zip bombs and archives that are not packages. */
class SafeZipTest {

  @TempDir Path tmp;
  private Path work;
  private Path cache;

  @BeforeEach
  void setUp() throws IOException {
    work = Files.createDirectories(tmp.resolve("work"));
    cache = tmp.resolve("cache");
    System.setProperty("fovea.cache", cache.toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty("fovea.cache");
  }

  private List<Path> everythingIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).toList();
    }
  }

  @Test
  void refusesEntriesThatEscapeBeforeWritingAnything() throws IOException {
    String abs = tmp.resolve("abs-evil.txt").toString();
    String[] evil = {"../evil.txt", "../../evil.txt", "a/../../evil.txt", "ok/..\\..\\evil.txt",
        "..\\evil.txt", abs, "/evil.txt", "C:\\evil.txt", "c:/evil.txt", "\\\\server\\evil.txt"};
    for (String name : evil) {
      Path zip = Fixtures.zipOf(work.resolve("evil.zip"), List.of(
          Map.entry("rdf.yaml", RdfErrorsTest.V04),
          Map.entry("w.onnx", "placeholder"),
          Map.entry(name, "pwned")));
      fails(() -> ModelPackages.read(zip), "refusing " + zip, "entry '" + name + "'",
          "would be written outside the package folder");
      // nothing was extracted: not in the cache, not next to the zip, not in the parents
      assertEquals(List.of(), Fixtures.files(cache), name);
      assertEquals(List.of(zip), everythingIn(work), name);
      assertFalse(Files.exists(tmp.resolve("evil.txt")), name);
      assertFalse(Files.exists(tmp.resolve("abs-evil.txt")), name);
      assertFalse(Files.exists(tmp.getParent().resolve("evil.txt")), name);
      assertFalse(Files.exists(Path.of("/evil.txt")), name);
      Files.delete(zip);
    }
  }

  @Test
  void entryNamesThatStayInsideAreNormalized() {
    Path z = Path.of("x.zip");
    assertEquals("a/b.txt", SafeZip.check(z, "a/./b.txt"));
    assertEquals("b.txt", SafeZip.check(z, "a/../b.txt"));
    assertEquals("a/b.txt", SafeZip.check(z, "a\\b.txt"));
    assertEquals("", SafeZip.check(z, "./"));
    fails(() -> SafeZip.check(z, "a/../../b"), "entry 'a/../../b'");
    fails(() -> SafeZip.check(z, "a\0b"), "outside");
  }

  @Test
  void refusesZipBombs() throws IOException {
    Path zip = Fixtures.zipOf(work.resolve("big.zip"), List.of(
        Map.entry("rdf.yaml", "x".repeat(1000)), Map.entry("a", "1"), Map.entry("b", "2")));
    fails(() -> SafeZip.inspect(zip, 500, 100), "refusing " + zip, "more than 500 bytes",
        "zip bomb");
    fails(() -> SafeZip.inspect(zip, 1 << 20, 2), "refusing " + zip, "more than 2 entries");
    assertEquals(3, SafeZip.inspect(zip, 1 << 20, 3).size());
  }

  @Test
  void refusesArchivesThatUnderstateTheirSize() throws IOException {
    Path zip = Fixtures.zipOf(work.resolve("liar.zip"), List.of(
        Map.entry("rdf.yaml", "y".repeat(100_000))));
    // patch the central directory so that the entry claims 10 uncompressed bytes
    byte[] b = Files.readAllBytes(zip);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int cen = -1;
    for (int i = 0; i + 4 <= b.length; i++) {
      if (bb.getInt(i) == 0x02014b50) {
        cen = i;
      }
    }
    assertTrue(cen > 0);
    bb.putInt(cen + 24, 10);
    Files.write(zip, b);
    assertEquals(1, SafeZip.inspect(zip, 1000, 10).size()); // the declared size passes
    Path target = Files.createDirectories(work.resolve("out"));
    fails(() -> SafeZip.extract(zip, target, 1000, 10), "refusing " + zip, "more than 1000");
  }

  @Test
  void refusesFilesThatAreNotZips() throws IOException {
    Path text = Files.writeString(work.resolve("model.zip"), "this is no zip");
    fails(() -> ModelPackages.read(text), text, "is not a zip file");
    byte[] broken = {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8};
    Path corrupt = Files.write(work.resolve("broken.zip"), broken);
    fails(() -> ModelPackages.read(corrupt), corrupt, "not a readable zip file");
    assertEquals(List.of(), Fixtures.files(cache));
  }

  @Test
  void refusesZipsWithoutDescription() throws IOException {
    Path zip = Fixtures.zipOf(work.resolve("norf.zip"), List.of(
        Map.entry("weights.onnx", "w"), Map.entry("sub/readme.md", "r")));
    fails(() -> ModelPackages.read(zip), zip, "holds no rdf.yaml");
    Path two = Fixtures.zipOf(work.resolve("two.zip"), List.of(
        Map.entry("a/rdf.yaml", RdfErrorsTest.V04), Map.entry("b/x.txt", "x")));
    fails(() -> ModelPackages.read(two), two, "holds no rdf.yaml");
    Path deep = Fixtures.zipOf(work.resolve("deep.zip"), List.of(
        Map.entry("a/b/rdf.yaml", RdfErrorsTest.V04)));
    fails(() -> ModelPackages.read(deep), deep, "holds no rdf.yaml");
    assertEquals(List.of(), Fixtures.files(cache));
  }

  @Test
  void acceptsMacOsMetadataFolder() throws IOException {
    Path zip = Fixtures.zipOf(work.resolve("mac.zip"), List.of(
        Map.entry("pkg/rdf.yaml", RdfErrorsTest.V04), Map.entry("pkg/w.onnx", "w"),
        Map.entry("__MACOSX/pkg/._rdf.yaml", "junk")));
    ModelPackage p = ModelPackages.read(zip);
    assertEquals("pkg", p.root().getFileName().toString());
    assertTrue(p.root().startsWith(cache));
  }

  @Test
  void refusesUnsafeSavedModelZip() throws IOException {
    Path dir = Files.createDirectories(work.resolve("pkg"));
    Fixtures.zipOf(dir.resolve("tf.zip"), List.of(
        Map.entry("saved_model.pb", "g"), Map.entry("../../escape.txt", "x")));
    Files.writeString(dir.resolve("rdf.yaml"), RdfErrorsTest.V04.replace("onnx: {source: w.onnx}",
        "tensorflow_saved_model_bundle: {source: tf.zip}"));
    fails(() -> ModelPackages.read(dir), "refusing " + dir.resolve("tf.zip"), "../../escape.txt");
    assertEquals(List.of(), Fixtures.files(cache));
    assertFalse(Files.exists(work.resolve("escape.txt")));
    assertFalse(Files.exists(tmp.resolve("escape.txt")));

    Fixtures.zipOf(dir.resolve("tf.zip"), List.of(Map.entry("variables/v.index", "g")));
    fails(() -> ModelPackages.read(dir), dir.resolve("tf.zip"), "no saved_model.pb");
  }
}
