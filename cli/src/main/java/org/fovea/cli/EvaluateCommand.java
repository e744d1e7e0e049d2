package org.fovea.cli;

import ij.ImagePlus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.models.Zoo;
import org.fovea.ops.metrics.Overlap;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;
import org.fovea.io.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fovea models evaluate}: foreground IoU of a model against a labelled image.
 *
 * @since 0.1.0
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Foreground IoU (argmax not background vs mask > 0) of a model on a labelled image.")
final class EvaluateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", defaultValue = Zoo.DEFAULT_MODEL)
  String model;

  @Option(names = "--image", required = true, description = "the image")
  Path image;

  @Option(names = "--mask", required = true, description = "labels or mask of the same size, 0 = background")
  Path mask;

  @Mixin
  EngineOptions eng = new EngineOptions();

  @Option(names = "--dense", defaultValue = "auto", description = "strided models: atrous,"
      + " shift-stitch, upsample (one strided pass interpolated bilinearly) or off; auto: atrous"
      + " for strided models (default: ${DEFAULT-VALUE})")
  String dense;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp32, int8, or fp16 on a GPU (used only"
      + " once the package's test tensors pass in it; see fovea segment --help)"
      + " (default: ${DEFAULT-VALUE})")
  String precision;

  @Override
  public Integer call() {
    ImagePlus img = ImageFiles.open(image);
    ImagePlus gt = ImageFiles.open(mask);
    if (img.getWidth() != gt.getWidth() || img.getHeight() != gt.getHeight()) {
      throw new FoveaException("mask " + mask + " is " + gt.getWidth() + "x" + gt.getHeight()
          + " but image " + image + " is " + img.getWidth() + "x" + img.getHeight());
    }
    int w = img.getWidth();
    int h = img.getHeight();
    float[] px = (float[]) img.getProcessor().convertToFloatProcessor().getPixels();
    boolean[] ref = new boolean[w * h];
    for (int i = 0; i < ref.length; i++) {
      ref[i] = gt.getProcessor().getf(i) > 0;
    }
    try (Model m = org.fovea.models.ModelRequest.builder().setModel(model).optEngine(eng.engine)
        .optDevice(eng.device).optDense(dense).optPrecision(precision).build().load()) {
      m.requireSameSize(h, w, "a foreground IoU against the mask");
      Tensor p = Segmentation.run(m, new Tensor(Axes.of("bcyx"), new long[] {1, 1, h, w}, px), 0, null)
          .probabilities();
      double iou = Overlap.iou(Overlap.foreground(p, 0), ref);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "model=%s engine=%s device=%s dense=%s image=%s"
          + " foreground_iou=%.4f%n", m.pkg().name(), m.network().engine(), m.network().device(),
          m.network() instanceof org.fovea.ops.dense.DenseNetwork d ? d.method().key() : "off",
          image.getFileName(), iou);
      out.flush();
    }
    return 0;
  }
}
