package org.fovea.cli;

import com.google.gson.GsonBuilder;
import ij.ImagePlus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fovea.ops.instances.BoxLabels;
import org.fovea.ops.instances.Nms;
import org.fovea.ops.instances.ObjectStats;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.instances.Detections;
import org.fovea.io.instances.LabelFiles;
import org.fovea.io.instances.ObjectTable;
import org.fovea.io.instances.RoiSets;
import org.fovea.io.ImageFiles;

/**
 * {@code fovea instances --method boxes}: detections after greedy or soft NMS, rendered into a
 * label image the size of each input image (most confident box on top); the object table's score
 * is the box's (decayed, with soft-NMS) score.
 *
 * @since 0.1.0
 */
final class BoxInstances {

  private BoxInstances() {}

  static int run(InstancesCommand c, PrintWriter out) {
    if (c.boxes == null) {
      throw new FoveaException("--method boxes needs --boxes FILE.csv (x,y,width,height,score"
          + "[,mask] per line)");
    }
    if (c.inputs.isEmpty()) {
      throw new FoveaException("--method boxes needs the INPUT image the boxes were found on");
    }
    if (!(c.nmsIou >= 0 && c.nmsIou <= 1)) {
      throw new FoveaException("--iou " + c.nmsIou + " is outside [0, 1]: give an IoU threshold"
          + " such as 0.5");
    }
    if (c.softNms && !(c.sigma > 0)) {
      throw new FoveaException("--sigma " + c.sigma + " is not positive: give a Gaussian width"
          + " such as 0.5");
    }
    Map<Path, Path> boxFiles = new LinkedHashMap<>();
    for (Path in : c.inputs) {
      boxFiles.put(in, c.inputs.size() > 1 || Files.isDirectory(c.boxes)
          ? c.boxes.resolve(stem(in) + ".csv") : c.boxes);
    }
    Map<Path, InstancesCommand.Outputs> plan = c.outputs(c.inputs, boxFiles);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Path in : c.inputs) {
      long t0 = System.nanoTime();
      Path csvIn = boxFiles.get(in);
      Detections d = Detections.read(csvIn);
      ImagePlus imp = ImageFiles.open(in);
      int[] order;
      double[] score = d.scores();
      if (c.softNms) {
        Nms.Soft s = Nms.soft(d.boxes(), d.scores(), c.sigma, c.minScore);
        order = s.order();
        score = d.scores().clone();
        for (int k = 0; k < order.length; k++) {
          score[order[k]] = s.scores()[k];
        }
      } else {
        order = Nms.greedy(d.boxes(), d.scores(), c.nmsIou, c.minScore);
      }
      BoxLabels.Rendered r = BoxLabels.render(imp.getWidth(), imp.getHeight(), d.boxes(), order,
          d.masks());
      int[] l = r.labels().labels();
      float[] perPixel = new float[l.length];
      for (int i = 0; i < l.length; i++) {
        perPixel[i] = l[i] == 0 ? 0f : (float) score[r.box()[l[i] - 1]];
      }
      float[] px = imp.getStackSize() == 1 && imp.getType() != ImagePlus.COLOR_RGB
          ? (float[]) imp.getProcessor().convertToFloatProcessor().getPixels() : null;
      List<ObjectStats> objects = ObjectStats.measure(r.labels(), px, perPixel);
      Path dest = plan.get(in).labels();
      LabelFiles.write(r.labels(), imp, dest);
      Path table = plan.get(in).csv();
      if (table != null) {
        ObjectTable.write(objects, table);
      }
      Path roiZip = plan.get(in).rois();
      if (roiZip != null) {
        RoiSets.write(r.labels(), roiZip);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("input", in.toString());
      e.put("method", c.softNms ? "boxes-soft-nms" : "boxes");
      e.put("boxes", d.boxes().size());
      e.put("kept", order.length);
      e.put("objects", objects.size());
      e.put("labels", dest.toString());
      e.put("csv", table == null ? null : table.toString());
      e.put("rois", roiZip == null ? null : roiZip.toString());
      e.put("seconds", secs);
      rows.add(e);
      if (!c.json) {
        out.printf(Locale.ROOT, "%s: boxes=%d kept=%d objects=%d seconds=%.2f -> %s%s%s%n", in,
            d.boxes().size(), order.length, objects.size(), secs, dest,
            table == null ? "" : ", " + table, roiZip == null ? "" : ", " + roiZip);
      }
    }
    if (c.json) {
      out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(rows));
    }
    out.flush();
    return 0;
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
