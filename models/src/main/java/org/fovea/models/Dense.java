package org.fovea.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.fovea.models.engine.Engines;
import org.fovea.models.engine.NativeCache;
import org.fovea.models.graph.ModelGraph;
import org.fovea.models.graph.ModelGraphs;
import org.fovea.models.onnx.AtrousRewrite;
import org.fovea.models.onnx.Fp16Rewrite;
import org.fovea.models.onnx.Int8Rewrite;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.dense.DenseGeometry;
import org.fovea.ops.dense.DenseNetwork;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Network;
import org.fovea.ops.net.Tensor;
import org.fovea.ops.net.TensorSpec;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.ReceptiveFields;

/**
 * Dense prediction with a strided model: one output per input pixel instead of one per {@code S x
 * S} block, with the same weights.
 *
 * <pre>{@code
 * try (Model dense = Dense.of(Model.load(pkg, null, "cpu"), Method.ATROUS, System.err::println)) {
 *   Tensor p = Segmentation.run(dense, raw, 0, null).probabilities(); // the input's size
 * }
 * }</pre>
 *
 * <p>{@link DenseNetwork.Method#ATROUS} rewrites the package's ONNX graph ({@link AtrousRewrite})
 * and runs it on ONNX Runtime; before it is used, its dense map is compared with shift-and-stitch
 * of the package's own network on a test input, and a difference over {@link #TOLERANCE} refuses
 * it. Where the graph cannot be rewritten (a layer after a stride that has no dilated form, weights
 * without an ONNX graph, another engine) the model falls back to shift-and-stitch and says why.
 *
 * @since 0.3.0
 */
public final class Dense {

  /** Largest difference between the à trous and the shift-and-stitch map that is accepted. */
  public static final double TOLERANCE = 1e-4;

  private Dense() {}

  /**
   * @param coarse a loaded model (verified as usual); the returned model owns it
   * @param method how to compute the dense map
   * @param log receives one line per decision (method used, fallbacks, geometry)
   * @return the dense model: output the input's size, halo from the receptive field; the coarse
   *     model itself when the network has total stride 1 (already dense)
   * @throws FoveaException when the model's receptive field cannot be read from its graph, or it
   *     up-samples (no dense form)
   */
  public static Model of(Model coarse, DenseNetwork.Method method, Consumer<String> log) {
    DenseGeometry g;
    try {
      g = geometry(coarse);
    } catch (FoveaException e) {
      coarse.close();
      throw new FoveaException("dense prediction needs the network's geometry, but " + e.getMessage());
    }
    return of(coarse, g, method, log);
  }

