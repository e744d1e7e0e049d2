package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing and corrupt weights give one sentence that names the file. */
class BadModelFilesTest {

  @TempDir
  Path tmp;

  private Path garbage(String name) throws IOException {
    byte[] b = new byte[4096];
    new Random(3).nextBytes(b);
    return Files.write(tmp.resolve(name), b);
  }

  private static void assertSentence(FoveaException e, Path file) {
    String m = e.getMessage();
    assertTrue(m.contains(file.toString()), "message should name " + file + ": " + m);
    assertFalse(m.contains("\n"), "one line: " + m);
  }

  @Test
  void corruptOnnxFile() throws IOException {
    Path f = garbage("broken.onnx");
    FoveaException e = assertThrows(FoveaException.class,
        () -> Model.load(Zoo.resolve(f.toString()), null, "cpu").close());
    assertSentence(e, f);
  }

  @Test
  void corruptTorchScriptFile() throws IOException {
    Path f = garbage("broken.pt");
    FoveaException e = assertThrows(FoveaException.class,
        () -> Model.load(Zoo.resolve(f.toString()), null, "cpu").close());
    assertSentence(e, f);
  }

  @Test
  void savedModelFolderWithCorruptGraph() throws IOException {
    Path d = Files.createDirectories(tmp.resolve("savedmodel"));
    garbage("savedmodel/saved_model.pb");
    FoveaException e = assertThrows(FoveaException.class,
        () -> Model.load(Zoo.resolve(d.toString()), null, "cpu").close());
    assertSentence(e, d);
  }

  @Test
  void missingModel() {
    Path f = tmp.resolve("nothing-here.onnx");
    FoveaException e = assertThrows(FoveaException.class, () -> Zoo.resolve(f.toString()));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void packageWithMissingWeightsFile() throws IOException {
    Path pkg = copyPackage("nuclei-dilated");
    Files.delete(pkg.resolve("weights.onnx"));
    FoveaException e = assertThrows(FoveaException.class,
        () -> Model.load(Zoo.resolve(pkg.toString()), "onnx", "cpu").close());
    assertTrue(e.getMessage().contains("weights.onnx"), e.getMessage());
  }

  @Test
  void packageWithReplacedWeightsFile() throws IOException {
    Path pkg = copyPackage("nuclei-dilated");
    Files.write(pkg.resolve("weights.pt"), new byte[] {1, 2, 3});
    FoveaException e = assertThrows(FoveaException.class,
        () -> Model.load(Zoo.resolve(pkg.toString()), "pytorch", "cpu").close());
    assertTrue(e.getMessage().contains("weights.pt") && e.getMessage().contains("sha256"),
        e.getMessage());
  }

  @Test
  void gpuAskedButNotThere() {
    FoveaException e = assertThrows(FoveaException.class,
        () -> Model.load(Zoo.resolve("nuclei-dilated"), "onnx", "gpu").close());
    assertTrue(e.getMessage().contains("GPU"), e.getMessage());
  }

  private Path copyPackage(String name) throws IOException {
    return ShippedCopies.copy(name, tmp.resolve(name));
  }

}
