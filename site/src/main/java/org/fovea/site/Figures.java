package org.fovea.site;

import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fovea.models.Zoo;
import org.fovea.ops.tiling.TilePlan;
import org.fovea.cli.FoveaCli;
import org.fovea.plugins.fiji.EffectiveField;

/**
 * Makes the site's figures by running Fovea. Each line of {@code figures.txt} names an output file
 * in {@code figures/}, a kind, and {@code key=value} arguments (paths relative to the repository
 * root):
 *
 * <ul>
 *   <li>{@code cli ARGS...}: runs {@code fovea ARGS} and keeps what it prints ({@code .txt});
 *   <li>{@code segment image= [model=]}: the image beside its class probabilities;
 *   <li>{@code instances image= [truth=] [models=A,B]}: instance outlines, with the matching
 *       scores against a ground-truth label image; with {@code models}, one panel per model, side
 *       by side;
 *   <li>{@code volume image= at=Z,Y,X [truth=] [model=]}: a z-stack's 3D objects in orthogonal
 *       views (x-y, x-z, y-z sections through one point, z stretched by its step);
 *   <li>{@code field image= at=X,Y [model=]}: the receptive field of one output and its effective
 *       field (the gradient of the output with respect to each input pixel);
 *   <li>{@code tiling image= tile=N [model=]}: the tile cores and one tile's halo, and the
 *       difference between the tiled and the whole-image result.
 *   <li>{@code dense image= crop=X,Y,W,H [truth=] [model=]}: a strided model's coarse output, the
 *       same upsampled bilinearly, and its dense (à trous) output, over a crop, with the grid of
 *       the coarse outputs and one receptive field.
 * </ul>
 */
final class Figures {

  private final Path root;
  private final Path work;
  private final Path out;

  /**
   * @param root the repository root
   * @param work a scratch folder
   * @param out the figures folder
   */
  Figures(Path root, Path work, Path out) {
    this.root = root;
    this.work = work;
    this.out = out;
  }

