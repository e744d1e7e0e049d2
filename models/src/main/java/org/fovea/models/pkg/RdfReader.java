package org.fovea.models.pkg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;

/** Reads a model description (format 0.4.x or 0.5.x) into a {@link ModelPackage}. */
final class RdfReader {

  private RdfReader() {}

  /**
   * @param rdf the description file, absolute
   * @param root the package folder, absolute
   * @param source what the user gave, absolute
   * @return the package
   * @throws FoveaException naming the file and field for anything invalid
   */
  static ModelPackage read(Path rdf, Path root, Path source) {
    Map<String, Object> y = SafeYaml.load(rdf);
    RdfFile f = new RdfFile(rdf, root);
    String version = f.text(f.req(y, "format_version", "format_version"), "format_version").trim();
    Object type = y.get("type");
    if (type != null && !"model".equals(String.valueOf(type))) {
      throw new FoveaException(f.at() + " describes a '" + type + "', not a model; give the "
          + "description of a model package");
    }
    boolean v05;
    if (version.startsWith("0.5.") || version.equals("0.5")) {
      v05 = true;
    } else if (version.startsWith("0.4.") || version.equals("0.4")) {
      v05 = false;
    } else {
      throw f.bad("format_version", "is '" + version + "', which Fovea does not read (it reads "
          + "0.4.x and 0.5.x), so update the package with bioimageio.spec's update_format");
    }
    String name = y.get("name") == null ? root.getFileName().toString()
        : f.text(y.get("name"), "name");
    String description = y.get("description") == null ? ""
        : f.text(y.get("description"), "description").trim();
    List<Object> rawIn = nonEmpty(f, y, "inputs");
    List<Object> rawOut = nonEmpty(f, y, "outputs");
    List<TensorDescription> inputs;
    List<TensorDescription> outputs;
    List<Path> testIn;
    List<Path> testOut;
    if (v05) {
      Tensors05.Result in = Tensors05.inputs(f, rawIn);
      Tensors05.Result out = Tensors05.outputs(f, rawOut, in.raw());
      inputs = in.tensors();
      outputs = out.tensors();
      testIn = in.tests();
      testOut = out.tests();
    } else {
      inputs = Tensors04.inputs(f, rawIn);
      outputs = Tensors04.outputs(f, rawOut, inputs);
      testIn = tests04(f, y, "test_inputs", inputs.size());
      testOut = tests04(f, y, "test_outputs", outputs.size());
    }
    // tensor names are unique across inputs and outputs (the spec's own validation of both
    // formats): tensors are fed and fetched by name
    java.util.Set<String> names = new java.util.HashSet<>();
    List<TensorDescription> all = concat(inputs, outputs);
    for (int i = 0; i < all.size(); i++) {
      String t = all.get(i).name();
      if (!names.add(t)) {
        String field = (i < inputs.size() ? "inputs[" + i : "outputs[" + (i - inputs.size()))
            + "]." + (v05 ? "id" : "name");
        throw f.bad(field, "is '" + t + "', which an earlier tensor already has (inputs and"
            + " outputs need distinct " + (v05 ? "ids" : "names") + ")");
      }
    }
    inputs = References.check(f, inputs, outputs, v05);
    Map<String, Object> w = f.map(f.req(y, "weights", "weights"), "weights");
    // a parent names the entry these weights were converted from: another entry of the package
    // (the spec's check in both formats)
    for (Map.Entry<String, Object> e : w.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m && m.get("parent") != null) {
        String parent = String.valueOf(m.get("parent"));
        String field = "weights." + e.getKey() + ".parent";
        if (parent.equals(String.valueOf(e.getKey()))) {
          throw f.bad(field, "names the entry itself; name the weights format these were"
              + " converted from, or leave parent out");
        }
        if (!w.containsKey(parent) || w.get(parent) == null) {
          throw f.bad(field, "is '" + parent + "', which is not one of the package's weights"
              + " entries " + w.keySet());
        }
      }
    }
    Map<WeightFormat, Path> weights = new EnumMap<>(WeightFormat.class);
    List<String> other = new ArrayList<>();
    for (Map.Entry<String, Object> e : w.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (e.getValue() == null) {
        continue;
      }
      WeightFormat fmt = WeightFormat.fromKey(key);
      if (fmt == null) {
        other.add(key);
        continue;
      }
      String field = "weights." + key;
      Path p = fileWithSha(f, f.map(e.getValue(), field), field, "weights file");
      weights.put(fmt, fmt == WeightFormat.TENSORFLOW_SAVED_MODEL ? savedModel(p, f.at()) : p);
    }
    if (weights.isEmpty() && other.isEmpty()) {
      throw f.bad("weights", "lists no weights");
    }
    List<ReproducibilityTolerance> tolerances = v05
        ? ReproducibilityTolerance.parse(f, y.get("config")) : List.of();
    return new ModelPackage(root, source, name, description, version, inputs, outputs, weights,
        other, testIn, testOut, tolerances);
  }

  private static List<TensorDescription> concat(List<TensorDescription> a,
      List<TensorDescription> b) {
    List<TensorDescription> r = new ArrayList<>(a);
    r.addAll(b);
    return r;
  }

  private static List<Object> nonEmpty(RdfFile f, Map<String, Object> y, String key) {
    List<Object> l = f.list(f.req(y, key, key), key);
    if (l.isEmpty()) {
      throw f.bad(key, "is empty");
    }
    return l;
  }

  private static List<Path> tests04(RdfFile f, Map<String, Object> y, String key, int count) {
    if (y.get(key) == null) {
      return List.of();
    }
    List<Object> l = f.list(y.get(key), key);
    if (l.size() != count) {
      throw f.bad(key, "lists " + l.size() + " files but the model has " + count + " tensors");
    }
    List<Path> r = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      r.add(f.resolve(l.get(i), key + "[" + i + "]", "test tensor"));
    }
    return r;
  }

  /**
   * Resolves a file given as {@code {source, sha256}} (or as a bare source) and checks its
   * checksum when the description gives one and the source is a file.
   *
   * @param f the description
   * @param v the value
   * @param field its path
   * @param what how to call the file in messages
   * @return the absolute path
   */
  static Path fileWithSha(RdfFile f, Object v, String field, String what) {
    if (!(v instanceof Map<?, ?>)) {
      return f.resolve(v, field, what);
    }
    Map<String, Object> m = f.map(v, field);
    Path p = f.resolve(f.req(m, "source", field + ".source"), field + ".source", what);
    Object sha = m.get("sha256");
    if (sha != null && Files.isRegularFile(p)) {
      Digests.verify(p, f.text(sha, field + ".sha256"), what, f.file());
    }
    return p;
  }

  /**
   * @param p a SavedModel folder or a {@code .zip} of one
   * @param origin who names it, for messages
   * @return the folder holding {@code saved_model.pb}, extracted into the cache for a zip
   */
  static Path savedModel(Path p, String origin) {
    Path dir = p;
    if (Files.isRegularFile(p)) {
      if (!SafeZip.looksLikeZip(p)) {
        throw new FoveaException("the TensorFlow weights " + p + " named in " + origin + " are "
            + "neither a SavedModel folder nor a .zip of one; export the model with "
            + "tf.saved_model.save and zip the folder");
      }
      dir = PackageCache.extract(p, entries -> {
        if (!Layout.contains(entries, Layout::isSavedModel, p)) {
          throw new FoveaException(p + " named in " + origin + " holds no saved_model.pb at its "
              + "top or in a single top folder; zip the folder that tf.saved_model.save wrote");
        }
      });
    }
    Path pb = Layout.find(dir, Layout::isSavedModel);
    if (pb == null) {
      throw new FoveaException("the TensorFlow weights " + p + " named in " + origin + " hold no "
          + "saved_model.pb; give the folder that tf.saved_model.save wrote");
    }
    return pb.getParent();
  }

  /**
   * Reads a list of processing steps, as 0.4 ({@code name}) or 0.5 ({@code id}) gives them.
   *
   * @param f the description
   * @param raw the list, or null
   * @param field its path
   * @param axes the tensor's axes
   * @param ids the tensor's axis ids (format 0.5), or null
   * @return the steps
   */
  static List<ProcessingStep> steps(RdfFile f, Object raw, String field, Axes axes,
      Map<String, Axis> ids) {
    if (raw == null) {
      return List.of();
    }
    List<Object> l = f.list(raw, field);
    List<ProcessingStep> r = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      String sf = field + "[" + i + "]";
      Map<String, Object> m = f.map(l.get(i), sf);
      Object kind = m.get("id") != null ? m.get("id") : m.get("name");
      if (kind == null) {
        throw f.missing(sf + (ids == null ? ".name" : ".id"));
      }
      String k = f.text(kind, sf + ".id");
      Object kw = m.get("kwargs");
      Map<String, Object> kwargs = kw == null ? Map.of() : f.map(kw, sf + ".kwargs");
      r.add(Processing.create(k, kwargs, axes, ids, f.at() + " (" + sf + ", " + k + ")"));
    }
    return r;
  }
}
