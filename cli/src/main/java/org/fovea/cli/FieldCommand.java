package org.fovea.cli;

import ij.ImagePlus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fovea.models.Zoo;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.LayerField;
import org.fovea.ops.rf.ReceptiveFields;
import org.fovea.io.field.FieldAnalysis;
import org.fovea.io.field.FieldJson;
import org.fovea.io.field.FieldOverlay;
import org.fovea.io.field.FieldText;
import org.fovea.io.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fovea field}: the receptive field of a model, per layer and per axis.
 *
 * @since 0.1.0
 */
@Command(name = "field", mixinStandardHelpOptions = true,
    description = "Receptive field, stride, padding, halo and grid alignment of each layer of a"
        + " model, read from its graph (or measured on an engine when the graph has unknown"
        + " layers); --overlay draws one output's field on an image.")
public final class FieldCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", defaultValue = Zoo.DEFAULT_MODEL,
      description = "model name or path: package, .onnx, .pt or SavedModel (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--input-size", split = ",", paramLabel = "H,W",
      description = "input size per spatial axis (default: the size the model fixes, else 256)")
  long[] inputSize;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "weights whose graph to read: onnx, tensorflow_saved_model_bundle or"
          + " torchscript (default: the first the model has, in that order)")
  String format;

  @Option(names = "--layer", paramLabel = "NAME",
      description = "with --overlay: the layer whose output to draw (default: the network output)")
  String layer;

  @Option(names = "--overlay", split = ",", paramLabel = "X,Y",
      description = "draw the receptive field of output column X, row Y on --image")
  long[] overlay;

  @Option(names = "--image", paramLabel = "IMAGE", description = "with --overlay: the input image")
  Path image;

  @Option(names = {"-o", "--output"}, paramLabel = "PNG", description = "with --overlay: the picture to write")
  Path output;

  @Option(names = "--dense", description = "also report the network's dense form: the a trous"
      + " rewrite's receptive field, the layers it rewrites and its cost against the strided"
      + " network and shift-and-stitch")
  boolean dense;

  @Option(names = "--measure", description = "also measure the reach by perturbation on an engine")
  boolean measure;

  @Mixin
  EngineOptions eng = new EngineOptions();

  @Option(names = "--bench", description = "time the analysis (after the graph is read) and print milliseconds")
  boolean bench;

  @Option(names = "--runs", defaultValue = "50", description = "with --bench: timed runs (default: ${DEFAULT-VALUE})")
  int runs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    WeightFormat f = format == null ? null : WeightFormat.fromKey(format.equals("tensorflow")
        ? WeightFormat.TENSORFLOW_SAVED_MODEL.key() : format);
    if (format != null && f == null) {
      throw new FoveaException("--format " + format + " is not a weight format Fovea reads: use"
          + " onnx, tensorflow_saved_model_bundle or torchscript");
    }
    ImagePlus imp = overlay == null ? null : overlayImage();
    long[] size = imp != null ? imageSize(imp) : inputSize;
    long t0 = System.nanoTime();
    FieldAnalysis a = FieldAnalysis.of(model, f, size, measure, eng.engine, eng.device);
    if (bench) {
      out.println(bench(a, (System.nanoTime() - t0) / 1e6));
    } else if (imp != null) {
      out.println(draw(a, imp));
    } else {
      out.print(json ? FieldJson.of(a) + "\n" : FieldText.of(a));
    }
    if (dense) {
      out.println(dense(a));
    }
    out.flush();
    return 0;
  }

  private ImagePlus overlayImage() {
    if (overlay.length != 2 || image == null || output == null) {
      throw new FoveaException("--overlay needs X,Y, --image IMAGE and --output PNG: give all three");
    }
    return ImageFiles.open(image);
  }

  /** The image's size in the model's order of spatial axes (y, x). */
  private static long[] imageSize(ImagePlus imp) {
    return new long[] {imp.getHeight(), imp.getWidth()};
  }

  private String draw(FieldAnalysis a, ImagePlus imp) {
    if (a.report() == null || !a.axes().equals(java.util.List.of(Axis.Y, Axis.X))) {
      throw new FoveaException("--overlay draws on 2-D models with an analysable graph, and model '"
          + a.pkg().name() + "' " + (a.report() == null ? "has unsupported layers"
              : "has spatial axes " + a.axes()) + ": run fovea field without --overlay");
    }
    LayerField l = layer == null ? a.report().output() : a.report().layer(layer);
    if (l == null) {
      throw new FoveaException("model '" + a.pkg().name() + "' has no layer '" + layer
          + "': run fovea field " + model + " to list its layers");
    }
    FieldOverlay.Drawn d = FieldOverlay.draw(imp, l.axis(1), l.axis(0), overlay[0], overlay[1],
        output);
    long[] c = d.clipped();
    return String.format(Locale.ROOT, "layer '%s' output (%d,%d) sees columns %d..%d, rows %d..%d"
        + " (drawn %d..%d, %d..%d on the %dx%d image), centre (%s,%s) -> %s", l.name(), overlay[0],
        overlay[1], d.x0(), d.x1(), d.y0(), d.y1(), c[0], c[2], c[1], c[3], imp.getWidth(),
        imp.getHeight(), d.cx(), d.cy(), output);
  }

  /** The dense form: geometry, rewritten layers, and cost at the analysed size. */
  private static String dense(FieldAnalysis a) {
    if (a.report() == null) {
      throw new FoveaException("--dense needs the receptive field of the graph, and model '"
          + a.pkg().name() + "' has unsupported layers");
    }
    org.fovea.ops.dense.DenseGeometry g = org.fovea.ops.dense.DenseGeometry.of(a.report());
    StringBuilder b = new StringBuilder("dense form: ").append(g.describe()).append('\n');
    if (!g.strided()) {
      return b.append("the network has total stride 1: its output is already dense").toString();
    }
    long passes = 1;
    for (long s : g.stride()) {
      passes *= s;
    }
    double strided = a.report().flops();
    java.nio.file.Path onnx = a.pkg().weights().get(org.fovea.models.pkg.WeightFormat.ONNX);
    String size = String.join("x", Arrays.stream(a.inputSize()).mapToObj(String::valueOf)
        .toList());
    b.append(String.format(Locale.ROOT, "cost at %s: strided network %.3f GFLOP (one output per"
        + " %s block); shift-and-stitch %d passes, %.3f GFLOP", size, strided / 1e9,
        String.join("x", Arrays.stream(g.stride()).mapToObj(String::valueOf).toList()), passes,
        passes * strided / 1e9));
    if (onnx == null) {
      return b.append("\nno a trous form: the package has no ONNX weights, whose graph the"
          + " rewrite edits").toString();
    }
    try {
      org.fovea.models.onnx.AtrousRewrite.Result r = org.fovea.models.onnx.AtrousRewrite.rewrite(
          java.nio.file.Files.readAllBytes(onnx), onnx.toString());
      org.fovea.ops.rf.FieldReport d = ReceptiveFields.analyze(
          org.fovea.models.graph.OnnxLayers.of(org.fovea.models.onnx.OnnxModel.parse(r.model(),
              onnx)).graph(), a.inputSize());
      org.fovea.ops.rf.AxisField y = d.output().axis(0);
      b.append(String.format(Locale.ROOT, "; a trous %.3f GFLOP (%.2f of shift-and-stitch)%n",
          d.flops() / 1e9, d.flops() / (passes * strided)));
      b.append(String.format(Locale.ROOT, "a trous network: stride %s, receptive field %.0f px,"
          + " %d layers rewritten:", y.stride() == 1 ? "1" : String.valueOf(y.stride()), y.rf(),
          r.changes().size()));
      r.changes().forEach(c -> b.append("\n  ").append(c));
    } catch (org.fovea.models.onnx.AtrousRewrite.Unsupported e) {
      b.append("\nno a trous form (dense prediction uses shift-and-stitch): ")
          .append(e.getMessage());
    } catch (java.io.IOException e) {
      throw new FoveaException("cannot read " + onnx + ": " + e.getMessage(), e);
    }
    return b.toString();
  }

  private String bench(FieldAnalysis a, double loadMs) {
    if (a.report() == null) {
      throw new FoveaException("--bench times the graph analysis, and model '" + a.pkg().name()
          + "' has unsupported layers: choose a model with a readable graph");
    }
    long[] size = a.inputSize();
    for (int i = 0; i < 5; i++) {
      ReceptiveFields.analyze(a.graph().graph(), size);
    }
    double[] ms = new double[Math.max(1, runs)];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      ReceptiveFields.analyze(a.graph().graph(), size);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return String.format(Locale.ROOT, "analysis of %s (%d layers) at %s: median %.2f ms, min %.2f"
        + " ms over %d runs (graph read and first analysis %.0f ms)", a.pkg().name(),
        a.graph().graph().layers().size(), String.join("x", Arrays.stream(size)
            .mapToObj(String::valueOf).toList()), ms[ms.length / 2], ms[0], ms.length, loadMs);
  }
}
