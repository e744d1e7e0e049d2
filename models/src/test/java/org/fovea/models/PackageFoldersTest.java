package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package folder is found by its description whatever the spec lets it be called: {@code
 * rdf.yaml} (0.4), {@code bioimageio.yaml} or {@code NAME.bioimageio.yaml} (0.5).
 */
class PackageFoldersTest {

  @TempDir
  Path tmp;

  /** The shipped package copied, its rdf.yaml renamed (or copied) to the given names. */
  private Path copy(String folder, String... descriptions) throws IOException {
    Path dst = ShippedCopies.copy("nuclei-dilated", tmp.resolve(folder));
    for (String d : descriptions) {
      Files.copy(dst.resolve("rdf.yaml"), dst.resolve(d));
    }
    Files.delete(dst.resolve("rdf.yaml"));
    return dst;
  }

  @Test
  void aFolderWhoseDescriptionIsBioimageioYamlIsAPackage() throws IOException {
    for (String name : new String[] {"bioimageio.yaml", "nuclei.bioimageio.yaml"}) {
      Path pkg = copy(name.replace('.', '-'), name);
      ModelPackage p = Zoo.resolve(pkg.toString());
      assertEquals("nuclei-dilated", p.name(), name);
      try (Model m = Model.load(p, "onnx", "cpu")) {
        assertEquals("onnxruntime", m.network().engine(), name);
      }
    }
  }

  @Test
  void severalDescriptionsInOneFolderAskWhichAndTheNamedOneIsRead() throws IOException {
    Path pkg = copy("two", "a.bioimageio.yaml", "b.bioimageio.yaml");
    FoveaException e = assertThrows(FoveaException.class, () -> Zoo.resolve(pkg.toString()));
    assertEquals(pkg + " holds several model descriptions [a.bioimageio.yaml, b.bioimageio.yaml];"
        + " keep one (or name the one to use, such as a.bioimageio.yaml)", e.getMessage());
    assertTrue(Zoo.resolve(pkg.resolve("b.bioimageio.yaml").toString()).name()
        .equals("nuclei-dilated"));
  }

  @Test
  void weightsNoEngineRunsAreRefusedWithTheExportRoute() throws IOException {
    for (String[] c : new String[][] {
        {"pytorch_state_dict", "torch.onnx.export"},
        {"keras_hdf5", "SavedModel"},
        {"tensorflow_js", "browser"}}) {
      Path dir = Files.createDirectories(tmp.resolve(c[0]));
      Files.writeString(dir.resolve("w.bin"), "placeholder");
      Files.writeString(dir.resolve("rdf.yaml"), """
          format_version: 0.4.10
          type: model
          name: only-%s
          inputs:
          - name: in
            axes: bcyx
            data_type: float32
            shape: [1, 1, 8, 8]
          outputs:
          - name: out
            axes: bcyx
            data_type: float32
            shape: {reference_tensor: in, scale: [1, 1, 1, 1], offset: [0, 0, 0, 0]}
          weights:
            %s: {source: w.bin}
          """.formatted(c[0], c[0]));
      ModelPackage p = Zoo.resolve(dir.toString());
      FoveaException e = assertThrows(FoveaException.class, () -> Model.load(p, null, "cpu"));
      assertTrue(e.getMessage().startsWith("model 'only-" + c[0] + "' (" + dir
          + ") has only " + c[0] + " weights, which no engine runs outside Python: "),
          e.getMessage());
      assertTrue(e.getMessage().contains(c[1]) && !e.getMessage().contains("\n"), e.getMessage());
    }
  }
}
