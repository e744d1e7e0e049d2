package org.fovea.models.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axis;
import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.EmpiricalReach;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.ReceptiveFields;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every shipped model: the analytic halo equals the reach measured by perturbation on each engine
 * that runs it, and the reach that models/training/export.py measured (with positive weights, in
 * PyTorch) and wrote into the package; the graphs of all weight formats agree.
 */
class ZooReachTest {

  /** What export.py measured for the demo models; other shipped models are checked against rdf. */
  private static final Map<String, long[]> KNOWN = Map.of("nuclei-dilated", new long[] {34, 34},
      "nuclei-unet", new long[] {23, 23});

  static Stream<String> shipped() {
    List<String> names = Zoo.list().stream().filter(e -> e.origin() == Zoo.Origin.SHIPPED)
        .filter(e -> Files.isRegularFile(e.path().resolve("rdf.yaml"))).map(Zoo.Entry::name)
        .toList();
    assertFalse(names.isEmpty(), "no shipped models under " + Zoo.shippedFolder());
    return names.stream();
  }

  private static long[] halo(FieldReport r, boolean before) {
    return r.output().axes().stream().mapToLong(before ? AxisField::reachBefore
        : AxisField::reachAfter).toArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void analyticHaloEqualsMeasuredReachOnEveryEngine(String name) throws IOException {
    ModelPackage p = Zoo.resolve(name);
    FieldReport r = ReceptiveFields.analyze(ModelGraphs.of(p, WeightFormat.ONNX).graph(),
        new long[] {256, 256});
    long[] before = halo(r, true);
    long[] after = halo(r, false);
    long[] rdf = rdfReach(p);
    if (KNOWN.containsKey(name)) {
      assertArrayEquals(KNOWN.get(name), new long[] {before[1], after[1]}, name);
    }
    if (rdf != null) {
      assertArrayEquals(rdf, new long[] {before[1], after[1]}, name + " vs rdf.yaml");
    }
    int y = p.outputs().get(0).spec().axes().indexOf(Axis.Y);
    // a halo is in output pixels: S input pixels each for an output of scale 1/S
    var out = p.outputs().get(0).spec();
    long s = out.reference() == null ? 1 : Math.round(1 / out.scale()[y]);
    assertEquals((Math.max(before[0], after[0]) + s - 1) / s, out.halo()[y],
        name + " declared halo");
    for (String engine : List.of("onnxruntime", "pytorch", "tensorflow")) {
      try (Model m = Model.load(p, engine, "cpu")) {
        EmpiricalReach.Reach e = EmpiricalReach.measure(m.network());
        assertFalse(e.clipped());
        assertArrayEquals(before, e.before(), name + " before on " + engine);
        assertArrayEquals(after, e.after(), name + " after on " + engine);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void everyWeightFormatGivesTheSameField(String name) {
    ModelPackage p = Zoo.resolve(name);
    long[] size = {256, 256};
    AxisField onnx = ReceptiveFields.analyze(ModelGraphs.of(p, WeightFormat.ONNX).graph(), size)
        .output().axis(1);
    ModelGraph tf = ModelGraphs.of(p, WeightFormat.TENSORFLOW_SAVED_MODEL);
    AxisField saved = ReceptiveFields.analyze(tf.graph(), size).output().axis(1);
    assertEquals(onnx, saved, name + ": ONNX vs SavedModel");
    ModelGraph ts = ModelGraphs.of(p, WeightFormat.TORCHSCRIPT);
    assertTrue(ts.note().contains("ONNX export of the same weights"), ts.note());
    assertEquals(onnx, ReceptiveFields.analyze(ts.graph(), size).output().axis(1));
  }

  @SuppressWarnings("unchecked")
  private static long[] rdfReach(ModelPackage p) throws IOException {
    Path rdf = Files.isDirectory(p.source()) ? p.source().resolve("rdf.yaml") : p.source();
    try (Reader in = Files.newBufferedReader(rdf)) {
      Map<String, Object> y = new Yaml().load(in);
      Object c = y.get("config");
      Object f = c instanceof Map<?, ?> m ? m.get("fovea") : null;
      Object reach = f instanceof Map<?, ?> m ? m.get("receptive_field_reach") : null;
      if (!(reach instanceof List<?> l) || l.size() != 2) {
        return null;
      }
      return new long[] {((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue()};
    }
  }
}
