package org.fovea.models.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the 0.4 and 0.5 fixture packages from folders, rdf files and zips. */
class ModelPackagesTest {

  @TempDir Path tmp;
  private Path cache;

  @BeforeEach
  void cache() {
    cache = tmp.resolve("cache");
    System.setProperty("fovea.cache", cache.toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty("fovea.cache");
  }

  private static List<String> kinds(TensorDescription d) {
    return d.processing().stream().map(ProcessingStep::kind).toList();
  }

  @Test
  void readsFormat04() {
    Path dir = Fixtures.resource("v04");
    ModelPackage p = ModelPackages.read(dir);
    assertEquals(dir, p.root());
    assertEquals(dir, p.source());
    assertEquals("Tiny UNet 0.4", p.name());
    assertEquals("A tiny fixture model in format 0.4.", p.description());
    assertEquals("0.4.10", p.formatVersion());

    assertEquals(1, p.inputs().size());
    TensorDescription in = p.inputs().get(0);
    TensorSpec s = in.spec();
    assertEquals("raw", s.name());
    assertEquals(Axes.of("bcyx"), s.axes());
    assertArrayEquals(new long[] {1, 1, 16, 16}, s.min());
    assertArrayEquals(new long[] {0, 0, 8, 8}, s.step());
    assertArrayEquals(new long[4], s.halo());
    assertNull(s.reference());
    assertEquals(List.of(), in.channelNames());
    assertEquals(List.of("scale_range", "zero_mean_unit_variance"), kinds(in));
    NormalizeSteps.ScaleRange sr = (NormalizeSteps.ScaleRange) in.processing().get(0);
    assertEquals(Set.of(Axis.X, Axis.Y), sr.reduce());
    assertEquals(1.0, sr.minPercentile());
    assertEquals(99.8, sr.maxPercentile());
    assertEquals(1e-6, sr.eps());
    NormalizeSteps.FixedZeroMeanUnitVariance z =
        (NormalizeSteps.FixedZeroMeanUnitVariance) in.processing().get(1);
    assertArrayEquals(new double[] {0.5}, z.mean().values());
    assertArrayEquals(new double[] {2.0}, z.std().values());

    assertEquals(2, p.outputs().size());
    TensorSpec probs = p.outputs().get(0).spec();
    assertEquals("probs", probs.name());
    assertEquals(Axes.of("bcyx"), probs.axes());
    assertEquals("raw", probs.reference());
    // 0.4: size = in * scale + 2 * offset; a null scale is a new axis of size 2 * offset
    assertArrayEquals(new double[] {1, 0, 0.5, 0.5}, probs.scale());
    assertArrayEquals(new long[] {0, 3, 0, -3}, probs.offset());
    assertArrayEquals(new long[] {0, 3, 0, 0}, probs.min());
    assertArrayEquals(new long[] {0, 0, 4, 2}, probs.halo());
    assertEquals(List.of("sigmoid"), kinds(p.outputs().get(0)));
    TensorSpec classes = p.outputs().get(1).spec();
    assertEquals(Axes.of("bci"), classes.axes());
    assertNull(classes.reference());
    assertArrayEquals(new long[] {1, 3, 10}, classes.min());
    assertArrayEquals(new long[3], classes.step());
    assertEquals(List.of(), p.outputs().get(1).processing());

    assertEquals(Map.of(WeightFormat.ONNX, dir.resolve("weights.onnx"),
        WeightFormat.TORCHSCRIPT, dir.resolve("torchscript/model.pt")), p.weights());
    assertEquals(List.of("pytorch_state_dict"), p.otherWeights());
    assertEquals(List.of(dir.resolve("test_input.npy")), p.testInputs());
    assertEquals(List.of(dir.resolve("test_output_probs.npy"),
        dir.resolve("test_output_classes.npy")), p.testOutputs());

    Tensor t = Npy.read(p.testInputs().get(0), s.axes());
    assertEquals(null, s.checkShape(t.shape()));
  }

  @Test
  void readsTheReproducibilityTolerancesOf05WithTheSpecDefaults() throws Exception {
    Path dir = Fixtures.copy(Fixtures.resource("v05"), tmp.resolve("tol"));
    Files.writeString(dir.resolve("rdf.yaml"), Files.readString(dir.resolve("rdf.yaml"))
        + "config:\n  bioimageio:\n    reproducibility_tolerance:\n"
        + "      - {relative_tolerance: 0.01, absolute_tolerance: 0.0001,"
        + " mismatched_elements_per_million: 5, output_ids: [probs],"
        + " weights_formats: [onnx]}\n"
        + "      - {}\n");
    ModelPackage p = ModelPackages.read(dir.resolve("rdf.yaml"));
    assertEquals(2, p.tolerances().size());
    ReproducibilityTolerance a = p.tolerances().get(0);
    assertEquals(0.01, a.relative());
    assertEquals(1e-4, a.absolute());
    assertEquals(5, a.mismatchedPerMillion());
    assertTrue(a.appliesTo("probs", WeightFormat.ONNX));
    assertFalse(a.appliesTo("probs", WeightFormat.TORCHSCRIPT));
    assertFalse(a.appliesTo("classes", WeightFormat.ONNX));
    ReproducibilityTolerance b = p.tolerances().get(1); // the spec's defaults
    assertEquals(1e-3, b.relative());
    assertEquals(1e-3, b.absolute());
    assertEquals(100, b.mismatchedPerMillion());
    assertTrue(b.appliesTo("anything", WeightFormat.TORCHSCRIPT));
    assertEquals(List.of(), ModelPackages.read(Fixtures.resource("v05").resolve("rdf.yaml"))
        .tolerances());
  }

  @Test
  void readsFormat05() {
    Path dir = Fixtures.resource("v05");
    ModelPackage p = ModelPackages.read(dir.resolve("rdf.yaml"));
    assertEquals(dir, p.root());
    assertEquals(dir.resolve("rdf.yaml"), p.source());
    assertEquals("Tiny UNet 0.5", p.name());
    assertEquals("A 0.5 fixture: two inputs, two outputs.", p.description());
    assertEquals("0.5.3", p.formatVersion());

    TensorDescription raw = p.input("raw");
    assertEquals(Axes.of("bcyx"), raw.spec().axes());
    assertArrayEquals(new long[] {1, 1, 32, 32}, raw.spec().min());
    assertArrayEquals(new long[] {1, 0, 16, 16}, raw.spec().step());
    assertEquals(List.of("dapi"), raw.channelNames());
    assertEquals(List.of("ensure_dtype", "zero_mean_unit_variance"), kinds(raw));
    NormalizeSteps.ZeroMeanUnitVariance z =
        (NormalizeSteps.ZeroMeanUnitVariance) raw.processing().get(1);
    assertEquals(Set.of(Axis.X, Axis.Y), z.reduce());
    assertEquals(1e-6, z.eps()); // written 1e-6, which YAML 1.1 reads as text

    TensorSpec mask = p.inputs().get(1).spec();
    assertEquals("mask", mask.name());
    assertEquals(Axes.of("byx"), mask.axes());
    assertArrayEquals(new long[] {1, 32, 34}, mask.min()); // follows raw, x with offset 2
    assertArrayEquals(new long[] {1, 16, 16}, mask.step());

    TensorDescription probs = p.output("probs");
    TensorSpec ps = probs.spec();
    assertEquals(Axes.of("bcyx"), ps.axes());
    assertEquals("raw", ps.reference());
    // y: raw's pixel size 0.5 over probs' 0.25 gives scale 2; x: offset -4; c: 2 names, fixed
    assertArrayEquals(new double[] {1, 0, 2, 1}, ps.scale());
    assertArrayEquals(new long[] {0, 2, 0, -4}, ps.offset());
    assertArrayEquals(new long[] {1, 2, 0, 0}, ps.min());
    assertArrayEquals(new long[] {0, 0, 8, 4}, ps.halo());
    assertEquals(List.of("background", "foreground"), probs.channelNames());
    assertEquals(new SimpleSteps.Softmax(Axis.CHANNEL), probs.processing().get(0));

    TensorSpec counts = p.output("counts").spec();
    assertEquals(Axes.of("bi"), counts.axes());
    assertNull(counts.reference());
    assertArrayEquals(new long[] {1, 5}, counts.min());
    assertArrayEquals(new long[] {1, 0}, counts.step());

    assertEquals(Map.of(WeightFormat.ONNX, dir.resolve("model.onnx"),
        WeightFormat.TENSORFLOW_SAVED_MODEL, dir.resolve("tf_model")), p.weights());
    assertEquals(List.of("keras_hdf5"), p.otherWeights());
    assertEquals(List.of(dir.resolve("raw.npy"), dir.resolve("mask.npy")), p.testInputs());
    assertEquals(List.of(dir.resolve("probs.npy"), dir.resolve("counts.npy")), p.testOutputs());
    assertEquals(null, mask.checkShape(Npy.read(p.testInputs().get(1), mask.axes()).shape()));
  }

  @Test
  void readsZipWithTopFolderIntoTheCacheAndReusesIt() throws IOException {
    Path zip = Fixtures.zip(Fixtures.resource("v05"), tmp.resolve("tiny.zip"), "tiny-0.5/");
    ModelPackage p = ModelPackages.read(zip);
    String hash = Digests.sha256(zip).substring(0, 16);
    Path extracted = cache.resolve("packages").resolve(hash);
    assertEquals(extracted.resolve("tiny-0.5"), p.root());
    assertEquals(zip, p.source());
    assertEquals("Tiny UNet 0.5", p.name());
    assertEquals(extracted.resolve("tiny-0.5/model.onnx"), p.weights().get(WeightFormat.ONNX));
    assertTrue(Files.isRegularFile(p.testInputs().get(0)));
    // no temporary folder is left behind
    try (var s = Files.list(cache.resolve("packages"))) {
      assertEquals(List.of(extracted), s.toList());
    }
    // a second read reuses the extracted folder: a file added there survives
    Path marker = Files.writeString(extracted.resolve("marker"), "kept");
    ModelPackage again = ModelPackages.read(zip);
    assertEquals(p.root(), again.root());
    assertTrue(Files.exists(marker));
  }

  @Test
  void readsZipWithRdfAtTheTop() throws IOException {
    Path zip = Fixtures.zip(Fixtures.resource("v04"), tmp.resolve("flat.zip"), "");
    ModelPackage p = ModelPackages.read(zip);
    assertEquals(cache.resolve("packages").resolve(Digests.sha256(zip).substring(0, 16)),
        p.root());
    assertEquals("0.4.10", p.formatVersion());
    assertEquals(p.root().resolve("torchscript/model.pt"), p.weights().get(WeightFormat.TORCHSCRIPT));
  }

  @Test
  void findsBioimageioYamlAndSingleSubfolder() throws IOException {
    Path outer = Files.createDirectories(tmp.resolve("outer"));
    Path inner = Fixtures.copy(Fixtures.resource("v04"), outer.resolve("inner"));
    Files.move(inner.resolve("rdf.yaml"), inner.resolve("tiny.bioimageio.yaml"));
    ModelPackage p = ModelPackages.read(outer);
    assertEquals(inner, p.root());
    assertEquals(outer, p.source());
    assertEquals("Tiny UNet 0.4", p.name());
  }

  @Test
  void readsZippedSavedModelWeights() throws IOException {
    Path dir = Fixtures.copy(Fixtures.resource("v05"), tmp.resolve("pkg"));
    Path tfZip = Fixtures.zipOf(dir.resolve("tf.zip"), List.of(
        Map.entry("export/saved_model.pb", "graph"),
        Map.entry("export/variables/variables.index", "index")));
    String sha = Digests.sha256(tfZip);
    Path rdf = dir.resolve("rdf.yaml");
    Files.writeString(rdf, Files.readString(rdf).replace(
        "{source: tf_model, tensorflow_version: '2.15'}",
        "{source: tf.zip, sha256: " + sha + "}"));
    ModelPackage p = ModelPackages.read(dir);
    Path tf = p.weights().get(WeightFormat.TENSORFLOW_SAVED_MODEL);
    assertEquals(cache.resolve("packages").resolve(sha.substring(0, 16)).resolve("export"), tf);
    assertEquals("graph", Files.readString(tf.resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(tf.resolve("variables/variables.index")));
  }

  @Test
  void bareModel() throws IOException {
    Path onnx = Files.writeString(tmp.resolve("net.onnx"), "placeholder");
    ProcessingStep pre = Processing.of("scale_range", Map.of("axes", "xy"), Axes.of("bcyx"));
    ModelPackage p = ModelPackages.bare(onnx, null, Axes.of("bcyx"), new long[] {1, 1, 32, 32},
        new long[] {0, 0, 16, 16}, Axes.of("bcyx"), List.of(pre));
    assertEquals(Map.of(WeightFormat.ONNX, onnx), p.weights());
    assertEquals("net.onnx", p.name());
    assertEquals(tmp, p.root());
    assertEquals("", p.formatVersion());
    TensorSpec in = p.inputs().get(0).spec();
    assertArrayEquals(new long[] {1, 1, 32, 32}, in.min());
    assertArrayEquals(new long[] {0, 0, 16, 16}, in.step());
    assertEquals(List.of(pre), p.inputs().get(0).processing());
    TensorSpec out = p.outputs().get(0).spec();
    assertEquals(in.name(), out.reference());
    assertArrayEquals(new double[] {1, 1, 1, 1}, out.scale());
    assertArrayEquals(new long[4], out.offset());
    assertTrue(p.testInputs().isEmpty());
    assertFalse(p.weights().containsKey(WeightFormat.TORCHSCRIPT));

    Path pt = Files.writeString(tmp.resolve("net.pt"), "placeholder");
    ModelPackage q = ModelPackages.bare(pt, WeightFormat.TORCHSCRIPT, Axes.of("cyx"),
        new long[] {1, 8, 8}, new long[] {0, 8, 8}, Axes.of("bcyx"), null);
    assertEquals(Map.of(WeightFormat.TORCHSCRIPT, pt), q.weights());
    // an output axis the input lacks gets size 1
    assertArrayEquals(new long[] {1, 0, 0, 0}, q.outputs().get(0).spec().min());
    Fixtures.fails(() -> ModelPackages.bare(pt, null, Axes.of("yx"), new long[] {8},
        new long[] {8}, Axes.of("yx"), null), pt, "one minimum and one step per axis");
    Path missing = tmp.resolve("none.onnx");
    Fixtures.fails(() -> ModelPackages.bare(missing, null, Axes.of("yx"), new long[] {8, 8},
        new long[] {8, 8}, Axes.of("yx"), null), missing, "does not exist");
  }

  @Test
  void descriptionIsUsableForProcessing() {
    ModelPackage p = ModelPackages.read(Fixtures.resource("v04"));
    Tensor t = Npy.read(p.testInputs().get(0), p.inputs().get(0).spec().axes());
    Processing.applyAll(p.inputs().get(0).processing(), t);
    // scale_range then (x - 0.5) / 2: the 1st..99.8th percentile range maps to -0.25..0.25
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (float v : t.data()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertTrue(min < -0.25 + 0.01 && min > -0.3, "min " + min);
    assertTrue(max > 0.25 - 0.01 && max < 0.3, "max " + max);
    assertInstanceOf(SimpleSteps.Sigmoid.class, p.outputs().get(0).processing().get(0));
  }
}
