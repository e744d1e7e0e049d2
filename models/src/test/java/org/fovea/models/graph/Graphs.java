package org.fovea.models.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fovea.models.engine.Engines;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.Layer;
import org.fovea.ops.rf.LayerField;
import org.fovea.ops.rf.LayerKind;
import org.fovea.ops.rf.ReceptiveFields;

/** Test helper: the fixtures of src/test/resources/graphs (made by make_graphs.py). */
final class Graphs {

  private Graphs() {}

  static Path file(String name) {
    try {
      return Path.of(Graphs.class.getResource("/graphs/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ModelGraph onnx(String name) {
    return OnnxLayers.read(file(name + ".onnx"));
  }

  static FieldReport analyze(ModelGraph g, long... size) {
    return ReceptiveFields.analyze(g.graph(), size);
  }

  /** @return the layer a classifier's first global layer (pooling or flatten) reads */
  static LayerField featureMap(ModelGraph g, FieldReport r) {
    for (Layer l : g.graph().layers()) {
      if (l.kind() == LayerKind.GLOBAL) {
        return r.layer(l.inputs().get(0));
      }
    }
    throw new AssertionError("no global layer in " + g.file());
  }

  /** @return one number of measured.json's entry for a network */
  static long measured(String net, String key) {
    try {
      String json = Files.readString(file("measured.json"));
      Matcher m = Pattern.compile("\"" + Pattern.quote(net) + "\": \\{([^}]*)\\}").matcher(json);
      if (!m.find()) {
        throw new AssertionError("measured.json has no " + net);
      }
      Matcher v = Pattern.compile("\"" + key + "\": (-?\\d+)").matcher(m.group(1));
      if (!v.find()) {
        throw new AssertionError("measured.json's " + net + " has no " + key);
      }
      return Long.parseLong(v.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return an ONNX Runtime network of a fixture with one bcyx input and output */
  static Network ort(String name) {
    return Engines.byName("onnxruntime").load(file(name + ".onnx"),
        List.of(TensorSpec.input("input", "bcyx", new long[] {1, 1, 1, 1},
            new long[] {0, 0, 1, 1})),
        List.of(TensorSpec.output("output", "bcyx", "input", new double[] {1, 1, 1, 1},
            new long[4], new long[4])), "cpu");
  }
}