  private static Model of(Model coarse, DenseGeometry g, DenseNetwork.Method method,
      Consumer<String> log) {
    String name = coarse.pkg().name();
    if (!g.strided()) {
      log.accept("fovea: note: model '" + name + "' has total stride 1: its output is already one"
          + " value per pixel, so it runs as it is");
      return coarse;
    }
    Halo halo = new Halo(List.of(Axis.Y, Axis.X), new long[] {g.before(0), g.before(1)},
        new long[] {g.after(0), g.after(1)}, "receptive field of the dense network");
    TensorSpec in = coarse.network().inputs().get(0);
    TensorSpec out = coarse.network().outputs().get(0);
    String stride = g.stride()[0] + "x" + g.stride()[1];
    if (method == DenseNetwork.Method.ATROUS) {
      String why = atrousUnavailable(coarse);
      String precision = "";
      Network rewritten = null;
      int changed = 0;
      try {
        if (why == null) {
          AtrousRewrite.Result r = AtrousRewrite.rewrite(
              Files.readAllBytes(coarse.pkg().weights().get(WeightFormat.ONNX)),
              coarse.pkg().weights().get(WeightFormat.ONNX).toString());
          changed = r.changes().size();
          byte[] model = r.model();
          if (coarse.network() instanceof Precision.Int8Network q) {
            // the same quantization as the strided graph's, with its calibrated ranges (the
            // dense graph computes the same tensors at more positions); checked below against
            // shift-and-stitch of the int8 network like any rewrite
            try {
              model = Int8Rewrite.quantize(model, q.ranges(), "the a trous rewrite of "
                  + coarse.pkg().weights().get(WeightFormat.ONNX)).model();
              precision = " in int8";
            } catch (FoveaException e) {
              model = null;
              why = "the rewritten graph cannot be quantized like the model's (" + e.getMessage()
                  + ")";
            }
          }
          if (coarse.network() instanceof Precision.Fp16Network) {
            model = Fp16Rewrite.convert(model, "the a trous rewrite of "
                + coarse.pkg().weights().get(WeightFormat.ONNX)).model();
            precision = " in fp16";
          }
          rewritten = model == null ? null
              : loadRewritten(cached(model), in, out, coarse.network().device());
        }
        if (rewritten == null) {
          why = why != null ? why : "ONNX Runtime cannot load the rewritten graph";
        } else {
          DenseNetwork atrous = DenseNetwork.atrous(rewritten, g, in, out);
          Tensor probe = probe(coarse, g);
          Tensor dense = null;
          try {
            dense = atrous.dense(probe);
          } catch (FoveaException e) {
            // the rewritten graph does not run (a layer the rewrite did not follow): fall back;
            // the model's own network, run below and in shift-and-stitch, still refuses itself
            why = "the rewritten graph does not run on ONNX Runtime (" + e.getMessage() + ")";
          }
          double diff = dense == null ? Double.NaN : dense.maxAbsDifference(
              DenseNetwork.shiftStitch(new Unclosed(coarse.network()), g).dense(probe));
          if (dense == null) {
            atrous.close();
            rewritten = null;
          } else if (!(diff <= TOLERANCE)) {
            atrous.close();
            rewritten = null;
            why = String.format(Locale.ROOT, "its dense map differs from shift-and-stitch by %.3g"
                + " (more than %.0e) on a test input", diff, TOLERANCE);
          } else {
            log.accept(String.format(Locale.ROOT, "fovea: dense (atrous%s) model '%s', stride %s,"
                + " %d layers rewritten, equal to shift-and-stitch within %.1e; %s", precision,
                name, stride, changed, diff, g.describe()));
            WeightFormat f = coarse.format();
            coarse.close();
            return Model.derived(coarse.pkg(), atrous, f, halo);
          }
        }
      } catch (AtrousRewrite.Unsupported e) {
        why = e.getMessage();
      } catch (IOException e) {
        why = "its ONNX weights cannot be read (" + e.getMessage() + ")";
      } catch (RuntimeException e) {
        if (rewritten != null) {
          rewritten.close();
        }
        coarse.close();
        throw e;
      }
      log.accept("fovea: note: model '" + name + "' runs dense by shift-and-stitch (" + stride
          + " passes per tile) instead of the a trous rewrite: " + why);
    } else if (method == DenseNetwork.Method.UPSAMPLE) {
      log.accept("fovea: model '" + name + "' (stride " + stride + ") runs once per tile, its"
          + " outputs interpolated bilinearly to every pixel (not dense); " + g.describe());
      return Model.derived(coarse.pkg(), DenseNetwork.upsampled(coarse.network(), g),
          coarse.format(), halo);
    } else {
      log.accept("fovea: dense (shift-stitch) model '" + name + "', stride " + stride + ", "
          + g.stride()[0] * g.stride()[1] + " passes per tile; " + g.describe());
    }
    return Model.derived(coarse.pkg(), DenseNetwork.shiftStitch(coarse.network(), g),
        coarse.format(), halo);
  }

  /**
   * The dense form when the model is strided, else the model as it is (the default of {@code
   * fovea segment}): a model whose geometry cannot be read, or that up-samples, runs as it is.
   *
   * @param coarse a loaded model; the returned model owns it
   * @param log receives one line when the model is made dense
   * @return the dense model, or {@code coarse}
   */
  public static Model auto(Model coarse, Consumer<String> log) {
    DenseGeometry g;
    try {
      g = geometry(coarse);
    } catch (FoveaException e) {
      return coarse;
    }
    return g.strided() ? of(coarse, g, DenseNetwork.Method.ATROUS, log) : coarse;
  }

  /** The dense geometry from the receptive field of the model's graph. */
  private static DenseGeometry geometry(Model coarse) {
    return DenseGeometry.of(analyze(coarse, ModelGraphs.of(coarse.pkg(), null)));
  }

