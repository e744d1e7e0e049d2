package org.fovea.plugins.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.fovea.models.Flops;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.models.engine.EngineProvider;
import org.fovea.models.engine.Engines;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fovea bench}: every engine on the same model and input, side by side in one process.
 *
 * @since 0.1.0
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Cold start, median forward time, megapixels/s and GFLOP/s of each engine.")
public final class BenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", defaultValue = Zoo.DEFAULT_MODEL,
      description = "model name or path (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--size", defaultValue = "1024", description = "input is SIZE x SIZE (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--runs", defaultValue = "7", description = "timed forward passes per engine (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto")
  String device;

  @Option(names = "--engine", description = "only this engine (default: every engine the model has weights for)")
  String engine;

  @Option(names = "--tiling", description = "instead: tiled segmentation vs one whole-image"
      + " forward on a SIZE x SIZE image (try --size 2048)")
  boolean tiling;

  @Option(names = "--large", description = "instead: segment a SIZE x SIZE TIFF into a TIFF and"
      + " report megapixels/s and peak Java heap (try --size 8192 with FOVEA_JAVA_OPTS=-Xmx1g)")
  boolean large;

  @Option(names = "--batch", description = "instead: fovea batch instances over --images synthetic"
      + " SIZE x SIZE images with --jobs 1 and --jobs N, side by side (try --size 256)")
  boolean batch;

  @Option(names = "--images", defaultValue = "32", description = "images for --batch")
  int images;

  @Option(names = "--jobs", defaultValue = "2", description = "parallel files for --batch")
  int jobs;

  @Option(names = "--instances", description = "instead: the instance step on a SIZE x SIZE"
      + " synthetic probability map (try --size 4096) and NMS of --boxes candidates, indexed vs"
      + " all pairs")
  boolean instances;

  @Option(names = "--boxes", defaultValue = "50000",
      description = "NMS candidates for --instances (default: ${DEFAULT-VALUE})")
  int boxes;
  @Option(names = "--saliency", description = "instead: Integrated Gradients vs batched"
      + " forward+backward passes, batched vs unbatched occlusion (try --size 128 --runs 3)")
  boolean saliency;

  @Option(names = "--tile", defaultValue = "1024", description = "tile core size for --tiling and"
      + " --large (default: ${DEFAULT-VALUE})")
  long tile;

  @Option(names = "--zarr", description = "instead: segment a SIZE x SIZE float32 OME-Zarr image"
      + " into OME-Zarr, chunk by chunk, against the same image tiled in memory (skipped when it"
      + " does not fit the heap); prints the throughput ratio and peak heap (try --size 4096 --runs"
      + " 3; ONNX Runtime unless --engine)")
  boolean zarr;

  @Option(names = "--zarr-compressor", defaultValue = "zstd", description = "chunk compressor for"
      + " --zarr (default: ${DEFAULT-VALUE})")
  String zarrCompressor;

  @Option(names = "--star-nms", defaultValue = "0", description = "instead: greedy NMS of this"
      + " many star-convex candidates in a SIZE x SIZE image, grid index vs all pairs (try 50000"
      + " --size 4096)")
  int starNms;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (instances) {
      // about 1.2 discs per 1000 px: 20,000 at 4096 x 4096
      InstancesBench.run(size, (int) Math.round(size * (double) size * 20000 / (4096.0 * 4096)),
          boxes, Math.max(1, Math.min(runs, 3)), out);
      return 0;
    }
    if (starNms > 0) {
      StarNmsBench.run(starNms, size, runs, out);
      out.flush();
      return 0;
    }
    ModelPackage p = Zoo.resolve(model);
    if (zarr) {
      out.printf(Locale.ROOT, "model %s, %d cores, max heap %d MiB, %d runs%n", p.name(),
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, runs);
      try (Model m = Model.load(p, engine == null ? "onnx" : engine, device)) {
        ZarrBench.compare(m, size, tile, runs, zarrCompressor, out);
      }
      return 0;
    }
    if (batch) {
      BatchBench.run(model, engine, device, images, size, jobs, runs, out);
      return 0;
    }
    if (tiling || large || saliency) {
      out.printf(Locale.ROOT, "model %s, %d cores, max heap %d MiB%n", p.name(),
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
      for (EngineProvider e : engines(p)) {
        try (Model m = Model.load(p, e.name(), device)) {
          if (saliency) {
            SaliencyBench.run(m, size, runs, out);
          } else if (tiling) {
            SegmentBench.tiling(m, size, tile, runs, out);
          } else {
            SegmentBench.large(m, size, tile, out);
          }
        }
      }
      return 0;
    }
    double flops = Flops.of(p, size, size);
    Tensor x = new Tensor(Axes.of("bcyx"), new long[] {1, 1, size, size}, noise(size));
    out.printf(Locale.ROOT, "model %s, input %dx%d, %.2f GFLOP per forward pass, %d runs, device %s, %d cores%n",
        p.name(), size, size, flops / 1e9, runs, device, Runtime.getRuntime().availableProcessors());
    out.printf("%-12s %-30s %10s %12s %10s %10s%n", "ENGINE", "FORMAT", "COLD (s)", "MEDIAN (ms)",
        "MPIX/S", "GFLOP/S");
    out.flush();
    List<double[]> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (WeightFormat f : WeightFormat.values()) {
      if (!p.weights().containsKey(f)) {
        continue;
      }
      for (EngineProvider e : Engines.forFormat(f)) {
        if (engine != null && !e.name().equals(Engines.canonical(engine))) {
          continue;
        }
        long t0 = System.nanoTime();
        try (Model m = Model.load(p, e.name(), device)) {
          Tensor in = m.preprocess(x);
          m.network().predict(in);
          double cold = (System.nanoTime() - t0) / 1e9;
          double[] ms = new double[runs];
          for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            m.network().predict(in);
            ms[i] = (System.nanoTime() - s) / 1e6;
          }
          Arrays.sort(ms);
          double med = ms[runs / 2];
          double mpix = (double) size * size / 1e6 / (med / 1e3);
          double gflops = flops / 1e9 / (med / 1e3);
          out.printf(Locale.ROOT, "%-12s %-30s %10.2f %12.1f %10.2f %10.2f  device=%s%n", e.name(),
              f.key(), cold, med, mpix, gflops, m.network().device());
          out.flush();
          rows.add(new double[] {med});
          names.add(e.name());
        }
      }
    }
    if (rows.size() > 1) {
      int best = 0;
      for (int i = 1; i < rows.size(); i++) {
        if (rows.get(i)[0] < rows.get(best)[0]) {
          best = i;
        }
      }
      StringBuilder sb = new StringBuilder("ratios to the fastest (" + names.get(best) + "):");
      for (int i = 0; i < rows.size(); i++) {
        sb.append(String.format(Locale.ROOT, " %s %.2fx", names.get(i), rows.get(i)[0] / rows.get(best)[0]));
      }
      out.println(sb);
    }
    out.flush();
    return 0;
  }

  private List<EngineProvider> engines(ModelPackage p) {
    List<EngineProvider> l = new ArrayList<>();
    for (WeightFormat f : WeightFormat.values()) {
      if (p.weights().containsKey(f)) {
        for (EngineProvider e : Engines.forFormat(f)) {
          if (engine == null || e.name().equals(Engines.canonical(engine))) {
            l.add(e);
          }
        }
      }
    }
    return l;
  }

  private static float[] noise(int size) {
    Random r = new Random(42);
    float[] d = new float[size * size];
    for (int i = 0; i < d.length; i++) {
      d[i] = 100 + 50 * (float) r.nextGaussian();
    }
    return d;
  }
}
