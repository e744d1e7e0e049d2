package org.fovea.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fovea.ops.instances.volume.LabelVolume;
import org.fovea.ops.instances.MatchStats;
import org.fovea.ops.instances.Matching;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.instances.VolumeExtraction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fovea match}: object matching scores of a predicted label image against ground truth.
 *
 * @since 0.1.0
 */
@Command(name = "match", mixinStandardHelpOptions = true,
    description = "Object matching scores (optimal one-to-one, IoU > threshold) of predicted"
        + " labels against ground-truth labels, one row per IoU threshold.")
public final class MatchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PRED", description = "predicted label image (2D, or a z-stack)")
  Path pred;

  @Parameters(index = "1", paramLabel = "GT", description = "ground-truth label image")
  Path truth;

  @Option(names = "--iou", split = ",", defaultValue = "0.5",
      description = "IoU thresholds, comma-separated (default: ${DEFAULT-VALUE})")
  List<Double> iou = new ArrayList<>();

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    // 2D label images, or z-stacks (IoU in voxels): a single plane is a stack of depth 1
    LabelVolume p = VolumeExtraction.read(pred);
    LabelVolume t = VolumeExtraction.read(truth);
    if (p.width() != t.width() || p.height() != t.height() || p.depth() != t.depth()) {
      throw new FoveaException("label images differ in size: " + pred + " is " + size(p)
          + " but " + truth + " is " + size(t) + ": compare images of the same size");
    }
    List<MatchStats> rs = Matching.match(p.labels(), t.labels(),
        iou.stream().mapToDouble(Double::doubleValue).toArray());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(json(rs));
    } else {
      out.printf(Locale.ROOT, "pred=%s gt=%s n_pred=%d n_true=%d%n", pred, truth,
          rs.isEmpty() ? 0 : rs.get(0).nPred(), rs.isEmpty() ? 0 : rs.get(0).nTrue());
      out.println("iou   tp    fp    fn    precision recall  f1      accuracy mean_iou pq");
      for (MatchStats s : rs) {
        out.printf(Locale.ROOT, "%-5.2f %-5d %-5d %-5d %-9.4f %-7.4f %-7.4f %-8.4f %-8.4f %.4f%n",
            s.threshold(), s.tp(), s.fp(), s.fn(), s.precision(), s.recall(), s.f1(), s.accuracy(),
            s.meanMatchedIou(), s.panopticQuality());
      }
    }
    out.flush();
    return 0;
  }

  private static String size(LabelVolume v) {
    return v.width() + "x" + v.height() + (v.depth() > 1 ? "x" + v.depth() : "");
  }

  private String json(List<MatchStats> rs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pred", pred.toString());
    m.put("gt", truth.toString());
    List<Map<String, Object>> l = new ArrayList<>();
    for (MatchStats s : rs) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("iou_threshold", s.threshold());
      e.put("n_pred", s.nPred());
      e.put("n_true", s.nTrue());
      e.put("tp", s.tp());
      e.put("fp", s.fp());
      e.put("fn", s.fn());
      e.put("precision", s.precision());
      e.put("recall", s.recall());
      e.put("f1", s.f1());
      e.put("accuracy", s.accuracy());
      e.put("mean_matched_iou", s.meanMatchedIou());
      e.put("mean_true_iou", s.meanTrueIou());
      e.put("panoptic_quality", s.panopticQuality());
      l.add(e);
    }
    m.put("results", l);
    return new GsonBuilder().setPrettyPrinting().create().toJson(m);
  }
}
