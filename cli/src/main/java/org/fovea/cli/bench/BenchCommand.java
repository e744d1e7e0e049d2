package org.fovea.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.fovea.cli.ModelOptions;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fovea bench MODE}: measurements side by side in one process, one subcommand per mode.
 * The model options are the same mixin as every other command's ({@link ModelOptions}).
 *
 * @since 0.1.0
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measurements side by side in one process: engines, tiling, large, zarr, batch,"
        + " saliency, instances, star-nms, dense, volume, precision.",
    subcommands = {BenchCommand.EnginesBench.class, BenchCommand.Tiling.class,
        BenchCommand.Large.class, BenchCommand.Zarr.class, BenchCommand.Batch.class,
        BenchCommand.Saliency.class, BenchCommand.Instances.class, BenchCommand.StarNms.class,
        BenchCommand.DenseMode.class, BenchCommand.Volume.class, BenchCommand.PrecisionMode.class})
public final class BenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--peak", arity = "0..1", fallbackValue = "4096", paramLabel = "N",
      description = "measure the machine's single-precision matrix-multiply peak: ONNX Runtime's"
          + " MatMul of two N x N matrices, best of 5 (default N: 4096)")
  Integer peak;

  @Option(names = "--dense", description = "the same as 'fovea bench dense' on nuclei-strided at"
      + " 1024 x 1024, 3 runs: the strided pass, a trous and shift-and-stitch for strides 2, 4, 8")
  boolean dense;

  @Override
  public Integer call() {
    if (peak != null) {
      printPeak(spec.commandLine().getOut(), peak);
    }
    if (dense) {
      DenseBench.run(Zoo.resolve("nuclei-strided"), 1024, 3, spec.commandLine().getOut());
    }
    if (peak != null || dense) {
      return 0;
    }
    // `fovea bench` alone: which modes there are
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Measures and prints the peak; returns it in GFLOP/s. */
  static double printPeak(PrintWriter out, int n) {
    org.fovea.models.engine.MatMulPeak.Result r = org.fovea.models.engine.MatMulPeak.measure(n, 5);
    out.printf(Locale.ROOT, "peak: onnxruntime MatMul %dx%d float32, best of 5: %.1f ms, %.1f"
        + " GFLOP/s (%d cores)%n", n, n, r.bestMs(), r.gflops(),
        Runtime.getRuntime().availableProcessors());
    out.flush();
    return r.gflops();
  }

  /** Options every mode has. */
  static final class Sizes {
    @Option(names = "--size", defaultValue = "1024",
        description = "input is SIZE x SIZE (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--runs", defaultValue = "7",
        description = "timed runs (default: ${DEFAULT-VALUE})")
    int runs;
  }

  /** A mode that loads a model. */
  abstract static class ModelMode implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ModelOptions m;
    @Mixin
    Sizes s;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    ModelPackage pkg() {
      return Zoo.resolve(m.model);
    }

    /** The engines that run the package, or only {@code --engine}. */
    List<EngineProvider> engines(ModelPackage p) {
      List<EngineProvider> l = new ArrayList<>();
      for (WeightFormat f : WeightFormat.values()) {
        if (p.weights().containsKey(f)) {
          for (EngineProvider e : Engines.forFormat(f)) {
            if (m.engine == null || e.name().equals(Engines.canonical(m.engine))) {
              l.add(e);
            }
          }
        }
      }
      return l;
    }

    /** Prints the header, then runs the measurement once per engine, each with its own model. */
    Integer perEngine(java.util.function.Consumer<Model> measure) {
      ModelPackage p = pkg();
      out().printf(Locale.ROOT, "model %s, %d cores, max heap %d MiB%n", p.name(),
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
      for (EngineProvider e : engines(p)) {
        try (Model model = Model.load(p, e.name(), m.device)) {
          measure.accept(model);
        }
      }
      return 0;
    }
  }

  /** {@code fovea bench engines}. */
  @Command(name = "engines", mixinStandardHelpOptions = true,
      description = "Cold start, median forward time, megapixels/s and GFLOP/s of each engine.")
  static final class EnginesBench extends ModelMode {
    @Option(names = "--peak", arity = "0..1", fallbackValue = "4096", paramLabel = "N",
        description = "first measure the matrix-multiply peak (ONNX Runtime MatMul, N x N, best"
            + " of 5; default N: 4096) and print each engine's GFLOP/s as a fraction of it")
    Integer peak;

    @Override
    public Integer call() {
      double peakGflops = peak == null ? Double.NaN : printPeak(out(), peak);
      ModelPackage p = pkg();
      int size = s.size;
      int runs = s.runs;
      PrintWriter out = out();
      double flops = Flops.of(p, size, size);
      Tensor x = new Tensor(Axes.of("bcyx"), new long[] {1, 1, size, size}, noise(size));
      out.printf(Locale.ROOT, "model %s, input %dx%d, %.2f GFLOP per forward pass, %d runs,"
          + " device %s, %d cores%n", p.name(), size, size, flops / 1e9, runs, m.device,
          Runtime.getRuntime().availableProcessors());
      // OF PEAK: the median run's GFLOP/s over the peak (the best of 5 MatMuls); BEST OF PEAK:
      // the best run's, the same statistic as the peak's
      out.printf("%-12s %-30s %10s %12s %10s %10s%s%n", "ENGINE", "FORMAT", "COLD (s)",
          "MEDIAN (ms)", "MPIX/S", "GFLOP/S", Double.isNaN(peakGflops) ? ""
              : "    OF PEAK  BEST (ms)  BEST OF PEAK");
      out.flush();
      List<Double> medians = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (WeightFormat f : WeightFormat.values()) {
        if (!p.weights().containsKey(f)) {
          continue;
        }
        for (EngineProvider e : Engines.forFormat(f)) {
          if (m.engine != null && !e.name().equals(Engines.canonical(m.engine))) {
            continue;
          }
          long t0 = System.nanoTime();
          try (Model model = Model.load(p, e.name(), m.device)) {
            Tensor in = model.preprocess(x);
            model.network().predict(in);
            double cold = (System.nanoTime() - t0) / 1e9;
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
              long t = System.nanoTime();
              model.network().predict(in);
              ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            double med = ms[runs / 2];
            double gflops = flops / 1e9 / (med / 1e3);
            out.printf(Locale.ROOT, "%-12s %-30s %10.2f %12.1f %10.2f %10.2f%s  device=%s%n",
                e.name(), f.key(), cold, med, (double) size * size / 1e6 / (med / 1e3),
                gflops, Double.isNaN(peakGflops) ? ""
                    : String.format(Locale.ROOT, " %10.2f %10.1f %13.2f", gflops / peakGflops,
                        ms[0], flops / 1e9 / (ms[0] / 1e3) / peakGflops),
                model.network().device());
            out.flush();
            medians.add(med);
            names.add(e.name());
          }
        }
      }
      if (medians.size() > 1) {
        int best = 0;
        for (int i = 1; i < medians.size(); i++) {
          best = medians.get(i) < medians.get(best) ? i : best;
        }
        StringBuilder sb = new StringBuilder("ratios to the fastest (" + names.get(best) + "):");
        for (int i = 0; i < medians.size(); i++) {
          sb.append(String.format(Locale.ROOT, " %s %.2fx", names.get(i),
              medians.get(i) / medians.get(best)));
        }
        out.println(sb);
      }
      out.flush();
      return 0;
    }
  }

  /** {@code fovea bench tiling}. */
  @Command(name = "tiling", mixinStandardHelpOptions = true, description = "Tiled segmentation"
      + " vs one whole-image forward on a SIZE x SIZE image, and segmentation to a TIFF (tiles one"
      + " after another, and pipelined) vs the engine alone on the same tiles, per engine (try"
      + " --size 2048 --engine onnx).")
  static final class Tiling extends ModelMode {
    @Override
    public Integer call() {
      return perEngine(model -> {
        SegmentBench.tiling(model, s.size, m.tile, s.runs, out());
        SegmentBench.toTiff(model, s.size, m.tile, s.runs, out());
      });
    }
  }

  /** {@code fovea bench large}. */
  @Command(name = "large", mixinStandardHelpOptions = true, description = "Segment a SIZE x SIZE"
      + " TIFF into a TIFF: megapixels/s and peak Java heap, per engine (try --size 8192 with"
      + " FOVEA_JAVA_OPTS=-Xmx1g).")
  static final class Large extends ModelMode {
    @Override
    public Integer call() {
      return perEngine(model -> SegmentBench.large(model, s.size, m.tile, out()));
    }
  }

  /** {@code fovea bench saliency}. */
  @Command(name = "saliency", mixinStandardHelpOptions = true, description = "Integrated"
      + " Gradients vs batched forward+backward passes, batched vs unbatched occlusion, per engine"
      + " (try --size 128 --runs 3).")
  static final class Saliency extends ModelMode {
    @Override
    public Integer call() {
      return perEngine(model -> SaliencyBench.run(model, s.size, s.runs, out()));
    }
  }

  /** {@code fovea bench dense}. */
  @Command(name = "dense", mixinStandardHelpOptions = true, description = "Dense prediction of a"
      + " strided ONNX model (default nuclei-strided) and of the same model with only its first"
      + " 1, 2 ... strided layers (total strides 2, 4, 8): the single strided pass, the a trous"
      + " pass and shift-and-stitch, side by side, with their largest difference (try --size 512"
      + " --runs 3).")
  static final class DenseMode extends ModelMode {
    @Override
    public Integer call() {
      boolean given = spec.commandLine().getParseResult().hasMatchedOption("--model");
      DenseBench.run(Zoo.resolve(given ? m.model : "nuclei-strided"), s.size, s.runs, out());
      return 0;
    }
  }

  /** {@code fovea bench precision}. */
  @Command(name = "precision", mixinStandardHelpOptions = true, description = "Every shipped"
      + " model (or --model) in fp32 and in int8 on ONNX Runtime, cpu, side by side on the"
      + " shipped sample image: median ms of each (interleaved), speed-up, max |int8 - fp32|, and"
      + " whether --precision int8 accepts it (test output within the package's tolerance);"
      + " then fp32 and fp16 (Fovea's float16 graph) the same way on --device.")
  static final class PrecisionMode extends ModelMode {
    @Override
    public Integer call() {
      boolean given = spec.commandLine().getParseResult().hasMatchedOption("--model");
      List<org.fovea.models.pkg.ModelPackage> pkgs = given ? List.of(pkg())
          : PrecisionBench.shipped();
      PrecisionBench.run(pkgs, s.runs, out());
      PrecisionBench.fp16(pkgs, s.runs, m.device == null ? "cpu" : m.device, out());
      return 0;
    }
  }

  /** {@code fovea bench volume}. */
  @Command(name = "volume", mixinStandardHelpOptions = true, description = "A z-stack through a"
      + " 3D model (default nuclei-3d): the shipped 3D sample mirrored up to SIZE x SIZE, tiled"
      + " segmentation then 3D instances, time of each and peak heap (try --size 256 --runs 3).")
  static final class Volume extends ModelMode {
    @Override
    public Integer call() {
      boolean given = spec.commandLine().getParseResult().hasMatchedOption("--model");
      try (Model model = Model.load(Zoo.resolve(given ? m.model : "nuclei-3d"),
          m.engine == null ? "onnx" : m.engine, m.device)) {
        VolumeBench.run(model, org.fovea.io.ImageFiles.sample().resolveSibling(
            "nuclei3d-synthetic-64x128x128.tif"), s.size, m.tile, s.runs, out());
      }
      return 0;
    }
  }

  /** {@code fovea bench zarr}. */
  @Command(name = "zarr", mixinStandardHelpOptions = true, description = "Segment a SIZE x SIZE"
      + " float32 OME-Zarr image into OME-Zarr, chunk by chunk, against the same image tiled in"
      + " memory (skipped when it does not fit the heap); throughput ratio and peak heap (try"
      + " --size 4096 --runs 3; ONNX Runtime unless --engine).")
  static final class Zarr extends ModelMode {
    @Option(names = "--zarr-compressor", defaultValue = "zstd",
        description = "chunk compressor (default: ${DEFAULT-VALUE})")
    String compressor;

    @Override
    public Integer call() {
      ModelPackage p = pkg();
      out().printf(Locale.ROOT, "model %s, %d cores, max heap %d MiB, %d runs%n", p.name(),
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
          s.runs);
      try (Model model = Model.load(p, m.engine == null ? "onnx" : m.engine, m.device)) {
        ZarrBench.compare(model, s.size, m.tile, s.runs, compressor, out());
      }
      return 0;
    }
  }

  /** {@code fovea bench batch}. */
  @Command(name = "batch", mixinStandardHelpOptions = true, description = "fovea batch instances"
      + " over --images synthetic SIZE x SIZE images with --jobs 1 and --jobs N, side by side (try"
      + " --size 256).")
  static final class Batch extends ModelMode {
    @Option(names = "--images", defaultValue = "32", description = "images (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--jobs", defaultValue = "2",
        description = "parallel files (default: ${DEFAULT-VALUE})")
    int jobs;

    @Override
    public Integer call() {
      BatchBench.run(m.request(), images, s.size, jobs, s.runs, out());
      return 0;
    }
  }

  /** {@code fovea bench instances}. */
  @Command(name = "instances", mixinStandardHelpOptions = true, description = "The instance step"
      + " on a SIZE x SIZE synthetic probability map (try --size 4096) and NMS of --boxes"
      + " candidates, indexed vs all pairs.")
  static final class Instances implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    Sizes s;

    @Option(names = "--boxes", defaultValue = "50000",
        description = "NMS candidates (default: ${DEFAULT-VALUE})")
    int boxes;

    @Override
    public Integer call() {
      // about 1.2 discs per 1000 px: 20,000 at 4096 x 4096
      InstancesBench.run(s.size, (int) Math.round(s.size * (double) s.size * 20000
          / (4096.0 * 4096)), boxes, Math.max(1, Math.min(s.runs, 3)),
          spec.commandLine().getOut());
      return 0;
    }
  }

  /** {@code fovea bench star-nms}. */
  @Command(name = "star-nms", mixinStandardHelpOptions = true, description = "Greedy NMS of"
      + " --candidates star-convex polygons in a SIZE x SIZE image, grid index vs all pairs (try"
      + " --candidates 50000 --size 4096).")
  static final class StarNms implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    Sizes s;

    @Option(names = "--candidates", defaultValue = "50000",
        description = "candidates (default: ${DEFAULT-VALUE})")
    int candidates;

    @Override
    public Integer call() {
      StarNmsBench.run(candidates, s.size, s.runs, spec.commandLine().getOut());
      spec.commandLine().getOut().flush();
      return 0;
    }
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
