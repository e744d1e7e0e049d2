package org.fovea.models.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fovea.models.onnx.ProtoReader.Corrupt;
import org.fovea.models.onnx.ProtoReader.FloatList;
import org.fovea.models.onnx.ProtoReader.LongList;
import org.fovea.ops.net.FoveaException;

/**
 * Decodes the messages of {@code onnx.proto} (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto) from the protobuf wire format, by field number.
 */
final class OnnxParser {

  private final Path file;

  /** @param file the model file, for messages and to resolve external weight files */
  OnnxParser(Path file) {
    this.file = file;
  }

  OnnxModel model(byte[] bytes) {
    ProtoReader r = new ProtoReader(bytes);
    long ir = 0;
    String producer = "";
    String producerVersion = "";
    OnnxGraph graph = null;
    Map<String, Long> opsets = new LinkedHashMap<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> ir = r.int64();
        case 2 -> producer = r.string();
        case 3 -> producerVersion = r.string();
        case 7 -> graph = graph(r.message());
        case 8 -> {
          ProtoReader o = r.message();
          String domain = "";
          long version = 0;
          while (o.next()) {
            switch (o.field()) {
              case 1 -> domain = o.string();
              case 2 -> version = o.int64();
              default -> o.skip();
            }
          }
          opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
        }
        default -> r.skip();
      }
    }
    if (graph == null) {
      throw new Corrupt("no graph");
    }
    if (!opsets.containsKey("")) {
      throw new Corrupt("no opset_import for the default ONNX domain");
    }
    check(graph);
    return new OnnxModel(file, ir, opsets, producer, producerVersion, graph);
  }

  /** Rejects a graph whose nodes read values that nothing defines, the sign of a cut file. */
  private static void check(OnnxGraph g) {
    java.util.Set<String> known = new java.util.HashSet<>(g.initializers().keySet());
    g.inputs().forEach(v -> known.add(v.name()));
    g.nodes().forEach(n -> known.addAll(n.outputs()));
    for (OnnxNode n : g.nodes()) {
      for (String in : n.inputs()) {
        if (!in.isEmpty() && !known.contains(in)) {
          throw new Corrupt(n.describe() + " reads '" + in + "', which nothing defines");
        }
      }
    }
    if (g.outputs().isEmpty()) {
      throw new Corrupt("the graph has no outputs");
    }
    for (OnnxValueInfo o : g.outputs()) {
      if (!known.contains(o.name())) {
        throw new Corrupt("output '" + o.name() + "' is not computed by any node");
      }
    }
  }

  OnnxGraph graph(ProtoReader r) {
    String name = "";
    List<OnnxNode> nodes = new ArrayList<>();
    Map<String, OnnxTensor> inits = new LinkedHashMap<>();
    List<OnnxValueInfo> inputs = new ArrayList<>();
    List<OnnxValueInfo> outputs = new ArrayList<>();
    List<OnnxValueInfo> info = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> nodes.add(node(r.message()));
        case 2 -> name = r.string();
        case 5 -> {
          OnnxTensor t = tensor(r.message());
          inits.put(t.name(), t);
        }
        case 11 -> inputs.add(valueInfo(r.message()));
        case 12 -> outputs.add(valueInfo(r.message()));
        case 13 -> info.add(valueInfo(r.message()));
        default -> r.skip();
      }
    }
    return new OnnxGraph(name, nodes, inits, inputs, outputs, info);
  }

  private OnnxNode node(ProtoReader r) {
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    String name = "";
    String op = "";
    String domain = "";
    Map<String, OnnxAttribute> attrs = new LinkedHashMap<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> in.add(r.string());
        case 2 -> out.add(r.string());
        case 3 -> name = r.string();
        case 4 -> op = r.string();
        case 5 -> {
          OnnxAttribute a = attribute(r.message());
          attrs.put(a.name(), a);
        }
        case 7 -> domain = r.string();
        default -> r.skip();
      }
    }
    if (op.isEmpty()) {
      throw new Corrupt("a node without op_type");
    }
    return new OnnxNode(name, op, domain.equals("ai.onnx") ? "" : domain, in, out, attrs);
  }

  private OnnxAttribute attribute(ProtoReader r) {
    String name = "";
    int type = 0;
    Object scalar = null;
    int scalarKind = 0;
    FloatList floats = new FloatList();
    LongList ints = new LongList();
    List<String> strings = new ArrayList<>();
    List<OnnxTensor> tensors = new ArrayList<>();
    List<OnnxGraph> graphs = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> name = r.string();
        case 20 -> type = (int) r.int64();
        case 2 -> {
          scalar = r.float32();
          scalarKind = 1;
        }
        case 3 -> {
          scalar = r.int64();
          scalarKind = 2;
        }
        case 4 -> {
          scalar = new String(r.bytes(), StandardCharsets.UTF_8);
          scalarKind = 3;
        }
        case 5 -> {
          scalar = tensor(r.message());
          scalarKind = 4;
        }
        case 6 -> {
          scalar = graph(r.message());
          scalarKind = 5;
        }
        case 7 -> r.floats(floats);
        case 8 -> r.int64s(ints);
        case 9 -> strings.add(new String(r.bytes(), StandardCharsets.UTF_8));
        case 10 -> tensors.add(tensor(r.message()));
        case 11 -> graphs.add(graph(r.message()));
        default -> r.skip();
      }
    }
    return OnnxAttribute.make(name, type, scalarKind, scalar, floats.toArray(), ints.toArray(),
        strings, tensors, graphs);
  }

  private OnnxValueInfo valueInfo(ProtoReader r) {
    String name = "";
    int elem = 0;
    long[] dims = null;
    List<String> params = null;
    while (r.next()) {
      if (r.field() == 1) {
        name = r.string();
      } else if (r.field() == 2) {
        ProtoReader type = r.message();
        while (type.next()) {
          if (type.field() != 1) { // tensor_type; sequences and maps keep no shape here
            type.skip();
            continue;
          }
          ProtoReader tt = type.message();
          while (tt.next()) {
            if (tt.field() == 1) {
              elem = (int) tt.int64();
            } else if (tt.field() == 2) {
              LongList d = new LongList();
              params = new ArrayList<>();
              ProtoReader shape = tt.message();
              while (shape.next()) {
                if (shape.field() != 1) {
                  shape.skip();
                  continue;
                }
                long value = -1;
                String param = null;
                ProtoReader dim = shape.message();
                while (dim.next()) {
                  switch (dim.field()) {
                    case 1 -> value = dim.int64();
                    case 2 -> param = dim.string();
                    default -> dim.skip();
                  }
                }
                d.add(value);
                params.add(value >= 0 ? null : param);
              }
              dims = d.toArray();
            } else {
              tt.skip();
            }
          }
        }
      } else {
        r.skip();
      }
    }
    return new OnnxValueInfo(name, elem, dims, params);
  }

  OnnxTensor tensor(ProtoReader r) {
    LongList dims = new LongList();
    int type = 0;
    String name = "";
    FloatList floats = new FloatList();
    LongList ints = new LongList();
    LongList int64s = new LongList();
    LongList uint64s = new LongList();
    FloatList doubles = new FloatList();
    List<String> strings = new ArrayList<>();
    byte[] raw = null;
    boolean external = false;
    Map<String, String> ext = new LinkedHashMap<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> r.int64s(dims);
        case 2 -> type = (int) r.int64();
        case 4 -> r.floats(floats);
        case 5 -> r.int64s(ints);
        case 6 -> strings.add(new String(r.bytes(), StandardCharsets.UTF_8));
        case 7 -> r.int64s(int64s);
        case 8 -> name = r.string();
        case 9 -> raw = r.bytes();
        case 10 -> r.doubles(doubles);
        case 11 -> r.int64s(uint64s);
        case 13 -> {
          ProtoReader e = r.message();
          String k = "";
          String v = "";
          while (e.next()) {
            switch (e.field()) {
              case 1 -> k = e.string();
              case 2 -> v = e.string();
              default -> e.skip();
            }
          }
          ext.put(k, v);
        }
        case 14 -> external = r.int64() == 1;
        default -> r.skip();
      }
    }
    long[] d = dims.toArray();
    long n = count(name, d);
    if (external) {
      raw = external(name, ext);
    }
    return OnnxTensors.decode(name, d, type, n, raw, floats, ints, int64s, uint64s, doubles,
        strings);
  }

  private static long count(String name, long[] dims) {
    long n = 1;
    for (long x : dims) {
      if (x < 0) {
        throw new Corrupt("tensor '" + name + "' has a negative size");
      }
      try {
        n = Math.multiplyExact(n, x);
      } catch (ArithmeticException e) {
        throw new Corrupt("tensor '" + name + "' has an impossible size");
      }
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new Corrupt("tensor '" + name + "' has more than 2^31 elements");
    }
    return n;
  }

  private byte[] external(String name, Map<String, String> ext) {
    String location = ext.get("location");
    if (location == null) {
      throw new Corrupt("tensor '" + name + "' is stored externally but names no location");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path data = dir.resolve(location).normalize();
    if (!data.startsWith(dir.normalize())) {
      throw new Corrupt("tensor '" + name + "' points outside the model's folder (" + location
          + ")");
    }
    long offset = Long.parseLong(ext.getOrDefault("offset", "0"));
    try (FileChannel ch = FileChannel.open(data)) {
      long length = ext.containsKey("length") ? Long.parseLong(ext.get("length"))
          : ch.size() - offset;
      if (offset < 0 || length < 0 || offset + length > ch.size()
          || length > Integer.MAX_VALUE - 8) {
        throw new Corrupt("tensor '" + name + "' lies beyond the end of " + data.getFileName());
      }
      ByteBuffer b = ByteBuffer.allocate((int) length);
      while (b.hasRemaining()) {
        if (ch.read(b, offset + b.position()) < 0) {
          throw new Corrupt("tensor '" + name + "' lies beyond the end of " + data.getFileName());
        }
      }
      return b.array();
    } catch (IOException e) {
      throw new FoveaException(file + " keeps the weights '" + name + "' in " + data
          + ", which cannot be read (" + e.getMessage() + "): keep the .onnx file and its data "
          + "file together in one folder", e);
    }
  }

  /** @return a little-endian view of raw tensor bytes. */
  static ByteBuffer le(byte[] raw) {
    return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
  }
}
