package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.IJ;
import ij.ImagePlus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.Labeling;
import org.fovea.cli.FoveaCli;
import org.fovea.plugins.fiji.Probabilities;
import org.fovea.plugins.ij1.ImageJInstall.Run;
import org.fovea.io.instances.LabelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Fovea Instance Masks} and {@code Fovea Match Labels} in a real ImageJ 1 (under Xvfb),
 * through the bridge, and the shipped batch macro on a folder.
 */
class InstanceMacroIT {

  @TempDir
  static Path tmp;

  private static ImageJInstall install;

  @BeforeAll
  static void installPlugin() throws IOException {
    assumeTrue(ImageJInstall.possible(),
        "xvfb-run is missing (apt-get install xvfb); outside CI the ImageJ macro test is skipped");
    install = ImageJInstall.in(tmp);
  }

  @Test
  void theBatchMacroCountsWhatTheCommandLineCounts() throws Exception {
    // setup: three small crops of the shipped sample in a folder
    Path in = Files.createDirectories(tmp.resolve("batch-in"));
    Path out = tmp.resolve("batch-out");
    int[][] at = {{0, 0, 128, 128}, {200, 150, 160, 120}, {300, 320, 140, 150}};
    for (int k = 0; k < at.length; k++) {
      ImagePlus crop = Probabilities.sampleCrop(at[k][0], at[k][1], at[k][2], at[k][3]);
      IJ.saveAsTiff(crop, in.resolve("img" + k + ".tif").toString());
    }
    Path macro = Paths.get(System.getProperty("fovea.root"), "macros", "batch_instances.ijm");
    // process
    Run r = install.run("ij.ImageJ", "-batch", macro.toString(), in + "," + out);
    // test
    Path summary = out.resolve("instances.csv");
    assertTrue(Files.isRegularFile(summary), r.output());
    List<String> rows = Files.readAllLines(summary);
    assertEquals("image,objects,mean_area", rows.get(0));
    assertEquals(4, rows.size(), rows.toString());
    for (int k = 0; k < at.length; k++) {
      Path image = in.resolve("img" + k + ".tif");
      Path cliLabels = tmp.resolve("cli-img" + k + "-labels.tif");
      StringWriter so = new StringWriter();
      StringWriter se = new StringWriter();
      int code = FoveaCli.run(new PrintWriter(so), new PrintWriter(se), "instances", "--tile",
          "1024", "--device", "cpu", "--json", "--output", cliLabels.toString(),
          image.toString());
      assertEquals(0, code, se.toString());
      JsonArray a = JsonParser.parseString(so.toString()).getAsJsonArray();
      int objects = ((JsonObject) a.get(0)).get("objects").getAsInt();
      LabelImage cli = LabelFiles.read(cliLabels);
      long[] area = Labeling.areas(cli);
      long sum = 0;
      for (int l = 1; l < area.length; l++) {
        sum += area[l];
      }
      String[] f = rows.get(k + 1).split(",");
      assertEquals("img" + k + ".tif", f[0]);
      assertEquals(objects, Integer.parseInt(f[1]), rows.get(k + 1));
      assertEquals(String.format(Locale.ROOT, "%.3f", objects == 0 ? 0.0 : (double) sum
          / objects), f[2]);
      LabelImage saved = LabelFiles.read(out.resolve("img" + k + "-labels.tif"));
      org.junit.jupiter.api.Assertions.assertArrayEquals(cli.labels(), saved.labels(),
          "labels of img" + k);
      assertTrue(Files.isRegularFile(out.resolve("img" + k + "-probabilities.tif")));
    }
  }

