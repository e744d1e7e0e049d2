package org.fovea.models.pkg;

import static org.fovea.models.pkg.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reference_tensor} in descriptions of formats 0.4 and 0.5: the tensors each may name, and
 * one sentence naming the step and the field for every reference refused.
 */
class ReferenceTensorTest {

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

  private Path rdf(String text) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("p" + count++));
    Files.writeString(dir.resolve("w.onnx"), "placeholder");
    Files.writeString(dir.resolve("rdf.yaml"), text);
    return dir;
  }

  /** The description with a postprocessing list for its one output. */
  private static String post(String base, String steps) {
    return base.replace("weights:", "  postprocessing:\n" + steps + "weights:");
  }

  /** The description with a preprocessing list for its first input. */
  private static String pre(String base, String steps) {
    String first = base.startsWith("format_version: 0.4") ? "  shape: [1, 1, 8, 8]\n"
        : "  - {type: space, id: x, size: 8}\n";
    return base.replace(first, first + "  preprocessing:\n" + steps);
  }

  private ModelPackage read(String text) throws IOException {
    return ModelPackages.read(rdf(text));
  }

  private String bad(String text, Object... mustContain) throws IOException {
    Path dir = rdf(text);
    String m = fails(() -> ModelPackages.read(dir), mustContain);
    assertTrue(m.contains(dir.resolve("rdf.yaml").toString()), m);
    return m;
  }

  @Test
  void scaleMeanVarianceReadsIn04And05() throws IOException {
    ModelPackage p4 = read(post(RdfErrorsTest.V04, "  - name: scale_mean_variance\n"
        + "    kwargs: {mode: per_sample, reference_tensor: in, axes: xy, eps: 1.0e-6}\n"));
    ReferencingStep s4 = assertInstanceOf(ReferencingStep.class,
        p4.outputs().get(0).processing().get(0));
    assertEquals("scale_mean_variance", s4.kind());
    assertEquals("in", s4.reference());
    ModelPackage p5 = read(post(RdfErrorsTest.V05, "  - id: scale_mean_variance\n"
        + "    kwargs: {reference_tensor: in, axes: [y, x]}\n"));
    assertEquals("in", ((ReferencingStep) p5.outputs().get(0).processing().get(0)).reference());
  }

  @Test
  void format05LetsAnOutputNameAnOutputAnd04DoesNot() throws IOException {
    ModelPackage p = read(post(RdfErrorsTest.V05, "  - id: scale_range\n"
        + "    kwargs: {reference_tensor: out, axes: [y, x]}\n"));
    assertEquals("out", ((ReferencingStep) p.outputs().get(0).processing().get(0)).reference());
    String m = bad(post(RdfErrorsTest.V04, "  - name: scale_mean_variance\n"
        + "    kwargs: {mode: per_sample, reference_tensor: out}\n"),
        "(outputs[0].postprocessing[0], scale_mean_variance): kwarg 'reference_tensor' names"
            + " 'out', which is not an input of this model",
        "format 0.4", "[in]");
    assertTrue(m.endsWith("fix the kwargs of this step"), m);
  }

  @Test
  void anUnknownReferenceIsRefused() throws IOException {
    bad(post(RdfErrorsTest.V05, "  - id: scale_mean_variance\n"
        + "    kwargs: {reference_tensor: nope}\n"),
        "(outputs[0].postprocessing[0], scale_mean_variance): kwarg 'reference_tensor' names"
            + " 'nope', which is no tensor of this model", "[in]", "[out]");
    bad(post(RdfErrorsTest.V04, "  - name: scale_range\n"
        + "    kwargs: {mode: per_sample, axes: xy, reference_tensor: nope}\n"),
        "kwarg 'reference_tensor' names 'nope', which is not an input");
  }

  @Test
  void anInputNormalizedByAnotherInputIsRefusedAndByItselfIsPlain() throws IOException {
    ModelPackage p = read(pre(RdfErrorsTest.V04, "  - name: scale_range\n"
        + "    kwargs: {mode: per_sample, axes: xy, reference_tensor: in}\n"));
    assertInstanceOf(NormalizeSteps.ScaleRange.class, p.inputs().get(0).processing().get(0));
    String two = RdfErrorsTest.V04.replace("outputs:",
        "- name: in2\n  axes: bcyx\n  shape: [1, 1, 8, 8]\noutputs:");
    String m = bad(pre(two, "  - name: scale_range\n"
        + "    kwargs: {mode: per_sample, axes: xy, reference_tensor: in2}\n"),
        "(inputs[0].preprocessing[0], scale_range): kwarg 'reference_tensor' names 'in2',"
            + " another input: Fovea normalizes an input with its own statistics only");
    assertTrue(m.endsWith("re-export the package without it"), m);
    bad(pre(RdfErrorsTest.V05, "  - id: scale_range\n    kwargs: {reference_tensor: out}\n"),
        "(inputs[0].preprocessing[0], scale_range): kwarg 'reference_tensor' names 'out',"
            + " which is not an input of this model");
  }

  @Test
  void scaleMeanVarianceIsRefusedInPreprocessing() throws IOException {
    bad(pre(RdfErrorsTest.V05, "  - id: scale_mean_variance\n"
        + "    kwargs: {reference_tensor: in}\n"),
        "(inputs[0].preprocessing[0], scale_mean_variance) is in a preprocessing list, but"
            + " formats 0.4 and 0.5 allow 'scale_mean_variance' only in an output's"
            + " postprocessing");
  }

  @Test
  void badKwargsInADescriptionNameTheField() throws IOException {
    bad(post(RdfErrorsTest.V05, "  - id: scale_mean_variance\n    kwargs: {eps: 0.01}\n"),
        "(outputs[0].postprocessing[0], scale_mean_variance): kwarg 'reference_tensor' is"
            + " missing");
    bad(post(RdfErrorsTest.V05, "  - id: scale_mean_variance\n"
        + "    kwargs: {reference_tensor: in, eps: -1.0e-6}\n"),
        "(outputs[0].postprocessing[0], scale_mean_variance): kwarg 'eps' is -1.0E-6");
  }
}
