package org.fovea.cli;

import com.google.gson.GsonBuilder;
import ij.ImagePlus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.instances.InstanceExtraction;
import org.fovea.io.instances.VolumeExtraction;
import org.fovea.io.instances.LabelFiles;
import org.fovea.io.instances.ObjectTable;
import org.fovea.io.instances.RoiSets;
import org.fovea.io.batch.FileOperation;
import org.fovea.io.instances.StarExtraction;
import org.fovea.io.ImageFiles;
import org.fovea.io.OutputPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fovea instances}: labelled objects from a background/interior/boundary model (seeded
 * watershed) or from a star-convex model (polygons and NMS, {@link StarExtraction}).
 *
 * @since 0.1.0
 */
@Command(name = "instances", mixinStandardHelpOptions = true,
    description = "Labelled objects of each image: segmentation, seeds, seeded watershed, filters;"
        + " a 16-bit label image and optionally a CSV table with one row per object.")
public final class InstancesCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions m = new ModelOptions();

  @Option(names = "--method", defaultValue = "auto",
      description = "auto, watershed, star or boxes; auto is star on models that declare"
          + " star-convex outputs, otherwise the watershed; boxes renders --boxes detections after"
          + " NMS (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--boxes", description = "--method boxes: detections CSV"
      + " (x,y,width,height,score[,mask]); with several inputs, a folder of NAME.csv")
  Path boxes;

  @Option(names = "--iou", defaultValue = "0.5",
      description = "--method boxes: suppress when IoU is greater (default: ${DEFAULT-VALUE})")
  double nmsIou;

  @Option(names = "--min-score", defaultValue = "0",
      description = "--method boxes: drop boxes scoring less (default: ${DEFAULT-VALUE})")
  double minScore;

  @Option(names = "--soft-nms",
      description = "--method boxes: Gaussian soft-NMS instead of greedy NMS")
  boolean softNms;

  @Option(names = "--sigma", defaultValue = "0.5",
      description = "--soft-nms: Gaussian width (default: ${DEFAULT-VALUE})")
  double sigma;

  @Mixin
  StarOptions starOptions = new StarOptions();

  @Mixin
  InstanceOptions watershed = new InstanceOptions();

  @Option(names = {"-o", "--output"}, description = "label image (one input) or folder")
  Path output;

  @Option(names = "--csv", description = "object table (one input) or folder")
  Path csv;

  @Option(names = "--rois",
      description = "ImageJ ROI set, one outline per object (one input) or folder")
  Path rois;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Parameters(arity = "0..*", paramLabel = "INPUT",
      description = "images (default: the shipped sample image)")
  List<Path> inputs = new ArrayList<>();

  @Override
  public Integer call() {
    if (method.equals("boxes")) {
      return BoxInstances.run(this, spec.commandLine().getOut());
    }
    if (!method.equals("auto") && !method.equals("watershed") && !method.equals("star")) {
      throw new FoveaException("method '" + method + "' is not available: use auto, watershed,"
          + " star or boxes");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Path> ins = inputs.isEmpty() ? List.of(ImageFiles.sample()) : inputs;
    Map<Path, Outputs> plan = outputs(ins, Map.of());
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Model m = this.m.request().load()) {
      // the same operation as fovea batch instances and fovea-spark instances; the parameters of
      // the method that applies are checked before the first file
      boolean star = StarExtraction.applies(m, method);
      FileOperation op = FileOperation.instances(this.m.request(), method,
          star ? null : watershed.params(), star ? starOptions.params() : null);
      op.options(m);
      for (Path in : ins) {
        long t0 = System.nanoTime();
        ImagePlus imp = ImageFiles.open(in);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), in.getFileName().toString());
        if (Segmentation.volumetric(m)) {
          rows.add(volume(m, op.extractVolume(m, imp, bar), in, imp, plan.get(in), bar, t0, out));
          continue;
        }
        InstanceExtraction.Result r = op.extract(m, imp, bar);
        bar.done();
        String warning = ImageFiles.nonFiniteWarning(in, r.nans());
        if (warning != null) {
          spec.commandLine().getErr().println("fovea: warning: " + warning);
        }
        Path dest = plan.get(in).labels();
        LabelFiles.write(r.labels(), imp, dest);
        Path table = plan.get(in).csv();
        if (table != null) {
          ObjectTable.write(r.objects(), table);
        }
        Path roiZip = plan.get(in).rois();
        if (roiZip != null) {
          RoiSets.write(r.labels(), roiZip);
        }
        rows.add(report(m, in, plan.get(in), r.objects().size(), null, t0, out));
      }
    }
    if (json) {
      out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(rows));
    }
    out.flush();
    return 0;
  }

  /** 3D objects of a z-stack with a 3D model: label stack, table, ROIs per slice. */
  private Map<String, Object> volume(Model m, VolumeExtraction.Result r, Path in, ImagePlus imp,
      Outputs o, ProgressBar bar, long t0, PrintWriter out) {
    bar.done();
    String warning = ImageFiles.nonFiniteWarning(in, r.nans());
    if (warning != null) {
      spec.commandLine().getErr().println("fovea: warning: " + warning);
    }
    VolumeExtraction.write(r.labels(), imp, o.labels());
    if (o.csv() != null) {
      VolumeExtraction.writeTable(r.objects(), o.csv());
    }
    if (o.rois() != null) {
      VolumeExtraction.writeRois(r.labels(), r.objects(), o.rois());
    }
    return report(m, in, o, r.objects().size(), r.spacingZ(), t0, out);
  }

  /**
   * One input's row of the JSON output, and its line unless JSON is asked.
   *
   * @param spacingZ the z spacing of a z-stack's objects, null for a 2D image
   */
  private Map<String, Object> report(Model m, Path in, Outputs o, int objects, Double spacingZ,
      long t0, PrintWriter out) {
    double secs = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("input", in.toString());
    e.put("model", m.pkg().name());
    e.put("engine", m.network().engine());
    e.put("device", m.network().device());
    e.put("objects", objects);
    if (spacingZ != null) {
      e.put("z_spacing", spacingZ);
    }
    e.put("labels", o.labels().toString());
    e.put("csv", o.csv() == null ? null : o.csv().toString());
    e.put("rois", o.rois() == null ? null : o.rois().toString());
    e.put("seconds", secs);
    if (!json) {
      out.printf(Locale.ROOT, "%s: model=%s engine=%s device=%s objects=%d%s seconds=%.2f"
          + " -> %s%s%s%n", in, m.pkg().name(), m.network().engine(), m.network().device(),
          objects, spacingZ == null ? "" : String.format(Locale.ROOT, " (3D, z spacing %.3g)",
              spacingZ), secs, o.labels(), o.csv() == null ? "" : ", " + o.csv(),
          o.rois() == null ? "" : ", " + o.rois());
    }
    return e;
  }

  /**
   * The files written for one input.
   *
   * @param labels the label image
   * @param csv the object table, or null
   * @param rois the ROI set, or null
   */
  record Outputs(Path labels, Path csv, Path rois) {
    List<Path> files() {
      List<Path> f = new ArrayList<>(List.of(labels));
      if (csv != null) {
        f.add(csv);
      }
      if (rois != null) {
        f.add(rois);
      }
      return f;
    }
  }

  /**
   * Names every input's outputs and checks them (none is an input or another output), before
   * the model is loaded.
   *
   * @param ins the images
   * @param read other files the run reads (a boxes CSV per image), which must not be written
   * @return each image's outputs
   */
  Map<Path, Outputs> outputs(List<Path> ins, Map<Path, Path> read) {
    OutputPaths.Names names = OutputPaths.names(ins);
    Map<Path, Outputs> r = new LinkedHashMap<>();
    Map<Path, List<Path>> plan = new LinkedHashMap<>();
    for (Path in : ins) {
      int n = ins.size();
      Outputs o = new Outputs(names.of(in, output, n, "-labels.tif"),
          csv == null ? null : names.of(in, csv, n, "-objects.csv"),
          rois == null ? null : names.of(in, rois, n, "-rois.zip"));
      r.put(in, o);
      plan.put(in, o.files());
    }
    for (Path f : read.values()) {
      plan.putIfAbsent(f, List.of());
    }
    OutputPaths.check(plan);
    if (names.note() != null) {
      spec.commandLine().getErr().println("fovea: note: " + names.note());
    }
    return r;
  }
}