  @Test
  void instanceMasksThenMatchLabelsGiveTheCommandLineScores() throws Exception {
    Path sample = Probabilities.sample();
    Path truth = sample.resolveSibling("nuclei-synthetic-512-labels.tif");
    Path macro = tmp.resolve("match.ijm");
    Files.writeString(macro, "setBatchMode(true);\n"
        + "open(\"" + truth + "\");\n"
        + "open(\"" + sample + "\");\n"
        + "run(\"Fovea Instance Masks\", \"model=[nuclei-dilated] method=auto engine=auto"
        + " tile=256 device=auto\");\n"
        + "print(\"LABELS \" + getTitle() + \" \" + bitDepth() + \" \" + nResults + \" \""
        + " + roiManager(\"count\"));\n"
        + "saveAs(\"Tiff\", \"" + tmp.resolve("macro-labels.tif") + "\");\n"
        + "rename(\"nuclei-synthetic-512-labels-pred\");\n"
        + "run(\"Fovea Match Labels\", \"prediction=[nuclei-synthetic-512-labels-pred]"
        + " ground_truth=[nuclei-synthetic-512-labels.tif] iou=0.5,0.7,0.9\");\n"
        + "for (i = 0; i < nResults; i++) print(\"ROW \" + getResult(\"iou_threshold\", i) + \" \""
        + " + getResult(\"tp\", i) + \" \" + getResult(\"fp\", i) + \" \" + getResult(\"fn\", i)"
        + " + \" \" + d2s(getResult(\"accuracy\", i), 6));\n");
    Run r = install.run("ij.ImageJ", "-batch", macro.toString());
    String labelsLine = r.output().lines().filter(l -> l.startsWith("LABELS ")).findFirst()
        .orElseThrow(() -> new AssertionError(r.output()));
    String[] f = labelsLine.split(" ");
    LabelImage saved = LabelFiles.read(tmp.resolve("macro-labels.tif"));
    assertEquals("nuclei-synthetic-512-labels", f[1]);
    assertEquals("16", f[2]);
    assertEquals(saved.count(), Integer.parseInt(f[3]), "one Results row per object");
    assertEquals(saved.count(), Integer.parseInt(f[4]), "one ROI Manager entry per object");
    StringWriter so = new StringWriter();
    int code = FoveaCli.run(new PrintWriter(so), new PrintWriter(new StringWriter()), "match",
        tmp.resolve("macro-labels.tif").toString(), truth.toString(), "--iou", "0.5,0.7,0.9",
        "--json");
    assertEquals(0, code);
    JsonArray res = JsonParser.parseString(so.toString()).getAsJsonObject()
        .getAsJsonArray("results");
    List<String> rows = r.output().lines().filter(l -> l.startsWith("ROW ")).toList();
    assertEquals(3, rows.size(), r.output());
    for (int i = 0; i < 3; i++) {
      JsonObject o = res.get(i).getAsJsonObject();
      String[] v = rows.get(i).split(" ");
      assertEquals(o.get("iou_threshold").getAsDouble(), Double.parseDouble(v[1]), 1e-9);
      assertEquals(o.get("tp").getAsInt(), Integer.parseInt(v[2]));
      assertEquals(o.get("fp").getAsInt(), Integer.parseInt(v[3]));
      assertEquals(o.get("fn").getAsInt(), Integer.parseInt(v[4]));
      assertEquals(o.get("accuracy").getAsDouble(), Double.parseDouble(v[5]), 1e-6);
    }
  }

  @Test
  void matchingLabelImagesOfDifferentSizesStopsTheMacroWithOneSentence() throws Exception {
    Path macro = tmp.resolve("bad_match.ijm");
    Path marker = tmp.resolve("after-bad-match.txt");
    Files.writeString(macro, "setBatchMode(true);\n"
        + "newImage(\"a\", \"16-bit black\", 20, 20, 1);\n"
        + "newImage(\"b\", \"16-bit black\", 30, 20, 1);\n"
        + "run(\"Fovea Match Labels\", \"prediction=[a] ground_truth=[b] iou=0.5\");\n"
        + "File.saveString(\"reached\", \"" + marker + "\");\n");
    Run r = install.run("ij.ImageJ", "-batch", macro.toString());
    assertTrue(r.output().contains("Fovea Match Labels: label images differ in size: 'a' is"
        + " 20x20 but 'b' is 30x20: compare images of the same size"), r.output());
    assertFalse(Files.exists(marker), "the macro stopped");
  }

  @Test
  void theRecorderRecordsInstanceMasksWithEveryKey() throws Exception {
    Run r = install.run(RecordingProbe.class.getName(), Probabilities.sample().toString(),
        "model=[nuclei-dilated] tile=256", "Fovea Instance Masks");
    assertTrue(r.output().contains("RECORDED>>run(\"Fovea Instance Masks\", \"model=nuclei-dilated"
        + " method=auto engine=auto tile=256 device=auto min_size=10 max_size=0\");"), r.output());
  }
}
