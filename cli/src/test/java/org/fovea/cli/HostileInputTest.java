package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.FloatProcessor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fovea.io.ImageFiles;
import org.fovea.models.engine.NativeCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite: each defect a hostile probe found (issue 19), reproduced with fixtures
 * the test makes, asserting the sentence, the exit code, that the input is untouched, that no
 * temporary file is left, and a time bound where the defect was unbounded.
 */
class HostileInputTest {

  @TempDir
  Path tmp;

  /** A 96x96 crop of the shipped sample, as a 32-bit TIFF. */
  private Path sample(Path dest) throws IOException {
    ImagePlus s = ImageFiles.open(ImageFiles.sample());
    s.setRoi(100, 100, 96, 96);
    ImagePlus crop = new ImagePlus("crop", s.getProcessor().crop().convertToFloatProcessor());
    Files.createDirectories(dest.toAbsolutePath().getParent());
    assertTrue(new FileSaver(crop).saveAsTiff(dest.toString()));
    return dest;
  }

  private static String md5(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Exit 2, one line "fovea: ..." holding the words. */
  private static void assertSentence(Cli r, String... words) {
    assertEquals(2, r.code(), r.out() + r.err());
    String err = r.err().strip();
    assertTrue(err.startsWith("fovea: "), err);
    assertEquals(1, err.lines().count(), err);
    for (String w : words) {
      assertTrue(err.contains(w), "'" + w + "' missing from: " + err);
    }
  }

  // 1. the input is never the output

  @Test
  void anOutputThatIsTheInputIsRefusedAndTheInputKept() throws Exception {
    Path in = sample(tmp.resolve("in.tif"));
    String before = md5(in);
    String[][] runs = {
        {"segment", "-o", in.toString(), in.toString()},
        {"instances", "-o", in.toString(), in.toString()},
        {"instances", "-o", tmp.resolve("l.tif").toString(), "--csv", in.toString(),
            in.toString()},
        {"instances", "-o", tmp.resolve("l.tif").toString(), "--rois", in.toString(),
            in.toString()},
        {"saliency", "--method", "gradient", "-o", in.toString(), in.toString()},
        {"saliency", "--method", "gradient", "-o", tmp.resolve("s.tif").toString(), "--overlay",
            in.toString(), in.toString()},
        // the same file under another name: a symbolic link to the folder
        {"segment", "-o", Files.createSymbolicLink(tmp.resolve("link"), tmp).resolve("in.tif")
            .toString(), in.toString()}};
    for (String[] args : runs) {
      Cli r = Cli.run(args);
      assertSentence(r, "destroy the input", "in.tif");
      assertEquals(before, md5(in), String.join(" ", args));
      assertEquals(List.of("in.tif", "link"), names(tmp), "nothing written: " + args[0]);
    }
  }

  @Test
  void twoOutputsOfOneInputThatAreOneFileAreRefused() throws Exception {
    Path in = sample(tmp.resolve("in.tif"));
    Path same = tmp.resolve("same.tif");
    assertSentence(Cli.run("instances", "-o", same.toString(), "--csv", same.toString(),
        in.toString()), "same file", "same.tif");
    assertEquals(List.of("in.tif"), names(tmp));
  }

  // 2. outputs never collide

  @Test
  void inputsOfTheSameNameFromTwoFoldersAreRefused() throws Exception {
    Path a = sample(tmp.resolve("d1").resolve("x.tif"));
    Path b = sample(tmp.resolve("d2").resolve("x.tif"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    assertSentence(Cli.run("segment", "-o", out.toString(), a.toString(), b.toString()),
        "d1/x.tif", "d2/x.tif", "x-probabilities.tif");
    assertEquals(List.of(), names(out));
    assertSentence(Cli.run("segment", "-o", out.toString(), a.toString(), a.toString()),
        "given twice");
  }

  @Test
  void inputsWhoseNamesDifferInTheExtensionKeepItAndResumeSkipsThem() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    for (String n : List.of("c.tif", "c.tiff", "c.TIF")) {
      sample(in.resolve(n));
    }
    Path out = tmp.resolve("out");
    Cli r = Cli.run("batch", "--input", in.toString(), "--output", out.toString(), "segment");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("3 ok"), r.out());
    assertTrue(r.err().contains("keep it"), r.err());
    assertEquals(List.of("c.TIF-probabilities.tif", "c.tif-probabilities.tif",
        "c.tiff-probabilities.tif"), names(out).stream().filter(n -> n.startsWith("c.")).toList());
    Cli again = Cli.run("batch", "--input", in.toString(), "--output", out.toString(),
        "--resume", "segment");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("0 ok, 3 skipped"), again.out());
    // the same names from fovea segment with several inputs
    Path out2 = Files.createDirectories(tmp.resolve("out2"));
    Cli s = Cli.run("segment", "-o", out2.toString(), in.resolve("c.tif").toString(),
        in.resolve("c.tiff").toString());
    assertEquals(0, s.code(), s.err());
    assertEquals(List.of("c.tif-probabilities.tif", "c.tiff-probabilities.tif"), names(out2));
  }

