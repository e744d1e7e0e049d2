package org.fovea.io.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.fovea.ops.instances.LabelImage;
import org.fovea.cli.FoveaCli;
import org.fovea.io.instances.LabelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea batch} on a folder of small synthetic images, two of them corrupt. */
class BatchCommandTest {

  @TempDir
  Path tmp;

  private record Run(int code, String out, String err) {
    static Run of(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = FoveaCli.run(new PrintWriter(out), new PrintWriter(err), args);
      return new Run(code, out.toString(), err.toString());
    }

    /** the last line of stderr is "fovea: " and one sentence, with no stack trace */
    boolean oneSentenceError() {
      String e = err.strip();
      return code == FoveaCli.USER_ERROR && e.startsWith("fovea: ") && !e.contains("\n")
          && !e.contains("Exception");
    }
  }

  /** Bright discs on a noisy, uneven background; sizes 64 to 96 px. */
  static void writeImages(Path dir, int n) {
    Random rnd = new Random(7);
    for (int i = 0; i < n; i++) {
      int w = 64 + 8 * (i % 5);
      int h = 64 + 8 * (i % 3);
      float[] px = new float[w * h];
      int discs = 2 + i % 4;
      int[][] c = new int[discs][];
      for (int d = 0; d < discs; d++) {
        c[d] = new int[] {10 + rnd.nextInt(w - 20), 10 + rnd.nextInt(h - 20), 5 + rnd.nextInt(4)};
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = 100 + 0.2f * x + 8 * (float) rnd.nextGaussian();
          for (int[] d : c) {
            if ((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= d[2] * d[2]) {
              v += 300;
            }
          }
          px[y * w + x] = v;
        }
      }
      new FileSaver(new ImagePlus("img", new FloatProcessor(w, h, px))).saveAsTiff(
          dir.resolve(String.format("img%02d.tif", i)).toString());
    }
  }

  private static List<String[]> csv(Path p) throws Exception {
    // no field of these tables holds a quoted comma except the error sentence, split off last
    return Files.readAllLines(p).stream().skip(1).map(l -> l.split(",", 2)).toList();
  }

