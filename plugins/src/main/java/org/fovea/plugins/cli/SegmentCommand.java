package org.fovea.plugins.cli;

import ij.ImagePlus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.plugins.io.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fovea segment}: per-pixel class probabilities at full resolution.
 *
 * @since 0.1.0
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
    description = "Per-pixel class probabilities of each image, tile by tile, seam-free.")
public final class SegmentCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", description = "model name or path (default: ${DEFAULT-VALUE})",
      defaultValue = Zoo.DEFAULT_MODEL)
  String model;

  @Option(names = "--engine", description = "onnx, pytorch or tensorflow (default: fastest for the weights)")
  String engine;

  @Option(names = "--tile", description = "tile core size in pixels; 0: as large as memory allows"
      + " (default: ${DEFAULT-VALUE})", defaultValue = "1024")
  long tile;

  @Option(names = "--device", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})",
      defaultValue = "auto")
  String device;

  @Option(names = "--axes", defaultValue = "bcyx", description = "axes of a bare model file"
      + " (.onnx, .pt, SavedModel; packages declare their own) (default: ${DEFAULT-VALUE})")
  String axes;

  @Option(names = "--normalize", defaultValue = "scale_range", description = "normalization of a"
      + " bare model file's input: scale_range (1st-99.8th percentile), zero_mean_unit_variance or"
      + " none (default: ${DEFAULT-VALUE})")
  String normalize;

  @Option(names = {"-o", "--output"}, description = "output file (one input) or folder")
  Path output;

  @Parameters(arity = "0..*", paramLabel = "INPUT",
      description = "images to segment (default: the shipped sample image)")
  List<Path> inputs = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> ins = inputs.isEmpty() ? List.of(ImageFiles.sample()) : inputs;
    try (Model m = Model.load(Zoo.resolve(model, new Zoo.Bare(axes, normalize)), engine, device)) {
      for (Path in : ins) {
        long t0 = System.nanoTime();
        ImagePlus imp = ImageFiles.open(in);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), in.getFileName().toString());
        Path dest = ImageFiles.outputFor(in, output, ins.size(), "-probabilities.tif");
        ImageFiles.Segmented r = ImageFiles.segmentToTiff(m, imp, tile, bar, dest);
        bar.done();
        if (r.nans() > 0) {
          spec.commandLine().getErr().printf("fovea: warning: %s has %d NaN pixels; they were"
              + " treated as 0 after normalization%n", in, r.nans());
        }
        out.printf(Locale.ROOT, "%s: model=%s engine=%s device=%s tiles=%d halo=%d seconds=%.2f -> %s%n",
            in, m.pkg().name(), m.network().engine(), m.network().device(), r.tiles(), r.halo(),
            (System.nanoTime() - t0) / 1e9, dest);
        out.flush();
      }
    }
    return 0;
  }
}
