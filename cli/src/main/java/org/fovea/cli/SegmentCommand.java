package org.fovea.cli;

import ij.ImagePlus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.ImageFiles;
import org.fovea.io.OutputPaths;
import org.fovea.io.ImagePlusPlanes;
import org.fovea.io.zarr.Compressors;
import org.fovea.io.zarr.OmeZarr;
import org.fovea.io.zarr.ZarrSegmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin
  ModelOptions m = new ModelOptions();

  @Option(names = {"-o", "--output"}, description = "output file (one input) or folder; a Zarr"
      + " input (or an output named *.zarr) is written as an OME-Zarr image, chunk by chunk")
  Path output;

  @Option(names = "--zarr-compressor", defaultValue = "zstd", description = "chunk compressor of a"
      + " Zarr output: zstd, zlib, gzip, blosc or none (default: ${DEFAULT-VALUE})")
  String zarrCompressor;

  @Parameters(arity = "0..*", paramLabel = "INPUT",
      description = "images to segment (default: the shipped sample image)")
  List<Path> inputs = new ArrayList<>();

  @Override
  public Integer call() {
    List<Path> ins = inputs.isEmpty() ? List.of(ImageFiles.sample()) : inputs;
    long tile = this.m.tile;
    // every output is named and checked before the model is loaded: none may be an input or
    // another output of this run
    OutputPaths.Names names = OutputPaths.names(ins);
    Map<Path, List<Path>> plan = new LinkedHashMap<>();
    for (Path in : ins) {
      plan.put(in, List.of(zarr(in) ? zarrOutput(names, in, ins.size())
          : names.of(in, output, ins.size(), "-probabilities.tif")));
    }
    OutputPaths.check(plan);
    if (names.note() != null) {
      spec.commandLine().getErr().println("fovea: note: " + names.note());
    }
    try (Model m = this.m.request().load()) {
      if (m.network().outputs().size() > 1) {
        // one TIFF or OME-Zarr image per output: the further ones are checked like the first
        Map<Path, List<Path>> all = new LinkedHashMap<>();
        for (Path in : ins) {
          all.put(in, ImageFiles.outputFiles(m, plan.get(in).get(0)));
        }
        OutputPaths.check(all);
      }
      for (Path in : ins) {
        one(m, in, plan.get(in).get(0), tile);
      }
    }
    return 0;
  }

  private void one(Model m, Path in, Path dest, long tile) {
    long t0 = System.nanoTime();
    ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), in.getFileName().toString());
    if (zarr(in)) {
      Segmentation.Result r = OmeZarr.looksLikeZarr(in)
          ? ZarrSegmentation.segment(m, in, dest, tile, Compressors.named(zarrCompressor), bar)
          : ZarrSegmentation.segment(m, planeOf(ImageFiles.open(in), in), dest, tile,
              Compressors.named(zarrCompressor), bar);
      bar.done();
      report(in, m, r.tiles(), r.halo(), r.nans(), t0, dest);
      return;
    }
    ImagePlus imp = ImageFiles.open(in);
    ImageFiles.Segmented r = ImageFiles.segmentToTiff(m, imp, tile, bar, dest);
    bar.done();
    report(in, m, r.tiles(), r.halo(), r.nans(), t0, dest);
  }

  private void report(Path in, Model m, int tiles, long halo, long nans, long t0, Path dest) {
    PrintWriter out = spec.commandLine().getOut();
    String warning = ImageFiles.nonFiniteWarning(in, nans);
    if (warning != null) {
      spec.commandLine().getErr().println("fovea: warning: " + warning);
    }
    out.printf(Locale.ROOT,
        "%s: model=%s engine=%s device=%s tiles=%d halo=%d seconds=%.2f -> %s%n", in,
        m.pkg().name(), m.network().engine(), m.network().device(), tiles, halo,
        (System.nanoTime() - t0) / 1e9, m.network().outputs().size() > 1
            ? String.join(", ", ImageFiles.outputFiles(m, dest).stream().map(Path::toString)
                .toList()) : dest.toString());
    out.flush();
  }

  private static boolean isZarrName(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zarr");
  }

  /** Whether {@code in} is segmented into an OME-Zarr store. */
  private boolean zarr(Path in) {
    return OmeZarr.looksLikeZarr(in) || (output != null && isZarrName(output));
  }

  /** Where the OME-Zarr output of {@code in} goes: never inside the input store. */
  private Path zarrOutput(OutputPaths.Names names, Path in, int n) {
    Path dest;
    if (output != null && isZarrName(output) && n == 1) {
      dest = output;
    } else {
      dest = names.of(in, output == null || isZarrName(output) ? null : output, n,
          "-probabilities.zarr");
      if (output != null && !Files.isDirectory(output)) {
        throw new FoveaException("the output " + output + " of " + n + " inputs must be a folder:"
            + " create it, or give one input with -o NAME.zarr");
      }
      if (output != null && OmeZarr.looksLikeZarr(output)) {
        throw new FoveaException("the output " + output + " is a Zarr store, not a folder for "
            + n + " outputs: give a folder, or one input with -o NAME.zarr");
      }
    }
    Path a = dest.toAbsolutePath().normalize();
    Path b = in.toAbsolutePath().normalize();
    if (a.startsWith(b) || b.startsWith(a)) {
      throw new FoveaException("the output " + dest + " would overwrite or sit inside the input "
          + in + ": choose another -o");
    }
    return dest;
  }

  private static org.fovea.ops.tiling.PlaneSource planeOf(ImagePlus imp, Path in) {
    if (imp.getNSlices() * imp.getNFrames() > 1) {
      throw new FoveaException(in + " has " + imp.getNSlices() * imp.getNFrames() + " planes (z or"
          + " time): a Zarr output holds one 2D image; write a TIFF output instead");
    }
    return ImagePlusPlanes.source(imp, 1, 1);
  }
}
