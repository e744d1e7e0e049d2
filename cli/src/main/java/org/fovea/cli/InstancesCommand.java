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
import org.fovea.io.batch.Batch;
import org.fovea.io.batch.BatchOperation;
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
        + " a 16-bit label image and optionally a CSV table with one row per object. With several"
        + " images, a file that fails is reported and the others go on; summary.csv and"
        + " failures.csv lie beside the label images, and --resume skips finished files.")
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

  @Option(names = "--resume", description = "several images: skip those whose outputs are"
      + " complete from an earlier run with the same options (the log in the label images'"
      + " folder, as fovea batch --resume)")
  boolean resume;

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
    if (resume && ins.size() < 2) {
      throw new FoveaException("--resume applies to several images (their log lies beside the"
          + " label images): give several inputs, or leave out --resume");
    }
    Map<Path, Outputs> plan = outputs(ins, Map.of());
    List<Map<String, Object>> rows = new ArrayList<>();
    int code = 0;
    try (Model m = this.m.request().load()) {
      // the same operation as fovea batch instances and fovea-spark instances; the parameters of
      // the method that applies are checked before the first file
      boolean star = StarExtraction.applies(m, method);
      FileOperation op = FileOperation.instances(this.m.request(), method,
          star ? null : watershed.params(), star ? starOptions.params() : null);
      op.options(m);
      if (ins.size() == 1) {
        rows.add(one(m, op, ins.get(0), plan.get(ins.get(0)), out));
      } else {
        code = several(m, op, ins, plan, rows, out);
      }
    }
    if (json) {
      out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(rows));
    }
    out.flush();
    return code;
  }

  /** One image: its objects written, its row. */
  private Map<String, Object> one(Model m, FileOperation op, Path in, Outputs o,
      PrintWriter out) {
    long t0 = System.nanoTime();
    ImagePlus imp = ImageFiles.open(in);
    ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), in.getFileName().toString());
    if (Segmentation.volumetric(m)) {
      return volume(m, op.extractVolume(m, imp, bar), in, imp, o, bar, t0, out);
    }
    InstanceExtraction.Result r = op.extract(m, imp, bar);
    bar.done();
    String warning = ImageFiles.nonFiniteWarning(in, r.nans());
    if (warning != null) {
      spec.commandLine().getErr().println("fovea: warning: " + warning);
    }
    LabelFiles.write(r.labels(), imp, o.labels());
    if (o.csv() != null) {
      ObjectTable.write(r.objects(), o.csv());
    }
    if (o.rois() != null) {
      RoiSets.write(r.labels(), o.rois());
    }
    return report(m, in, o, r.objects().size(), null, t0, out);
  }

  /**
   * Several images as a file job ({@link Batch}): a file that fails is reported and the others go
   * on; {@code summary.csv}, {@code failures.csv} and the resume log lie in the label images'
   * folder, as {@code fovea batch instances} writes them.
   *
   * @return 0, or 1 when a file failed
   */
  private int several(Model m, FileOperation op, List<Path> ins, Map<Path, Outputs> plan,
      List<Map<String, Object>> rows, PrintWriter out) {
    BatchOperation named = op.on(m);
    Map<Path, Map<String, Object>> byInput = new LinkedHashMap<>();
    BatchOperation each = new BatchOperation() {
      @Override
      public String name() {
        return named.name();
      }

      @Override
      public String options() {
        return named.options();
      }

      @Override
      public List<String> outputs(String base) {
        throw new UnsupportedOperationException("the outputs are named by fovea instances");
      }

      @Override
      public Integer run(Path input, List<Path> outputs) {
        Map<String, Object> row = one(m, op, input, plan.get(input), out);
        byInput.put(input, row);
        return (Integer) row.get("objects");
      }
    };
    Map<Path, List<Path>> files = new LinkedHashMap<>();
    plan.forEach((in, o) -> files.put(in, o.files()));
    Path tables = (output == null ? Path.of("") : output).toAbsolutePath().normalize();
    PrintWriter err = spec.commandLine().getErr();
    Batch.Report r = Batch.run(files, Path::toString, tables, each, 1, resume,
        (row, done, total) -> {
          if (row.status() == Batch.Status.FAILED) {
            String name = Path.of(row.file()).getFileName().toString();
            err.println("fovea: " + (row.error().contains(name) ? "" : row.file() + ": ")
                + row.error());
          } else if (row.status() == Batch.Status.SKIPPED) {
            out.printf(Locale.ROOT, "%s: skipped, complete from an earlier run (--resume)%n",
                row.file());
          }
        });
    for (int i = 0; i < ins.size(); i++) {
      Batch.Row b = r.rows().get(i);
      Map<String, Object> e = byInput.getOrDefault(ins.get(i), new LinkedHashMap<>());
      e.putIfAbsent("input", ins.get(i).toString());
      e.put("status", b.status().name().toLowerCase(Locale.ROOT));
      if (b.status() != Batch.Status.OK) {
        e.put("objects", b.objects());
        e.put("error", b.error());
      }
      rows.add(e);
    }
    long failed = r.count(Batch.Status.FAILED);
    err.flush();
    if (!json) {
      out.printf(Locale.ROOT, "instances: %d files, %d ok, %d skipped, %d failed, seconds=%.2f"
          + " -> %s%n", r.rows().size(), r.count(Batch.Status.OK),
          r.count(Batch.Status.SKIPPED), failed, r.seconds(), tables.resolve(Batch.SUMMARY));
    }
    if (failed > 0) {
      err.printf("fovea: %d of %d files failed; their errors are in %s%n", failed,
          r.rows().size(), tables.resolve(Batch.FAILURES));
      err.flush();
      return 1;
    }
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