  /** Makes every figure of the list; a failing one stops the build with its line. */
  void makeAll(Path list) throws IOException {
    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\\s+");
      long t0 = System.nanoTime();
      try {
        make(f[0], f[1], List.of(f).subList(2, f.length));
      } catch (RuntimeException e) {
        throw new IllegalStateException("figure line failed: " + l + " (" + e + ")", e);
      }
      System.out.printf(Locale.ROOT, "site: %-28s %5.1f s%n", f[0], (System.nanoTime() - t0) / 1e9);
    }
  }

  private void make(String name, String kind, List<String> args) throws IOException {
    Path dest = out.resolve(name);
    Files.createDirectories(out);
    if (kind.equals("cli")) {
      String[] resolved = args.stream().map(s -> !s.startsWith("-") && s.contains("/")
          && Files.exists(path(s)) ? path(s).toString() : s).toArray(String[]::new);
      Files.writeString(dest, "$ fovea " + String.join(" ", args) + "\n" + cli(resolved),
          StandardCharsets.UTF_8);
      return;
    }
    Map<String, String> a = new LinkedHashMap<>();
    for (String s : args) {
      int eq = s.indexOf('=');
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    String stem = name.replaceFirst("\\.png$", "");
    switch (kind) {
      case "segment" -> segment(stem, a, dest);
      case "instances" -> instances(stem, a, dest);
      case "field" -> field(a, dest);
      case "tiling" -> tiling(stem, a, dest);
      case "saliency" -> saliency(stem, a, dest);
      case "dense" -> dense(stem, a, dest);
      case "volume" -> volume(stem, a, dest);
      default -> throw new IllegalArgumentException("unknown figure kind '" + kind + "'");
    }
  }

  /** Runs the command line in this process; a non-zero exit fails the figure. */
  private String cli(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = FoveaCli.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
    if (code != 0) {
      throw new IllegalStateException("fovea " + String.join(" ", args) + " exited " + code + ": " + e);
    }
    return o.toString().replace(work.toString() + "/", "").replace(root.toString() + "/", "")
        .replace(root.getParent().resolve("shared") + "/", "../shared/");
  }

  private Path path(String relative) {
    return root.resolve(relative).normalize();
  }

  private static ImagePlus open(Path p) {
    ImagePlus imp = IJ.openImage(p.toString());
    if (imp == null) {
      throw new IllegalStateException("cannot open " + p);
    }
    return imp;
  }

  private static double zoomFor(ImagePlus imp, int panel) {
    return Math.min(1.0, panel / (double) Math.max(imp.getWidth(), imp.getHeight()));
  }

  private static BufferedImage scaled(BufferedImage b, double zoom) {
    if (zoom == 1.0) {
      return b;
    }
    int w = (int) Math.round(b.getWidth() * zoom);
    int h = (int) Math.round(b.getHeight() * zoom);
    BufferedImage s = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = s.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(b, 0, 0, w, h, null);
    g.dispose();
    return s;
  }

  /** Image | probabilities of interior (green) and boundary (red), with colour bars. */
  private void segment(String stem, Map<String, String> a, Path dest) {
    Path img = path(a.get("image"));
    Path prob = work.resolve(stem + "-probabilities.tif");
    String model = a.getOrDefault("model", Zoo.DEFAULT_MODEL);
    cli("segment", "--model", model, "-o", prob.toString(), img.toString());
    ImagePlus raw = open(img);
    ImagePlus p = open(prob);
    ImageProcessor interior = p.getStack().getProcessor(2);
    ImageProcessor boundary = p.getStack().getProcessor(3);
    double zoom = zoomFor(raw, 512);
    BufferedImage left = scaled(Canvas.grey(raw.getProcessor()), zoom);
    BufferedImage rgb = new BufferedImage(raw.getWidth(), raw.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < raw.getHeight(); y++) {
      for (int x = 0; x < raw.getWidth(); x++) {
        rgb.setRGB(x, y, Canvas.clamp(boundary.getf(x, y)) << 16 | Canvas.clamp(interior.getf(x, y)) << 8);
      }
    }
    BufferedImage right = scaled(rgb, zoom);
    int pw = left.getWidth();
    int ph = left.getHeight();
    BufferedImage b = Canvas.blank(30 + 2 * pw + 200, ph + 50);
    Graphics2D g = Canvas.graphics(b);
    Canvas.title(g, img.getFileName().toString(), 10, 22);
    Canvas.title(g, "class probabilities (" + model + ")", 20 + pw, 22);
    g.drawImage(left, 10, 35, null);
    g.drawImage(right, 20 + pw, 35, null);
    Canvas.scaleBar(g, raw, 10, 35, pw, ph, zoom, 100);
    Canvas.scaleBar(g, raw, 20 + pw, 35, pw, ph, zoom, 100);
    int bx = 35 + 2 * pw;
    Canvas.colourBar(g, bx, 45, ph - 30, t -> Canvas.clamp(t) << 8, "0", "1", "P(nucleus interior)");
    Canvas.colourBar(g, bx + 95, 45, ph - 30, t -> Canvas.clamp(t) << 16, "0", "1",
        "P(nucleus boundary)");
    g.dispose();
    Canvas.write(b, dest);
  }

  /**
   * A strided model's coarse output (one value per S x S block, drawn as blocks), the same
   * interpolated bilinearly, and the dense output, over a crop of the image, beside the image with
   * the pixels the coarse outputs stand for and the receptive field of one of them.
   */
  private void dense(String stem, Map<String, String> a, Path dest) {
    Path img = path(a.get("image"));
    String model = a.getOrDefault("model", "nuclei-strided");
    String[] c = a.get("crop").split(",");
    int cx = Integer.parseInt(c[0]);
    int cy = Integer.parseInt(c[1]);
    int cw = Integer.parseInt(c[2]);
    int ch = Integer.parseInt(c[3]);
    ImagePlus raw = open(img);
    String[] modes = {"upsample", "atrous"};
    ImagePlus[] p = new ImagePlus[2];
    String[] iou = {"", ""};
    for (int i = 0; i < 2; i++) {
      Path prob = work.resolve(stem + "-" + modes[i] + ".tif");
      cli("segment", "--model", model, "--dense", modes[i], "-o", prob.toString(), img.toString());
      p[i] = open(prob);
      if (a.containsKey("truth")) {
        Matcher m = Pattern.compile("foreground_iou=([0-9.]+)").matcher(cli("models", "evaluate",
            model, "--dense", modes[i], "--image", img.toString(), "--mask",
            path(a.get("truth")).toString()));
        iou[i] = m.find() ? ", IoU " + m.group(1) : "";
      }
    }
    org.fovea.models.pkg.ModelPackage pkg = Zoo.resolve(model);
    int s;
    ImageProcessor coarseInterior;
    ImageProcessor coarseBoundary;
    try (org.fovea.models.Model m = org.fovea.models.Model.load(pkg, "onnx", "cpu")) {
      float[] px = (float[]) raw.getProcessor().convertToFloatProcessor().getPixels();
      org.fovea.ops.net.Tensor out = m.run(new org.fovea.ops.net.Tensor(
          org.fovea.ops.net.Axes.of("bcyx"), new long[] {1, 1, raw.getHeight(), raw.getWidth()},
          px));
      int oh = (int) out.shape()[2];
      int ow = (int) out.shape()[3];
      s = raw.getWidth() / ow;
      coarseInterior = new FloatProcessor(ow, oh, java.util.Arrays.copyOfRange(out.data(),
          oh * ow, 2 * oh * ow));
      coarseBoundary = new FloatProcessor(ow, oh, java.util.Arrays.copyOfRange(out.data(),
          2 * oh * ow, 3 * oh * ow));
    }
    int zoom = Math.max(1, 300 / Math.max(cw, ch));
    BufferedImage[] panels = new BufferedImage[4];
    raw.setRoi(cx, cy, cw, ch);
    panels[0] = scaledInt(Canvas.grey(raw.crop().getProcessor()), zoom);
    BufferedImage coarse = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        // the coarse output u stands for input pixel S u: each pixel shows the nearest one
        int u = Math.min(coarseInterior.getWidth() - 1, Math.round((cx + x) / (float) s));
        int v = Math.min(coarseInterior.getHeight() - 1, Math.round((cy + y) / (float) s));
        coarse.setRGB(x, y, Canvas.clamp(coarseBoundary.getf(u, v)) << 16
            | Canvas.clamp(coarseInterior.getf(u, v)) << 8);
      }
    }
    panels[1] = scaledInt(coarse, zoom);
    for (int i = 0; i < 2; i++) {
      BufferedImage rgb = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
      ImageProcessor interior = p[i].getStack().getProcessor(2);
      ImageProcessor boundary = p[i].getStack().getProcessor(3);
      for (int y = 0; y < ch; y++) {
        for (int x = 0; x < cw; x++) {
          rgb.setRGB(x, y, Canvas.clamp(boundary.getf(cx + x, cy + y)) << 16
              | Canvas.clamp(interior.getf(cx + x, cy + y)) << 8);
        }
      }
      panels[2 + i] = scaledInt(rgb, zoom);
    }
    int pw = panels[0].getWidth();
    int ph = panels[0].getHeight();
    int[] px = {10, 20 + pw, 10, 20 + pw};
    int[] py = {35, 35, 80 + ph, 80 + ph};
    BufferedImage b = Canvas.blank(30 + 2 * pw, 2 * ph + 120);
    Graphics2D g = Canvas.graphics(b);
    for (int i = 0; i < 4; i++) {
      g.drawImage(panels[i], px[i], py[i], null);
    }
    // the pixels the coarse outputs stand for, and the receptive field of one of them
    g.setColor(new Color(255, 220, 0));
    int gx0 = ((cx + s - 1) / s) * s;
    int gy0 = ((cy + s - 1) / s) * s;
    for (int y = gy0; y < cy + ch; y += s) {
      for (int x = gx0; x < cx + cw; x += s) {
        g.fillRect(px[0] + (x - cx) * zoom + zoom / 2 - 1, py[0] + (y - cy) * zoom + zoom / 2 - 1,
            3, 3);
      }
    }
    int r = (int) org.fovea.ops.dense.DenseGeometry.of(org.fovea.ops.rf.ReceptiveFields.analyze(
        org.fovea.models.graph.ModelGraphs.of(pkg, null).graph(), new long[] {256, 256})).rf(0);
    int fx = gx0 + s * ((cw / 2) / s);
    int fy = gy0 + s * ((ch / 2) / s);
    g.setStroke(new BasicStroke(2f));
    g.drawRect(px[0] + (fx - cx - r / 2) * zoom, py[0] + (fy - cy - r / 2) * zoom, r * zoom,
        r * zoom);
    Canvas.title(g, "image, coarse grid (" + s + " px)", px[0], py[0] - 13);
    Canvas.title(g, "coarse output (one per " + s + "x" + s + ")", px[1], py[1] - 13);
    Canvas.title(g, "upsampled" + iou[0], px[2], py[2] - 13);
    Canvas.title(g, "dense (a trous)" + iou[1], px[3], py[3] - 13);
    g.setFont(Canvas.TEXT);
    g.setColor(Color.DARK_GRAY);
    g.drawString(model + " on " + img.getFileName() + ", crop " + cw + "x" + ch + " at (" + cx
        + "," + cy + "); box: the " + r + " px field of one output", 10, 2 * ph + 98);
    g.drawString("green: P(interior), red: P(boundary); IoU: foreground, whole image", 10,
        2 * ph + 114);
    g.dispose();
    Canvas.write(b, dest);
  }

  private static final int[] PALETTE = {0xff4040, 0x40ff40, 0x4080ff, 0xffff40, 0xff40ff,
      0x40ffff, 0xff9020, 0xa0ff60, 0xc080ff, 0xffffff};

  /** The image with the outline of each object in its own colour. */
  private void instances(String stem, Map<String, String> a, Path dest) {
    Path img = path(a.get("image"));
    // one panel per model (the default, or models=a,b side by side); the first one's labels keep
    // the figure's name, which later lines (match.txt) read
    List<String> models = a.containsKey("models") ? List.of(a.get("models").split(","))
        : java.util.Collections.singletonList(null);
    ImagePlus raw = open(img);
    int w = raw.getWidth();
    int h = raw.getHeight();
    double zoom = Math.min(1.5, (models.size() == 1 ? 768.0 : 520.0) / Math.max(w, h));
    List<BufferedImage> panels = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      String model = models.get(i);
      Path labels = work.resolve(stem + (i == 0 ? "" : "-" + model) + "-labels.tif");
      String summary = model == null ? cli("instances", "-o", labels.toString(), img.toString())
          : cli("instances", "--model", model, "-o", labels.toString(), img.toString());
      Matcher n = Pattern.compile("objects=(\\d+)").matcher(summary);
      String count = n.find() ? n.group(1) : "?";
      String[] f1 = a.containsKey("truth") ? scores(labels, path(a.get("truth"))) : null;
      String score = f1 == null ? "" : models.size() == 1 ? ", F1 at IoU 0.5 = " + f1[0]
          + " against the ground truth" : ", accuracy " + f1[1] + " (IoU 0.5)";
      BufferedImage base = Canvas.grey(raw.getProcessor());
      outline(base, open(labels).getProcessor());
      panels.add(scaled(base, zoom));
      titles.add((model == null ? img.getFileName().toString() : model) + ": " + count
          + " objects" + score);
    }
    int pw = panels.get(0).getWidth();
    int ph = panels.get(0).getHeight();
    BufferedImage b = Canvas.blank(panels.size() * (pw + 10) + 10, ph + 45);
    Graphics2D g = Canvas.graphics(b);
    for (int i = 0; i < panels.size(); i++) {
      int x = 10 + i * (pw + 10);
      Canvas.title(g, titles.get(i), x, 22);
      g.drawImage(panels.get(i), x, 35, null);
      Canvas.scaleBar(g, raw, x, 35, pw, ph, zoom, 100);
    }
    g.dispose();
    Canvas.write(b, dest);
  }

  /** {F1, accuracy} at IoU 0.5 of {@code fovea match}, or null when its table has no such row. */
  private String[] scores(Path labels, Path truth) {
    Matcher m = Pattern.compile("(?m)^0\\.50\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\S+\\s+\\S+\\s+(\\S+)\\s+(\\S+)")
        .matcher(cli("match", labels.toString(), truth.toString()));
    return m.find() ? new String[] {m.group(1), m.group(2)} : null;
  }

  /** Draws each object's outline (pixels whose 4-neighbours hold another label) in its colour. */
  private static void outline(BufferedImage base, ImageProcessor lab) {
    int w = lab.getWidth();
    int h = lab.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (int) lab.getf(x, y);
        if (v != 0 && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || lab.getf(x - 1, y) != v
            || lab.getf(x + 1, y) != v || lab.getf(x, y - 1) != v || lab.getf(x, y + 1) != v)) {
          base.setRGB(x, y, PALETTE[v % PALETTE.length]);
        }
      }
    }
  }

  /**
   * A z-stack through a 3D model in orthogonal views: the x-y slice at {@code at}'s z, the x-z
   * section at its y and the y-z section at its x (z stretched by the stack's z step), raw
   * intensities with the 3D objects' outlines in each section, and the matching scores against
   * the known labels.
   */
  private void volume(String stem, Map<String, String> a, Path dest) {
    Path img = path(a.get("image"));
    String model = a.getOrDefault("model", "nuclei-3d");
    Path labels = work.resolve(stem + "-labels.tif");
    String summary = cli("instances", "--model", model, "-o", labels.toString(), img.toString());
    Matcher n = Pattern.compile("objects=(\\d+)").matcher(summary);
    String count = n.find() ? n.group(1) : "?";
    String[] f1 = a.containsKey("truth") ? scores(labels, path(a.get("truth"))) : null;
    String score = f1 == null ? "" : ", F1 " + f1[0] + ", accuracy " + f1[1]
        + " at IoU 0.5 (in voxels) against the known labels";
    ImagePlus raw = open(img);
    ImagePlus lab = open(labels);
    String[] at = a.get("at").split(",");
    int cz = Integer.parseInt(at[0]);
    int cy = Integer.parseInt(at[1]);
    int cx = Integer.parseInt(at[2]);
    int w = raw.getWidth();
    int h = raw.getHeight();
    int d = raw.getStackSize();
    // the three sections as plain processors: raw and labels
    ImageProcessor[] rs = {raw.getStack().getProcessor(cz + 1),
        new FloatProcessor(w, d), new FloatProcessor(d, h)};
    ImageProcessor[] ls = {lab.getStack().getProcessor(cz + 1),
        new FloatProcessor(w, d), new FloatProcessor(d, h)};
    for (int z = 0; z < d; z++) {
      ImageProcessor r = raw.getStack().getProcessor(z + 1);
      ImageProcessor l = lab.getStack().getProcessor(z + 1);
      for (int x = 0; x < w; x++) {
        rs[1].setf(x, z, r.getf(x, cy));
        ls[1].setf(x, z, l.getf(x, cy));
      }
      for (int y = 0; y < h; y++) {
        rs[2].setf(z, y, r.getf(cx, y));
        ls[2].setf(z, y, l.getf(cx, y));
      }
    }
    double[] range = Canvas.range(raw.getStack().getProcessor(cz + 1));
    double zStep = raw.getCalibration().pixelDepth / raw.getCalibration().pixelWidth;
    int zoom = Math.max(1, 384 / Math.max(w, h));
    BufferedImage[] v = new BufferedImage[3];
    for (int i = 0; i < 3; i++) {
      rs[i].setMinAndMax(range[0], range[1]);
      BufferedImage base = Canvas.grey(rs[i]);
      outline(base, ls[i]);
      // z stretched by its step, x and y by the zoom
      double sx = i == 2 ? zoom * zStep : zoom;
      double sy = i == 1 ? zoom * zStep : zoom;
      BufferedImage o = new BufferedImage((int) Math.round(base.getWidth() * sx),
          (int) Math.round(base.getHeight() * sy), BufferedImage.TYPE_INT_RGB);
      Graphics2D gg = o.createGraphics();
      gg.drawImage(base, 0, 0, o.getWidth(), o.getHeight(), null);
      gg.dispose();
      v[i] = o;
    }
    int pad = 10;
    BufferedImage b = Canvas.blank(v[0].getWidth() + v[2].getWidth() + 3 * pad,
        v[0].getHeight() + v[1].getHeight() + 3 * pad + 75);
    Graphics2D g = Canvas.graphics(b);
    Canvas.title(g, img.getFileName() + " (" + w + "x" + h + "x" + d + ", z step "
        + String.format(Locale.ROOT, "%.3g", zStep) + "x): " + count + " objects", pad, 22);
    Canvas.title(g, model + score, pad, 42);
    g.setColor(java.awt.Color.DARK_GRAY);
    g.setFont(Canvas.TEXT);
    g.drawString("x-y at z=" + cz + " (top left), y-z at x=" + cx + " (right), x-z at y=" + cy
        + " (below); yellow: where the sections cut", pad, 55 + v[0].getHeight()
        + v[1].getHeight() + 2 * pad + 16);
    int top = 55;
    g.drawImage(v[0], pad, top, null);
    g.drawImage(v[2], 2 * pad + v[0].getWidth(), top, null);
    g.drawImage(v[1], pad, top + v[0].getHeight() + pad, null);
    g.setColor(new java.awt.Color(255, 255, 0, 140));
    // where the sections cut each other
    g.drawLine(pad, top + cy * zoom, pad + v[0].getWidth(), top + cy * zoom);
    g.drawLine(pad + cx * zoom, top, pad + cx * zoom, top + v[0].getHeight());
    g.dispose();
    Canvas.write(b, dest);
  }

  private static final Pattern SEES = Pattern.compile(
      "drawn (\\d+)\\.\\.(\\d+), (\\d+)\\.\\.(\\d+)");

  /** The receptive field rectangle and the effective field heatmap of one output, zoomed. */
  private void field(Map<String, String> a, Path dest) throws IOException {
    Path img = path(a.get("image"));
    String model = a.getOrDefault("model", Zoo.DEFAULT_MODEL);
    String[] at = a.get("at").split(",");
    int ux = Integer.parseInt(at[0]);
    int uy = Integer.parseInt(at[1]);
    String line = cli("field", model, "--overlay", ux + "," + uy, "--image", img.toString(),
        "--output", work.resolve("field-overlay.png").toString());
    Matcher m = SEES.matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("no field bounds in: " + line);
    }
    int x0 = Integer.parseInt(m.group(1));
    int x1 = Integer.parseInt(m.group(2));
    int y0 = Integer.parseInt(m.group(3));
    int y1 = Integer.parseInt(m.group(4));
    ImagePlus raw = open(img);
    BufferedImage overlay = javax.imageio.ImageIO.read(work.resolve("field-overlay.png").toFile());
    FloatProcessor grad = EffectiveField.gradient(Zoo.resolve(model), raw, ux, uy);
    float max = 0;
    for (float v : (float[]) grad.getPixels()) {
      max = Math.max(max, Math.abs(v));
    }
    int pad = 12;
    int cx0 = Math.max(0, x0 - pad);
    int cy0 = Math.max(0, y0 - pad);
    int cw = Math.min(raw.getWidth(), x1 + 1 + pad) - cx0;
    int ch = Math.min(raw.getHeight(), y1 + 1 + pad) - cy0;
    int zoom = Math.max(1, 400 / Math.max(cw, ch));
    BufferedImage heat = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        heat.setRGB(x, y, Canvas.heat(Math.sqrt(Math.abs(grad.getf(cx0 + x, cy0 + y)) / max)));
      }
    }
    BufferedImage left = scaledInt(overlay.getSubimage(cx0, cy0, cw, ch), zoom);
    BufferedImage right = scaledInt(heat, zoom);
    int pw = left.getWidth();
    int ph = left.getHeight();
    BufferedImage b = Canvas.blank(Math.max(40 + 2 * pw + 110, 960), ph + 95);
    Graphics2D g = Canvas.graphics(b);
    Canvas.title(g, "receptive field of (" + ux + "," + uy + "): " + (x1 - x0 + 1) + " x "
        + (y1 - y0 + 1) + " px", 10, 22);
    Canvas.title(g, "effective field |d p / d input|", 20 + pw, 22);
    g.drawImage(left, 10, 35, null);
    g.drawImage(right, 20 + pw, 35, null);
    g.setColor(Color.YELLOW);
    g.setStroke(new BasicStroke(2));
    g.drawRect(20 + pw + (x0 - cx0) * zoom, 35 + (y0 - cy0) * zoom, (x1 - x0 + 1) * zoom,
        (y1 - y0 + 1) * zoom);
    Canvas.scaleBar(g, raw, 10, 35, pw, ph, zoom, 20);
    Canvas.scaleBar(g, raw, 20 + pw, 35, pw, ph, zoom, 20);
    Canvas.colourBar(g, 35 + 2 * pw, 45, ph - 30, t -> Canvas.heat(Math.sqrt(t)), "0", "max",
        "|gradient| (relative)");
    g.setColor(Color.DARK_GRAY);
    g.drawString("Yellow: every input pixel the output can see (read from the model graph);"
        + " red cross: its centre.", 10, ph + 60);
    g.drawString("Right: how much each input pixel changes the output's most probable class"
        + " (PyTorch gradient, square-root scaled).", 10, ph + 80);
    g.dispose();
    Canvas.write(b, dest);
  }

  private static BufferedImage scaledInt(BufferedImage src, int zoom) {
    BufferedImage s = new BufferedImage(src.getWidth() * zoom, src.getHeight() * zoom,
        BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < s.getHeight(); y++) {
      for (int x = 0; x < s.getWidth(); x++) {
        s.setRGB(x, y, src.getRGB(x / zoom, y / zoom));
      }
    }
    return s;
  }

  private static final Pattern TILES = Pattern.compile("tiles=(\\d+) halo=(\\d+)");

  /** Tile cores and one tile's input range, and |tiled - whole| with its maximum. */
  private void tiling(String stem, Map<String, String> a, Path dest) {
    Path img = path(a.get("image"));
    String model = a.getOrDefault("model", Zoo.DEFAULT_MODEL);
    long tile = Long.parseLong(a.get("tile"));
    Path tiled = work.resolve(stem + "-tiled.tif");
    Path whole = work.resolve(stem + "-whole.tif");
    String t = cli("segment", "--model", model, "--tile", Long.toString(tile), "-o",
        tiled.toString(), img.toString());
    cli("segment", "--model", model, "--tile", "0", "-o", whole.toString(), img.toString());
    Matcher m = TILES.matcher(t);
    if (!m.find()) {
      throw new IllegalStateException("no tiles/halo in: " + t);
    }
    int tiles = Integer.parseInt(m.group(1));
    long halo = Long.parseLong(m.group(2));
    ImagePlus raw = open(img);
    ImagePlus pt = open(tiled);
    ImagePlus pw0 = open(whole);
    int w = raw.getWidth();
    int h = raw.getHeight();
    FloatProcessor diff = new FloatProcessor(w, h);
    double maxDiff = 0;
    for (int c = 1; c <= pt.getStackSize(); c++) {
      ImageProcessor a1 = pt.getStack().getProcessor(c);
      ImageProcessor b1 = pw0.getStack().getProcessor(c);
      for (int i = 0; i < w * h; i++) {
        float d = Math.abs(a1.getf(i) - b1.getf(i));
        diff.setf(i, Math.max(diff.getf(i), d));
        maxDiff = Math.max(maxDiff, d);
      }
    }
    // the plan the segmentation used: same tile, same halo, step 1 for this model
    List<TilePlan.Span> xs = TilePlan.of(w, tile, halo, 1).spans();
    List<TilePlan.Span> ys = TilePlan.of(h, tile, halo, 1).spans();
    double zoom = zoomFor(raw, 512);
    BufferedImage left = scaled(Canvas.grey(raw.getProcessor()), zoom);
    double scale = Math.max(maxDiff, 1e-6);
    BufferedImage heat = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        heat.setRGB(x, y, Canvas.heat(diff.getf(x, y) / scale));
      }
    }
    BufferedImage right = scaled(heat, zoom);
    int pw = left.getWidth();
    int ph = left.getHeight();
    BufferedImage b = Canvas.blank(30 + 2 * pw + 130, ph + 75);
    Graphics2D g = Canvas.graphics(b);
    Canvas.title(g, tiles + " tiles of " + tile + " px, halo " + halo + " px", 10, 22);
    Canvas.title(g, "|tiled - whole image|, max " + String.format(Locale.ROOT, "%.1e", maxDiff),
        20 + pw, 22);
    g.drawImage(left, 10, 35, null);
    g.drawImage(right, 20 + pw, 35, null);
    g.setColor(Color.CYAN);
    g.setStroke(new BasicStroke(2));
    for (TilePlan.Span sy : ys) {
      for (TilePlan.Span sx : xs) {
        g.drawRect(10 + (int) (sx.coreStart() * zoom), 35 + (int) (sy.coreStart() * zoom),
            (int) ((sx.coreEnd() - sx.coreStart()) * zoom), (int) ((sy.coreEnd() - sy.coreStart()) * zoom));
      }
    }
    // one inner tile's input range: its core grown by the halo
    TilePlan.Span sx = xs.get(Math.min(1, xs.size() - 1));
    TilePlan.Span sy = ys.get(Math.min(1, ys.size() - 1));
    g.setColor(new Color(255, 140, 0));
    g.setStroke(new BasicStroke(3, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
        new float[] {8, 6}, 0));
    g.drawRect(10 + (int) (sx.inStart() * zoom), 35 + (int) (sy.inStart() * zoom),
        (int) ((sx.inEnd() - sx.inStart()) * zoom), (int) ((sy.inEnd() - sy.inStart()) * zoom));
    g.setStroke(new BasicStroke(1));
    Canvas.scaleBar(g, raw, 10, 35, pw, ph, zoom, 100);
    Canvas.colourBar(g, 35 + 2 * pw, 45, ph - 30, Canvas::heat, "0",
        String.format(Locale.ROOT, "%.0e", scale), "max abs difference over classes");
    g.setColor(Color.DARK_GRAY);
    g.drawString("cyan: tile cores (the outputs each tile writes); orange dashed: the input one"
        + " tile reads (core + halo).", 10, ph + 60);
    g.dispose();
    Canvas.write(b, dest);
    try {
      Files.writeString(out.resolve(stem + ".txt"), String.format(Locale.ROOT,
          "tiles=%d tile=%d halo=%d max_abs_difference=%.3g%n", tiles, tile, halo, maxDiff));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The overlay of {@code fovea saliency} for one target: the command's own picture (colour map
   * over the image, colour bar, target outlined), and its summary line beside it.
   */
  private void saliency(String stem, Map<String, String> a, Path dest) throws IOException {
    Path map = work.resolve(stem + "-map.tif");
    Files.createDirectories(work);
    String line = cli("saliency", "--method", a.getOrDefault("method", "gradient"),
        "--target", a.get("target"), "--output", map.toString(), "--overlay", dest.toString(),
        path(a.get("image")).toString());
    Files.writeString(out.resolve(stem + ".txt"), line, StandardCharsets.UTF_8);
  }

  static List<String> kinds() {
    return new ArrayList<>(List.of("cli", "segment", "instances", "field", "tiling", "saliency"));
  }
}