  /**
   * The receptive field at a size the model accepts that is a multiple of its stride (the size
   * of the shift-and-stitch passes, at which SAME padding is what the geometry says).
   */
  private static FieldReport analyze(Model m, ModelGraph graph) {
    TensorSpec in = m.network().inputs().get(0);
    long[] size = graph.sizeOr(-1);
    for (int a = 0; a < size.length; a++) {
      int i = in.axes().indexOf(graph.axes().get(a));
      size[a] = size[a] > 0 ? size[a] : i >= 0 ? in.atLeast(i, 256) : 256;
    }
    FieldReport r = ReceptiveFields.analyze(graph.graph(), size);
    boolean again = false;
    for (int a = 0; a < size.length; a++) {
      long s = r.output().axis(a).strideNum();
      if (r.output().axis(a).strideDen() == 1 && s > 1 && size[a] % s != 0) {
        size[a] = (size[a] / s + 1) * s;
        again = true;
      }
    }
    return again ? ReceptiveFields.analyze(graph.graph(), size) : r;
  }

  /**
   * The rewritten graph on ONNX Runtime, or null when ONNX Runtime refuses it (an engine limit the
   * rewrite did not foresee): the caller falls back to shift-and-stitch, which needs no rewrite.
   */
  private static Network loadRewritten(Path file, TensorSpec in, TensorSpec out, String device) {
    try {
      return Engines.byName("onnxruntime").load(file, List.of(anySize(in)), List.of(out), device);
    } catch (FoveaException e) {
      return null;
    }
  }

  private static String atrousUnavailable(Model coarse) {
    if (!coarse.pkg().weights().containsKey(WeightFormat.ONNX)) {
      return "the package has no ONNX weights, whose graph the rewrite edits";
    }
    if (!coarse.network().engine().equals("onnxruntime")) {
      return "the model runs on " + coarse.network().engine() + ", and the rewritten graph runs on"
          + " onnxruntime (choose --engine onnxruntime for it)";
    }
    if (Engines.all().stream().noneMatch(e -> e.name().equals("onnxruntime")
        && e.unavailableReason() == null)) {
      return "ONNX Runtime is not installed";
    }
    return null;
  }

  /** The input spec of the rewritten network: any spatial size. */
  private static TensorSpec anySize(TensorSpec in) {
    long[] min = in.min();
    long[] step = in.step();
    for (int a = 0; a < min.length; a++) {
      Axis x = in.axes().get(a);
      if (x == Axis.Y || x == Axis.X) {
        min[a] = 1;
        step[a] = 1;
      }
    }
    return new TensorSpec(in.name(), in.axes(), min, step, new long[min.length], null, null, null);
  }

  /** The rewritten graph in the cache folder, named by its content (written once). */
  private static Path cached(byte[] model) throws IOException {
    return cached("dense", model);
  }

  /**
   * @param folder a sub-folder of the cache folder
   * @param model a rewritten graph
   * @return its file in that folder, named by its content (written once)
   */
  static Path cached(String folder, byte[] model) throws IOException {
    String id;
    try {
      id = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(model)).substring(0, 24);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
    Path p = NativeCache.root().resolve(folder).resolve(id + ".onnx");
    if (!Files.isRegularFile(p) || Files.size(p) != model.length) {
      Files.createDirectories(p.getParent());
      AtomicFiles.writeBytes(p, model);
    }
    return p;
  }

  /**
   * The input on which the à trous map is compared with shift-and-stitch by the model's own
   * (verified) network: pseudo-random, of a size that is no multiple of the stride.
   */
  static Tensor probe(Model coarse, DenseGeometry g) {
    TensorSpec in = coarse.network().inputs().get(0);
    int c = in.axes().indexOf(Axis.CHANNEL);
    long channels = c < 0 ? 1 : in.min()[c] == 0 ? 1 : in.min()[c];
    long h = 2 * g.stride()[0] + 3;
    long w = 2 * g.stride()[1] + 1;
    Tensor x = Tensor.zeros(in.axes(), 1, channels, h, w);
    long seed = 0x9E3779B97F4A7C15L;
    float[] d = x.data();
    for (int i = 0; i < d.length; i++) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      d[i] = ((seed >>> 40) / (float) (1 << 24)) * 4f - 2f;
    }
    return x;
  }

  /** A network that its wrapper may not close (the model owns it). */
  private static final class Unclosed extends org.fovea.ops.net.ForwardingNetwork {
    Unclosed(Network n) {
      super(n);
    }

    @Override
    public void close() {}
  }
}