  // 3. +Inf is missing, like NaN

  @Test
  void infinitePixelsAreTreatedAsNanWithAWarning() throws Exception {
    ImagePlus base = ImageFiles.open(sample(tmp.resolve("base.tif")));
    FloatProcessor inf = (FloatProcessor) base.getProcessor().duplicate();
    FloatProcessor nan = (FloatProcessor) base.getProcessor().duplicate();
    java.util.Random rnd = new java.util.Random(19);
    int n = 96 * 96 / 100; // 1 %
    for (int k = 0; k < n; k++) {
      int i = rnd.nextInt(96 * 96);
      inf.setf(i, k % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
      nan.setf(i, Float.NaN);
    }
    Path fi = tmp.resolve("inf.tif");
    Path fn = tmp.resolve("nan.tif");
    new FileSaver(new ImagePlus("inf", inf)).saveAsTiff(fi.toString());
    new FileSaver(new ImagePlus("nan", nan)).saveAsTiff(fn.toString());
    Cli ri = Cli.run("segment", "-o", tmp.resolve("pi.tif").toString(), fi.toString());
    Cli rn = Cli.run("segment", "-o", tmp.resolve("pn.tif").toString(), fn.toString());
    assertEquals(0, ri.code(), ri.err());
    assertTrue(ri.err().contains("warning") && ri.err().contains("NaN or infinite"), ri.err());
    ImagePlus pi = new Opener().openImage(tmp.resolve("pi.tif").toString());
    ImagePlus pn = new Opener().openImage(tmp.resolve("pn.tif").toString());
    for (int c = 1; c <= pi.getStackSize(); c++) {
      float[] a = (float[]) pi.getStack().getPixels(c);
      float[] b = (float[]) pn.getStack().getPixels(c);
      for (float v : a) {
        assertTrue(Float.isFinite(v), "no NaN or Inf in the output");
      }
      assertArrayEquals(b, a, "+-Inf handled exactly as NaN");
    }
    Cli ii = Cli.run("instances", "-o", tmp.resolve("li.tif").toString(), fi.toString());
    Cli in = Cli.run("instances", "-o", tmp.resolve("ln.tif").toString(), fn.toString());
    assertEquals(0, ii.code(), ii.err());
    assertTrue(ii.err().contains("NaN or infinite"), ii.err());
    String objects = ii.out().replaceAll("(?s).*objects=(\\d+).*", "$1");
    assertTrue(Integer.parseInt(objects) > 0, ii.out());
    assertEquals(in.out().replaceAll("(?s).*objects=(\\d+).*", "$1"), objects);
  }

  // 4. label images are read with their sign

  /** A little-endian TIFF of one 16-bit signed plane. */
  static byte[] int16Tiff(int w, int h, short[] px) {
    int entries = 10;
    int ifd = 8;
    int data = ifd + 2 + entries * 12 + 4;
    ByteBuffer b = ByteBuffer.allocate(data + 2 * px.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
    b.putShort((short) entries);
    tag(b, 256, 3, w);
    tag(b, 257, 3, h);
    tag(b, 258, 3, 16);
    tag(b, 259, 3, 1);
    tag(b, 262, 3, 1);
    tag(b, 273, 4, data);
    tag(b, 277, 3, 1);
    tag(b, 278, 3, h);
    tag(b, 279, 4, 2 * px.length);
    tag(b, 339, 3, 2); // SampleFormat: signed integer
    b.putInt(0);
    for (short s : px) {
      b.putShort(s);
    }
    return b.array();
  }

  private static void tag(ByteBuffer b, int tag, int type, int value) {
    b.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt(value);
    }
  }

  @Test
  void signedSixteenBitLabelsAreReadWithTheirSign() throws Exception {
    int w = 64;
    short[] px = new short[w * w];
    for (int i = 0; i < px.length; i++) {
      int x = i % w;
      int y = i / w;
      px[i] = (short) ((x % 8 == 0 || y % 8 == 0) ? 0 : 1 + x / 8 + 8 * (y / 8)); // 0..64
    }
    Path labels = Files.write(tmp.resolve("labels.tif"), int16Tiff(w, w, px));
    Cli r = Cli.run("match", labels.toString(), labels.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("n_pred=64 n_true=64"), r.out());
    assertTrue(r.out().contains("1.0000    1.0000"), r.out());
    px[5 * w + 5] = -3;
    Path negative = Files.write(tmp.resolve("negative.tif"), int16Tiff(w, w, px));
    assertSentence(Cli.run("match", negative.toString(), labels.toString()), "negative.tif",
        "-3");
  }

  // 5. header sizes are checked before a pixel is allocated

  /** A 4 KB TIFF whose header claims w x h x planes pixels of 32-bit floats. */
  static byte[] claimingTiff(int w, int h, int compression, int planes) {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    byte[] desc = ("ImageJ=1.54p\nimages=" + planes + "\nslices=" + planes + "\n\0")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int entries = 12;
    int ifd = 8;
    int descAt = ifd + 2 + entries * 12 + 4;
    int data = descAt + desc.length;
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
    b.putShort((short) entries);
    tag(b, 256, 4, w);
    tag(b, 257, 4, h);
    tag(b, 258, 3, 32);
    tag(b, 259, 3, compression);
    tag(b, 262, 3, 1);
    b.putShort((short) 270).putShort((short) 2).putInt(desc.length).putInt(descAt);
    tag(b, 273, 4, data);
    tag(b, 277, 3, 1);
    tag(b, 278, 4, h);
    tag(b, 279, 4, 4096 - data);
    tag(b, 284, 3, 1);
    tag(b, 339, 3, 3); // IEEE float
    b.putInt(0);
    b.put(desc);
    return b.array();
  }

  /** A 64x64 TIFF whose StripByteCounts field claims 2^30 + 1 values (found by FuzzTest). */
  static byte[] billionValues() {
    byte[] b = claimingTiff(64, 64, 1, 1);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int entry = 10 + 9 * 12; // the tenth field: 279, StripByteCounts
    assertEquals(279, bb.getShort(entry));
    bb.putInt(entry + 4, (1 << 30) + 1);
    return b;
  }

  @Test
  void aHeaderClaimingHugeImagesIsRefusedBeforeReading() throws Exception {
    Object[][] claims = {
        {claimingTiff(200000, 200000, 1, 1), "more than ImageJ holds"},
        {claimingTiff(50000, 50000, 1, 1), "more than ImageJ holds"},
        {claimingTiff(20000, 20000, 1, 1), "cut off"}, // uncompressed: 1.6 GB in a 4 KB file
        {claimingTiff(46000, 46000, 8, 1), "GiB in memory"}, // deflate: 8.5 GB, heap 6 GB
        // a field claiming a billion values: ImageJ's decoder read them one by one for minutes
        {billionValues(), "claims 1073741825 values"}};
    for (String cmd : List.of("segment", "instances", "saliency")) {
      for (int k = 0; k < claims.length; k++) {
        Path f = Files.write(tmp.resolve("claims-" + k + ".tif"), (byte[]) claims[k][0]);
        Path out = tmp.resolve("out-" + cmd + k + ".tif");
        long t0 = System.nanoTime();
        Cli r = Cli.run(cmd, "-o", out.toString(), f.toString());
        double secs = (System.nanoTime() - t0) / 1e9;
        assertSentence(r, "claims-" + k + ".tif", (String) claims[k][1]);
        assertFalse(r.out().contains("Exception"), r.out());
        assertTrue(secs < 20, cmd + " took " + secs + " s"); // was 38 s and 7.5 GiB
        assertFalse(Files.exists(out));
      }
    }
  }

  // 6. interrupted runs leave no debris

  @Test
  void staleTemporaryFilesOfADeadProcessGoWithTheNextRun() throws Exception {
    Path in = sample(tmp.resolve("in.tif"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    long dead = deadPid();
    Path staleFile = Files.writeString(out.resolve(".p.tif." + dead + ".1.2.part"), "half");
    Path staleZarr = Files.createDirectories(out.resolve(".p.zarr." + dead + ".1.2.part")
        .resolve("0"));
    Files.writeString(staleZarr.resolve("chunk"), "half");
    long live = ProcessHandle.current().pid();
    Path mine = Files.writeString(out.resolve(".p.tif." + live + ".7.8.part"), "in use");
    Path other = Files.writeString(out.resolve(".q.tif." + dead + ".1.2.part"), "other output");
    assertEquals(0, Cli.run("segment", "-o", out.resolve("p.tif").toString(), in.toString())
        .code());
    assertEquals(0, Cli.run("segment", "-o", out.resolve("p.zarr").toString(), in.toString())
        .code());
    assertFalse(Files.exists(staleFile), "a dead process's part file is removed");
    assertFalse(Files.exists(staleZarr.getParent()), "and its unfinished Zarr store");
    assertTrue(Files.exists(mine), "a live process's part file is left alone");
    assertTrue(Files.exists(other), "another output's part file is left alone");
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long pid = p.pid();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    return pid;
  }

  @Test
  void aKilledRunsDebrisIsRemovedByTheNextAndNativesAreCachedOnce() throws Exception {
    // a real process, killed with SIGKILL while it writes a large output
    ImagePlus big = IJ.createImage("big", "32-bit ramp", 1536, 1536, 1);
    Path in = tmp.resolve("big.tif");
    new FileSaver(big).saveAsTiff(in.toString());
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path dest = out.resolve("big-probabilities.tif");
    Path javaTmp = Files.createDirectories(tmp.resolve("javatmp"));
    Process p = fovea(javaTmp, "segment", "--tile", "128", "-o", dest.toString(), in.toString());
    long t0 = System.nanoTime();
    while (names(out).isEmpty() && System.nanoTime() - t0 < 120e9 && p.isAlive()) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "still writing when killed");
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    List<String> debris = names(out);
    assertEquals(1, debris.size(), debris.toString());
    assertTrue(debris.get(0).startsWith(".big-probabilities.tif."), debris.toString());
    // the next run removes it and writes the whole output
    Process again = fovea(javaTmp, "segment", "--tile", "512", "-o", dest.toString(),
        in.toString());
    assertTrue(again.waitFor(300, TimeUnit.SECONDS));
    String stdout = new String(again.getInputStream().readAllBytes());
    String stderr = new String(again.getErrorStream().readAllBytes());
    assertEquals(0, again.exitValue(), stderr);
    assertEquals(List.of("big-probabilities.tif"), names(out));
    // 7: ONNX Runtime's own log lines (with colour codes) never reach the user
    assertFalse(stderr.contains("\u001b["), stderr);
    assertTrue(stdout.contains("-> " + dest), stdout);
    // 6: ONNX Runtime's natives come from the cache, not from a new temporary copy per run
    Path natives = NativeCache.root().resolve("natives");
    try (Stream<Path> s = Files.walk(natives)) {
      assertTrue(s.anyMatch(f -> f.getFileName().toString().equals(
          System.mapLibraryName("onnxruntime"))), "natives cached in " + natives);
    }
    try (Stream<Path> s = Files.walk(javaTmp)) {
      assertFalse(s.anyMatch(f -> f.getFileName().toString().contains("onnxruntime")
          && Files.isRegularFile(f)), "no native copy in the temporary folder");
    }
  }

  /** {@code fovea ARGS} as its own Java process, as the launcher runs it. */
  private static Process fovea(Path javaTmp, String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + javaTmp, "-Duser.home=" + System.getProperty("user.home"),
        "-Dfovea.root=" + System.getProperty("fovea.root"), "-Djava.awt.headless=true",
        "-cp", System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path")), FoveaCli.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }

  // 7: what the user reads

  @Test
  void aSlowModelLoadIsTimed() throws Exception {
    Path in = sample(tmp.resolve("in.tif"));
    System.setProperty("fovea.load.notice.seconds", "0"); // every load counts as slow here
    try {
      Cli r = Cli.run("segment", "-o", tmp.resolve("o.tif").toString(), in.toString());
      assertEquals(0, r.code(), r.err());
      // the "still loading" line races with a load this fast; the timing line does not
      assertTrue(r.err().matches("(?s).*model 'nuclei-dilated' loaded in [0-9.]+ s.*"), r.err());
    } finally {
      System.clearProperty("fovea.load.notice.seconds");
    }
    Cli quiet = Cli.run("segment", "-o", tmp.resolve("o2.tif").toString(), in.toString());
    assertFalse(quiet.err().contains("loading"), quiet.err());
  }

  @Test
  void librariesPrintNothingOnStdoutAndErrorsNameTheFile() throws Exception {
    Path bad = Files.write(tmp.resolve("claims.tif"), claimingTiff(50000, 50000, 1, 1));
    Process p = fovea(Files.createDirectories(tmp.resolve("t")), "segment", "-o",
        tmp.resolve("o.tif").toString(), bad.toString());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String stdout = new String(p.getInputStream().readAllBytes());
    String stderr = new String(p.getErrorStream().readAllBytes());
    assertEquals(2, p.exitValue(), stderr);
    assertEquals("", stdout, "stdout holds results only");
    assertEquals(1, stderr.strip().lines().count(), stderr);
    // a model's channel count, from deep in the planner, names the file
    ImagePlus two = IJ.createImage("two", "16-bit ramp", 64, 64, 2, 1, 1);
    Path f = tmp.resolve("two-channels.tif");
    new FileSaver(two).saveAsTiffStack(f.toString());
    assertSentence(Cli.run("instances", "-o", tmp.resolve("l.tif").toString(), f.toString()),
        "two-channels.tif");
  }
}
