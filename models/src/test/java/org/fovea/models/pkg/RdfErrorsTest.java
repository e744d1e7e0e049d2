package org.fovea.models.pkg;

import static org.fovea.models.pkg.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every invalid or unsafe description fails with a sentence that names the file. */
class RdfErrorsTest {

  static final String V04 = """
      format_version: 0.4.10
      type: model
      name: t
      inputs:
      - name: in
        axes: bcyx
        shape: [1, 1, 8, 8]
      outputs:
      - name: out
        axes: bcyx
        shape: {reference_tensor: in, scale: [1, 1, 1, 1], offset: [0, 0, 0, 0]}
      weights:
        onnx: {source: w.onnx}
      """;

  static final String V05 = """
      format_version: 0.5.3
      type: model
      name: t
      inputs:
      - id: in
        axes:
        - {type: batch}
        - {type: channel, channel_names: [a]}
        - {type: space, id: y, size: 8}
        - {type: space, id: x, size: 8}
      outputs:
      - id: out
        axes:
        - {type: batch}
        - {type: channel, channel_names: [a]}
        - {type: space, id: y, size: {tensor_id: in, axis_id: y}}
        - {type: space, id: x, size: {tensor_id: in, axis_id: x}}
      weights:
        onnx: {source: w.onnx}
      """;

  @TempDir Path tmp;
  private int count;