  private static Map<String, Long> mtimes(Path dir) throws Exception {
    Map<String, Long> m = new HashMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("img")).toList()) {
        m.put(p.getFileName().toString(), Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }

  @Test
  void twentyImagesTwoCorruptThenResumeDoesNoWork() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    writeImages(in, 18);
    Files.writeString(in.resolve("notes.tif"), "this is a text file, not a TIFF");
    byte[] good = Files.readAllBytes(in.resolve("img00.tif"));
    Files.write(in.resolve("cut.tif"), java.util.Arrays.copyOf(good, good.length / 2));

    Run r = Run.of("batch", "--input", in.toString(), "--output", out.toString(), "--jobs", "2",
        "instances");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("20 files, 18 ok, 0 skipped, 2 failed"), r.out());
    assertTrue(r.err().contains("2 of 20 files failed"), r.err());
    assertTrue(r.err().contains("] 20/20 files, 2 failed, 0 skipped, ETA 0 s"), r.err());

    List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
    assertEquals(List.of("file,error",
        "cut.tif,image " + in.toRealPath().resolve("cut.tif") + " is cut off: the file has "
            + good.length / 2 + " bytes but its TIFF header describes " + good.length
            + "; copy or export it again",
        "notes.tif,\"cannot read " + in.toRealPath().resolve("notes.tif")
            + " as an image: give a TIFF, PNG or JPEG file\""), failures);

    List<String[]> summary = csv(out.resolve("summary.csv"));
    assertEquals(20, summary.size());
    Map<String, Integer> objects = new HashMap<>();
    for (String[] row : summary) {
      String[] f = (row[0] + "," + row[1]).split(",", -1);
      if (f[0].startsWith("img")) {
        assertEquals("ok", f[1]);
        String base = f[0].replace(".tif", "");
        LabelImage labels = LabelFiles.read(out.resolve(base + "-labels.tif"));
        int n = Integer.parseInt(f[3]);
        // the object count agrees with the label image and with the object table
        assertEquals(labels.count(), n, f[0]);
        assertEquals(n + 1, Files.readAllLines(out.resolve(base + "-objects.csv")).size());
        assertTrue(n >= 1, f[0]);
        objects.put(f[0], n);
      } else {
        assertEquals("failed", f[1], f[0]);
        assertEquals("", f[3]);
      }
    }
    assertEquals(18, objects.size());
    try (Stream<Path> s = Files.list(out)) {
      List<String> names = s.map(p -> p.getFileName().toString()).toList();
      assertEquals(36, names.stream().filter(n -> n.startsWith("img")).count(), names.toString());
      assertFalse(names.stream().anyMatch(n -> n.endsWith(".part")), names.toString());
      assertFalse(names.stream().anyMatch(n -> n.startsWith("cut") || n.startsWith("notes")));
    }

    // two jobs sharing one model give what a single `fovea instances` gives on the same file
    Path single = tmp.resolve("single-labels.tif");
    assertEquals(0, Run.of("instances", "-o", single.toString(), in.resolve("img07.tif")
        .toString()).code());
    assertArrayEquals(LabelFiles.read(single).labels(),
        LabelFiles.read(out.resolve("img07-labels.tif")).labels());

    // --resume: no work for the 18, the two corrupt files are tried again
    Map<String, Long> before = mtimes(out);
    Thread.sleep(20);
    Run again = Run.of("batch", "--input", in.toString(), "--output", out.toString(), "--resume",
        "instances");
    assertEquals(1, again.code(), again.err());
    assertTrue(again.out().contains("20 files, 0 ok, 18 skipped, 2 failed"), again.out());
    assertEquals(before, mtimes(out));
    for (String[] row : csv(out.resolve("summary.csv"))) {
      String[] f = (row[0] + "," + row[1]).split(",", -1);
      if (f[0].startsWith("img")) {
        assertEquals("skipped", f[1]);
        assertEquals(objects.get(f[0]), Integer.parseInt(f[3]));
      }
    }
    assertEquals(3, Files.readAllLines(out.resolve("failures.csv")).size());

    // an output that is gone, an input that changed, and a log line cut off by a killed run:
    // exactly those files are done again
    Files.delete(out.resolve("img03-objects.csv"));
    Files.setLastModifiedTime(in.resolve("img05.tif"),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Files.writeString(out.resolve(DoneLog.NAME), "{\"file\":\"img09.tif\",\"oper",
        StandardOpenOption.APPEND);
    Run third = Run.of("batch", "--input", in.toString(), "--output", out.toString(), "--resume",
        "instances");
    assertTrue(third.out().contains("20 files, 2 ok, 16 skipped, 2 failed"), third.out());
    Map<String, Long> after = mtimes(out);
    for (Map.Entry<String, Long> e : before.entrySet()) {
      boolean redone = e.getKey().startsWith("img03") || e.getKey().startsWith("img05");
      assertEquals(redone, !e.getValue().equals(after.get(e.getKey())), e.getKey());
    }

    // other options: a resumed segment batch in the same folder redoes everything it owns
    Run seg = Run.of("batch", "--input", in.toString(), "--output", out.toString(), "--resume",
        "--glob", "img0[0-2].tif", "segment", "--tile", "32");
    assertEquals(0, seg.code(), seg.err());
    assertTrue(seg.out().contains("3 files, 3 ok, 0 skipped, 0 failed"), seg.out());
    assertTrue(Files.isRegularFile(out.resolve("img01-probabilities.tif")));
  }

  @Test
  void parallelJobsShareOneModelOnEveryEngine() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    writeImages(in, 6);
    for (String engine : List.of("pytorch", "tensorflow")) {
      Path one = tmp.resolve(engine + "-1");
      Path three = tmp.resolve(engine + "-3");
      for (Path out : List.of(one, three)) {
        Run r = Run.of("batch", "--input", in.toString(), "--output", out.toString(), "--jobs",
            out == one ? "1" : "3", "instances", "--engine", engine, "--tile", "48");
        assertEquals(0, r.code(), r.err());
      }
      for (int i = 0; i < 6; i++) {
        String f = String.format("img%02d-labels.tif", i);
        assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(three.resolve(f)),
            engine + " " + f);
      }
      assertEquals(Files.readAllLines(one.resolve("summary.csv")).stream()
          .map(l -> l.replaceAll(",[0-9.]+,", ",,")).toList(),
          Files.readAllLines(three.resolve("summary.csv")).stream()
          .map(l -> l.replaceAll(",[0-9.]+,", ",,")).toList());
    }
  }

  @Test
  void saliencyMapsAreWhatFoveaSaliencyWritesForEachFile() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    writeImages(in, 2);
    Path out = tmp.resolve("out");
    Run r = Run.of("batch", "--input", in.toString(), "--output", out.toString(), "saliency",
        "--method", "gradient", "--target", "class=1");
    assertEquals(0, r.code(), r.out() + r.err());
    List<String[]> summary = csv(out.resolve("summary.csv"));
    assertEquals(List.of("img00.tif", "img01.tif"), summary.stream().map(l -> l[0]).toList());
    assertTrue(summary.stream().allMatch(l -> l[1].startsWith("ok,")), r.out());
    for (String n : List.of("img00", "img01")) {
      Path ref = tmp.resolve(n + "-ref.tif");
      Run one = Run.of("saliency", "--method", "gradient", "--target", "class=1", "-o",
          ref.toString(), in.resolve(n + ".tif").toString());
      assertEquals(0, one.code(), one.out() + one.err());
      float[] want = (float[]) ij.IJ.openImage(ref.toString()).getProcessor().getPixels();
      float[] got = (float[]) ij.IJ.openImage(out.resolve(n + "-saliency-gradient.tif")
          .toString()).getProcessor().getPixels();
      assertArrayEquals(want, got, n);
      ImagePlus overlay = ij.IJ.openImage(out.resolve(n + "-saliency-gradient.png").toString());
      assertTrue(overlay != null && overlay.getWidth() >= 64, n + " overlay");
    }
    // a target no image can have is refused before any file runs
    Run bad = Run.of("batch", "--input", in.toString(), "--output", tmp.resolve("o2").toString(),
        "saliency", "--target", "class=x");
    assertTrue(bad.oneSentenceError(), bad.err());
    assertFalse(Files.exists(tmp.resolve("o2")));
  }

  @Test
  void badFoldersAreOneSentenceAndWriteNothing() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    writeImages(in, 1);
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("summary.csv"), "an earlier summary");

    Run missing = Run.of("batch", "--input", tmp.resolve("nope").toString(), "--output",
        out.toString(), "segment");
    assertTrue(missing.oneSentenceError(), missing.err());
    assertTrue(missing.err().contains("input folder " + tmp.resolve("nope") + " does not exist"));

    Run inside = Run.of("batch", "--input", in.toString(), "--output",
        in.resolve("results").toString(), "segment");
    assertTrue(inside.oneSentenceError(), inside.err());
    assertTrue(inside.err().contains("is inside the input folder"), inside.err());
    assertFalse(Files.exists(in.resolve("results")));

    Run same = Run.of("batch", "--input", in.toString(), "--output", in.toString(), "segment");
    assertTrue(same.oneSentenceError(), same.err());

    Run none = Run.of("batch", "--input", in.toString(), "--output", out.toString(), "--glob",
        "*.png", "instances");
    assertTrue(none.oneSentenceError(), none.err());
    assertTrue(none.err().contains("no file in " + in + " matches '*.png'"), none.err());

    Run noOp = Run.of("batch", "--input", in.toString(), "--output", out.toString());
    assertTrue(noOp.oneSentenceError(), noOp.err());

    Run jobs = Run.of("batch", "--input", in.toString(), "--output", out.toString(), "--jobs",
        "0", "segment");
    assertTrue(jobs.oneSentenceError(), jobs.err());

    assertEquals("an earlier summary", Files.readString(out.resolve("summary.csv")));
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(1, s.count());
    }
  }
}
