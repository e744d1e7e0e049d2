package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The op declarations (javadoc implNote tags) of {@code ops} and {@code models}, as scijava-ops-indexer
 * wrote them into each jar's {@code ops.yaml} at compile time: every op is there, names a public
 * static method that exists with the parameters the index lists, and every op on images takes and
 * (where it returns an image) returns an ImgLib2 {@code RandomAccessibleInterval}.
 */
class OpsIndexTest {

  /** Ops on images: at least one parameter is a RandomAccessibleInterval. */
  private static final List<String> IMAGE_OPS = List.of("fovea.segment", "fovea.instances",
      "fovea.instances.blocks", "fovea.match", "fovea.starInstances");
  /** Ops whose output is an image. */
  private static final List<String> IMAGE_OUTPUTS = List.of("fovea.segment", "fovea.instances",
      "fovea.instances.blocks");
  /** Ops on value objects (boxes, polygons, layer graphs). */
  private static final List<String> VALUE_OPS = List.of("fovea.nms", "fovea.nms.soft",
      "fovea.instances.boxes", "fovea.starNms", "fovea.receptiveField");

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> index() throws IOException {
    Map<String, Map<String, Object>> ops = new TreeMap<>();
    for (URL u : Collections.list(OpsIndexTest.class.getClassLoader().getResources("ops.yaml"))) {
      try (InputStream in = u.openStream()) {
        for (Map<String, Object> e : (List<Map<String, Object>>) new Yaml().load(in)) {
          Map<String, Object> op = (Map<String, Object>) e.get("op");
          for (String name : (List<String>) op.get("names")) {
            assertEquals(null, ops.put(name, op), "op " + name + " declared twice");
          }
        }
      }
    }
    return ops;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> params(Map<String, Object> op) {
    return (List<Map<String, Object>>) op.get("parameters");
  }

  @Test
  void everyOpIsIndexedWithImgLib2ImagesAtItsBoundary() throws IOException {
    Map<String, Map<String, Object>> ops = index();
    List<String> expected = new ArrayList<>(IMAGE_OPS);
    expected.addAll(VALUE_OPS);
    Collections.sort(expected);
    assertEquals(expected, new ArrayList<>(ops.keySet()));
    for (String name : IMAGE_OPS) {
      List<Map<String, Object>> ps = params(ops.get(name));
      assertTrue(ps.stream().anyMatch(p -> p.get("parameter type").equals("INPUT")
          && String.valueOf(p.get("type")).startsWith("net.imglib2.RandomAccessibleInterval")),
          name + " takes no RandomAccessibleInterval: " + ps);
    }
    for (String name : IMAGE_OUTPUTS) {
      List<Map<String, Object>> ps = params(ops.get(name));
      assertTrue(ps.stream().anyMatch(p -> p.get("parameter type").equals("OUTPUT")
          && String.valueOf(p.get("type")).startsWith("net.imglib2.RandomAccessibleInterval")),
          name + " returns no RandomAccessibleInterval: " + ps);
    }
  }

  @Test
  void eachOpNamesAPublicStaticMethodWithItsParameters() throws Exception {
    for (var e : index().entrySet()) {
      String source = (String) e.getValue().get("source");
      // javaMethod:/org.fovea.ops.instances.Matching.match(net.imglib2...,double...)
      String sig = java.net.URLDecoder.decode(source.substring(source.indexOf(":/") + 2),
          java.nio.charset.StandardCharsets.UTF_8);
      String owner = sig.substring(0, sig.indexOf('('));
      Class<?> c = Class.forName(owner.substring(0, owner.lastIndexOf('.')));
      String method = owner.substring(owner.lastIndexOf('.') + 1);
      long inputs = params(e.getValue()).stream()
          .filter(p -> !p.get("parameter type").equals("OUTPUT")).count();
      boolean found = false;
      for (Method m : c.getMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == inputs
            && java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
          found = true;
        }
      }
      assertTrue(found, e.getKey() + ": no public static " + owner + " with " + inputs
          + " parameters (" + source + ")");
    }
  }
}