  @BeforeEach
  void cache() {
    System.setProperty("fovea.cache", tmp.resolve("cache").toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty("fovea.cache");
  }

  /** Writes a package folder with the given description and a placeholder w.onnx. */
  private Path rdf(String text) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("p" + count++));
    Files.writeString(dir.resolve("w.onnx"), "placeholder");
    return Files.writeString(dir.resolve("rdf.yaml"), text);
  }

  /** Reads a description that must fail; returns the message, which must name the file. */
  private String bad(String text, Object... mustContain) throws IOException {
    Path rdf = rdf(text);
    String m = fails(() -> ModelPackages.read(rdf.getParent()), mustContain);
    assertEquals(true, m.contains(rdf.toString()), () -> "message does not name " + rdf + ": " + m);
    return m;
  }

  @Test
  void basesAreValid() throws IOException {
    assertEquals("t", ModelPackages.read(rdf(V04)).name());
    assertEquals("t", ModelPackages.read(rdf(V05)).name());
  }

  @Test
  void refusesJavaTypeTags() throws IOException {
    bad("format_version: 0.4.10\nx: !!javax.script.ScriptEngineManager "
        + "[!!java.net.URLClassLoader [[!!java.net.URL [\"http://localhost/\"]]]]\n",
        "uses a YAML tag that constructs a Java type",
        "!!javax.script.ScriptEngineManager", "only plain YAML");
    bad(V04 + "extra: !custom value\n", "YAML tag", "!custom");
    bad(V04 + "extra: !!java.io.File [/tmp]\n", "java.io.File");
  }

  @Test
  void refusesAliasBombsAndRecursion() throws IOException {
    StringBuilder y = new StringBuilder("format_version: 0.4.10\na0: &a0 [x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 7; j++) {
        y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    bad(y.toString(), "unsafe YAML", "aliases");
    bad("format_version: 0.4.10\nr: &r [1, *r]\n", "recursive");
  }

  @Test
  void refusesInvalidYaml() throws IOException {
    bad("format_version: 0.4.10\ninputs: [\n  - a\n b: c", "not valid YAML", "line");
    bad(V04 + "name: twice\n", "not valid YAML", "duplicate key");
    bad("- just\n- a list\n", "map of fields");
    bad("", "empty");
  }

  @Test
  void refusesUnknownVersionsAndTypes() throws IOException {
    bad(V04.replace("0.4.10", "0.3.6"), "format_version", "0.3.6", "0.4.x and 0.5.x");
    bad(V04.replace("format_version: 0.4.10\n", ""), "'format_version'", "required");
    bad(V04.replace("type: model", "type: dataset"), "'dataset'", "not a model");
  }

  @Test
  void namesMissingFields() throws IOException {
    bad(V04.replace("inputs:", "inputz:"), "'inputs'", "required");
    bad(V04.replace("outputs:", "outputz:"), "'outputs'");
    bad(V04.replace("weights:", "weightz:"), "'weights'");
    bad(V04.replace("  axes: bcyx\n  shape: [1", "  shape: [1"), "'inputs[0].axes'");
    bad(V04.replace("  shape: [1, 1, 8, 8]\n", ""), "'inputs[0].shape'");
    bad(V04.replace("reference_tensor: in, ", ""), "'outputs[0].shape.reference_tensor'");
    bad(V04.replace("- name: in\n", "- nam: in\n"), "'inputs[0].name'");
    bad(V05.replace("- id: in\n  axes:", "- id: in\n  axez:"), "'inputs[0].axes'");
    bad(V05.replace("{type: space, id: y, size: 8}", "{type: space, id: y}"),
        "'inputs[0].axes[2].size'");
    bad(V05.replace("{type: channel, channel_names: [a]}\n  - {type: space, id: y, size: 8}",
        "{type: channel}\n  - {type: space, id: y, size: 8}"), "'inputs[0].axes[1].channel_names'");
    bad(V04.replace("  onnx: {source: w.onnx}", "  onnx: {sha256: abc}"), "'weights.onnx.source'");
  }

  @Test
  void refusesFieldsTheSpecDoesNotDefineInATensor() throws IOException {
    // a misspelt preprocessing would otherwise be ignored, and the normalization dropped
    bad(V04.replace("- name: in\n", "- name: in\n  preprocesing: []\n"),
        "'inputs[0].preprocesing'", "not a field", "spelling");
    bad(V05.replace("- id: out\n", "- id: out\n  post_processing: []\n"),
        "'outputs[0].post_processing'", "not a field");
  }

  @Test
  void tensorIdsDefaultToInputAndOutputAsTheSpecSays() throws IOException {
    // 0.5 (v0_5.py): an input's id defaults to "input", an output's to "output"
    Path rdf = rdf(V05.replace("- id: in\n  axes:", "- axes:")
        .replace("- id: out\n  axes:", "- axes:")
        .replace("tensor_id: in,", "tensor_id: input,"));
    ModelPackage p = ModelPackages.read(rdf.getParent());
    assertEquals("input", p.inputs().get(0).spec().name());
    assertEquals("output", p.outputs().get(0).spec().name());
    // two inputs without ids repeat the default, which the spec refuses as well
    String two = V05.replace("- id: in\n  axes:", "- axes:")
        .replace("tensor_id: in,", "tensor_id: input,")
        .replace("outputs:", """
        - axes:
          - {type: batch}
          - {type: space, id: y, size: 8}
          - {type: space, id: x, size: 8}
        outputs:""");
    bad(two, "'inputs[1].id'", "repeats the tensor id 'input'");
  }

  @Test
  void namesBadValues() throws IOException {
    bad(V05.replaceFirst("\\{type: batch\\}", "{type: batch, size: 2}"),
        "'inputs[0].axes[0].size'", "either free or fixed to 1");
    bad(V04.replace("axes: bcyx\n  shape: [1", "axes: bqyx\n  shape: [1"), "unknown axis letter 'q'");
    bad(V04.replace("shape: [1, 1, 8, 8]", "shape: [1, 1, 8]"), "'inputs[0].shape'", "3 entries");
    bad(V04.replace("shape: [1, 1, 8, 8]", "shape: [1, 1, 8, x]"), "'inputs[0].shape[3]'", "'x'");
    bad(V04.replace("reference_tensor: in", "reference_tensor: nope"), "'nope'", "not an input");
    bad(V04.replace("offset: [0, 0, 0, 0]", "offset: [0, 0, 0, 0.25]"), "multiple of 0.5");
    bad(V05.replace("- {type: batch}\n  - {type: channel, channel_names: [a]}\n  - {type: space, "
        + "id: y, size: 8}", "- {type: batch}\n  - {type: frequency}\n  - {type: space, id: y, "
        + "size: 8}"), "'frequency'", "batch, channel, index, time, space");
    bad(V05.replace("{type: space, id: y, size: 8}", "{type: space, id: w, size: 8}"),
        "'w'", "x, y and z");
    bad(V05.replace("{tensor_id: in, axis_id: y}", "{tensor_id: other, axis_id: y}"),
        "'other'", "not an input");
    bad(V05.replace("{tensor_id: in, axis_id: y}", "{tensor_id: in, axis_id: q}"),
        "axis 'q'");
    bad(V05.replace("{tensor_id: in, axis_id: y}", "{tensor_id: in, axis_id: x}"),
        "same kind");
    bad(V05.replace("{tensor_id: in, axis_id: y}", "{min: 1, max: 9}"), "data-dependent");
    bad(V05.replace("{type: space, id: y, size: 8}", "{type: space, id: x, size: 8}"),
        "repeats axis 'x'");
  }

  @Test
  void unknownProcessingNamesKindAndFile() throws IOException {
    String m = bad(V04.replace("  shape: [1, 1, 8, 8]\n", "  shape: [1, 1, 8, 8]\n"
        + "  preprocessing:\n  - name: frobnicate\n    kwargs: {}\n"),
        "'frobnicate'", "inputs[0].preprocessing[0]", "supported kinds are");
    for (String k : Processing.KINDS) {
      assertEquals(true, m.contains(k), k);
    }
    bad(V05.replace("{tensor_id: in, axis_id: x}}\n", "{tensor_id: in, axis_id: x}}\n"
        + "  postprocessing:\n  - id: scale_range\n    kwargs: {max_percentile: 200}\n"),
        "outputs[0].postprocessing[0]", "max_percentile", "200");
  }

  @Test
  void refusesUrlsAndFilesOutsideThePackage() throws IOException {
    bad(V04.replace("{source: w.onnx}", "{source: 'https://zenodo.org/w.onnx'}"),
        "https://zenodo.org/w.onnx", "never downloads", "inside the package");
    bad(V04 + "test_inputs: ['http://example.org/in.npy']\n", "never downloads", "test_inputs[0]");
    bad(V04.replace("{source: w.onnx}", "{source: ../w.onnx}"), "outside the package folder");
    bad(V04.replace("{source: w.onnx}", "{source: /etc/passwd}"), "outside the package folder");
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Path rdf = rdf(V04.replace("{source: w.onnx}", "{source: gone.onnx}"));
    fails(() -> ModelPackages.read(rdf), rdf.getParent().resolve("gone.onnx"), "does not exist",
        rdf);
    bad(V04 + "test_inputs: [in.npy]\n", "in.npy", "does not exist");
    bad(V04 + "test_inputs: [a.npy, b.npy]\n", "'test_inputs'", "2 files");
    bad(V05.replace("- id: out\n", "- id: out\n  test_tensor: {source: out.npy}\n"),
        "out.npy", "does not exist");
  }

  @Test
  void sha256Mismatch() throws IOException {
    String zeros = "ab".repeat(32);
    Path rdf = rdf(V04.replace("{source: w.onnx}", "{source: w.onnx, sha256: " + zeros + "}"));
    Path w = rdf.getParent().resolve("w.onnx");
    fails(() -> ModelPackages.read(rdf), "weights file " + w + " does not match the sha256 in "
        + "rdf.yaml", rdf, "expected " + zeros, "found " + Digests.sha256(w),
        "corrupt or was replaced", "re-download or re-export");
    // the right checksum, in upper case, is accepted
    Path ok = rdf(V04.replace("{source: w.onnx}",
        "{source: w.onnx, sha256: " + Digests.sha256(w).toUpperCase() + "}"));
    assertEquals("t", ModelPackages.read(ok).name());
  }

  @Test
  void badPaths() throws IOException {
    Path missing = tmp.resolve("nowhere");
    fails(() -> ModelPackages.read(missing), missing, "does not exist");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    fails(() -> ModelPackages.read(empty), empty, "holds no rdf.yaml");
  }
}
