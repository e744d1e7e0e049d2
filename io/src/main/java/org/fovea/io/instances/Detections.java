package org.fovea.io.instances;

import ij.ImagePlus;
import ij.process.ImageProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fovea.ops.instances.Box;
import org.fovea.ops.instances.BoxLabels;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.ImageFiles;

/**
 * Detections read from CSV: one box per row, {@code x,y,width,height,score} (top-left corner and
 * size in pixels; pixel (x, y) covers [x, x+1) × [y, y+1)) and optionally a sixth column {@code
 * mask}: the path of a binary image (relative to the CSV's folder; non-zero inside) stretched over
 * the box, or empty or {@code none} for the whole box. A first row that is not numbers is a header.
 *
 * @param boxes the boxes, in file order
 * @param scores one per box
 * @param masks one per box, null entries for whole boxes
 * @since 0.1.0
 */
public record Detections(List<Box> boxes, double[] scores, List<BoxLabels.Mask> masks) {

  /**
   * @param csv the file
   * @return its detections
   * @throws FoveaException naming the file, the line and the fix when a row is malformed
   */
  public static Detections read(Path csv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FoveaException("cannot read the detections " + csv + " (" + e.getMessage()
          + "): give an existing CSV file", e);
    }
    List<Box> boxes = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    List<BoxLabels.Mask> masks = new ArrayList<>();
    for (int k = 0; k < lines.size(); k++) {
      String line = lines.get(k).strip();
      if (line.isEmpty() || (k == 0 && !Character.isDigit(line.charAt(0))
          && line.charAt(0) != '-' && line.charAt(0) != '.')) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length < 5 || f.length > 6) {
        throw bad(csv, k, "has " + f.length + " columns");
      }
      double[] v = new double[5];
      try {
        for (int i = 0; i < 5; i++) {
          v[i] = Double.parseDouble(f[i].strip());
        }
      } catch (NumberFormatException e) {
        throw bad(csv, k, "holds a value that is not a number");
      }
      if (!(v[2] >= 0 && v[3] >= 0) || Double.isNaN(v[4]) || !Double.isFinite(v[0] + v[1] + v[2]
          + v[3])) {
        throw bad(csv, k, "has a negative or non-finite size, or a NaN score");
      }
      boxes.add(new Box(v[0], v[1], v[0] + v[2], v[1] + v[3]));
      scores.add(v[4]);
      String m = f.length == 6 ? f[5].strip() : "";
      masks.add(m.isEmpty() || m.equalsIgnoreCase("none") ? null
          : mask(csv.toAbsolutePath().getParent().resolve(m), csv, k));
    }
    return new Detections(boxes, scores.stream().mapToDouble(Double::doubleValue).toArray(),
        masks);
  }

  private static BoxLabels.Mask mask(Path p, Path csv, int line) {
    if (!Files.isRegularFile(p)) {
      throw bad(csv, line, "names the mask " + p + ", which does not exist");
    }
    ImagePlus imp = ImageFiles.open(p);
    ImageProcessor ip = imp.getProcessor();
    boolean[] in = new boolean[imp.getWidth() * imp.getHeight()];
    for (int i = 0; i < in.length; i++) {
      in[i] = ip.getf(i) != 0;
    }
    return new BoxLabels.Mask(imp.getWidth(), imp.getHeight(), in);
  }

  private static FoveaException bad(Path csv, int line, String what) {
    return new FoveaException("line " + (line + 1) + " of the detections " + csv + " " + what
        + ": give x,y,width,height,score[,mask] per line");
  }
}
