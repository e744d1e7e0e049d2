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

  /** 256 px per axis of a 2D model; a 3D model's z axis 48 (its receptive field is shallower). */
  private static long[] size(ModelPackage p) {
    int spatial = p.inputs().get(0).spec().axes().size() - 2;
    return spatial == 3 ? new long[] {48, 256, 256} : new long[] {256, 256};
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
        size(p));
    long[] before = halo(r, true);
    long[] after = halo(r, false);
    long[] rdf = rdfReach(p);
    int last = before.length - 1;
    if (KNOWN.containsKey(name)) {
      assertArrayEquals(KNOWN.get(name), new long[] {before[last], after[last]}, name);
    }
    if (rdf != null && rdf.length == 2) {
      assertArrayEquals(rdf, new long[] {before[last], after[last]}, name + " vs rdf.yaml");
    } else if (rdf != null) {
      // a 3D package lists one (symmetric) reach per axis, z first
      assertArrayEquals(rdf, before, name + " vs rdf.yaml");
      assertArrayEquals(rdf, after, name + " vs rdf.yaml");
    }
    int y = p.outputs().get(0).spec().axes().indexOf(Axis.Y);
    // a halo is in output pixels: S input pixels each for an output of scale 1/S
    var out = p.outputs().get(0).spec();
    long s = out.reference() == null ? 1 : Math.round(1 / out.scale()[y]);
    int ry = last - 1; // the reach arrays hold the spatial axes, y before x
    assertEquals((Math.max(before[ry], after[ry]) + s - 1) / s, out.halo()[y],
        name + " declared halo");
    for (String engine : List.of("onnxruntime", "pytorch", "tensorflow")) {
      if (engine.equals("tensorflow")
          && !p.weights().containsKey(WeightFormat.TENSORFLOW_SAVED_MODEL)) {
        continue; // the 3D model ships ONNX and TorchScript only
      }
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
    long[] size = size(p);
    int last = size.length - 1;
    AxisField onnx = ReceptiveFields.analyze(ModelGraphs.of(p, WeightFormat.ONNX).graph(), size)
        .output().axis(last);
    if (p.weights().containsKey(WeightFormat.TENSORFLOW_SAVED_MODEL)) {
      ModelGraph tf = ModelGraphs.of(p, WeightFormat.TENSORFLOW_SAVED_MODEL);
      AxisField saved = ReceptiveFields.analyze(tf.graph(), size).output().axis(last);
      assertEquals(onnx, saved, name + ": ONNX vs SavedModel");
    }
    ModelGraph ts = ModelGraphs.of(p, WeightFormat.TORCHSCRIPT);
    assertTrue(ts.note().contains("ONNX export of the same weights"), ts.note());
    assertEquals(onnx, ReceptiveFields.analyze(ts.graph(), size).output().axis(last));
  }

  @SuppressWarnings("unchecked")
  private static long[] rdfReach(ModelPackage p) throws IOException {
    Path rdf = Files.isDirectory(p.source()) ? p.source().resolve("rdf.yaml") : p.source();
    try (Reader in = Files.newBufferedReader(rdf)) {
      Map<String, Object> y = new Yaml().load(in);
      Object c = y.get("config");
      Object f = c instanceof Map<?, ?> m ? m.get("fovea") : null;
      Object reach = f instanceof Map<?, ?> m ? m.get("receptive_field_reach") : null;
      if (!(reach instanceof List<?> l) || l.size() < 2 || l.size() > 3) {
        return null;
      }
      return l.stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }
  }
}
