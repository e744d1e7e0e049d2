package org.fovea.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.fovea.io.ImageFiles;
import org.fovea.io.instances.VolumeExtraction;
import org.fovea.ops.instances.volume.LabelVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Z-stacks as a user runs them (issue 16, 3D): the shipped 3D model on the shipped held-out
 * synthetic stack, through {@code fovea segment}, {@code fovea instances} and {@code fovea match};
 * tiles in z, y and x give the whole-volume probabilities and the same objects.
 */
class VolumeCliTest {

  @TempDir
  Path tmp;

  static Path stack() {
    return ImageFiles.sample().resolveSibling("nuclei3d-synthetic-64x128x128.tif");
  }

  static Path truth() {
    return ImageFiles.sample().resolveSibling("nuclei3d-synthetic-64x128x128-labels.tif");
  }

  private static float[] voxels(ImagePlus p) {
    int n = p.getStackSize();
    int plane = p.getWidth() * p.getHeight();
    float[] v = new float[n * plane];
    for (int i = 1; i <= n; i++) {
      float[] px = (float[]) p.getStack().getProcessor(i).convertToFloatProcessor().getPixels();
      System.arraycopy(px, 0, v, (i - 1) * plane, plane);
    }
    return v;
  }

  @Test
  void tilesInZyxGiveTheWholeVolumeAndTheSameObjects() throws IOException {
    Path whole = tmp.resolve("whole.tif");
    Cli r = Cli.run("segment", "--model", "nuclei-3d", "-o", whole.toString(), stack().toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("tiles=1 "), r.out());
    Path tiled = tmp.resolve("tiled.tif");
    r = Cli.run("segment", "--model", "nuclei-3d", "--tile", "40", "-o", tiled.toString(),
        stack().toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("tiles=32 "), "ceil(64/40) * ceil(128/40)^2: " + r.out());
    ImagePlus a = new Opener().openImage(whole.toString());
    ImagePlus b = new Opener().openImage(tiled.toString());
    assertEquals(3, a.getNChannels());
    assertEquals(64, a.getNSlices());
    assertEquals(a.getCalibration().pixelDepth, 2.0, 1e-9, "the stack's z step is kept");
    float[] x = voxels(a);
    float[] y = voxels(b);
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      worst = Math.max(worst, Math.abs(x[i] - y[i]));
    }
    assertTrue(worst <= 1e-5, "tiled vs whole: " + worst);

    Path l1 = tmp.resolve("l1.tif");
    Path l2 = tmp.resolve("l2.tif");
    Path csv = tmp.resolve("objects.csv");
    Path rois = tmp.resolve("rois.zip");
    r = Cli.run("instances", "--model", "nuclei-3d", "-o", l1.toString(), "--csv",
        csv.toString(), "--rois", rois.toString(), stack().toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("(3D, z spacing 2.00)"), r.out());
    r = Cli.run("instances", "--model", "nuclei-3d", "--tile", "40", "-o", l2.toString(),
        stack().toString());
    assertEquals(0, r.code(), r.err());
    LabelVolume v1 = VolumeExtraction.read(l1);
    LabelVolume v2 = VolumeExtraction.read(l2);
    assertEquals(64, v1.depth());
    assertArrayEquals(v1.labels(), v2.labels(), "objects from tiles equal the whole-volume ones");
    List<String> rows = Files.readAllLines(csv);
    assertEquals(VolumeExtraction.HEADER, rows.get(0));
    assertEquals(v1.count(), rows.size() - 1, "one row per object");
    try (ZipFile z = new ZipFile(rois.toFile())) {
      assertTrue(z.size() > v1.count(), "objects span several slices: " + z.size());
      assertTrue(z.stream().allMatch(e -> e.getName().matches("\\d{5}-z\\d{3}\\.roi")));
    }

    r = Cli.run("match", l1.toString(), truth().toString(), "--iou", "0.5,0.7", "--json");
    assertEquals(0, r.code(), r.err());
    Matcher m = Pattern.compile("\"accuracy\": ([0-9.]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    double accuracy = Double.parseDouble(m.group(1));
    System.out.println("nuclei-3d on the held-out synthetic stack: accuracy at IoU 0.5 = "
        + accuracy);
    assertTrue(accuracy >= 0.7, "3D objects against the known labels: " + r.out());
  }

  @Test
  void stacksOfAnotherDepthAreRefusedByMatch() {
    Path one = tmp.resolve("one.tif");
    Cli r = Cli.run("instances", "--model", "nuclei-dilated", "-o", one.toString());
    assertEquals(0, r.code(), r.err());
    r = Cli.run("match", one.toString(), truth().toString());
    assertEquals(2, r.code(), "a user error");
    assertTrue(r.err().contains("label images differ in size: " + one + " is 512x512 but "
        + truth() + " is 128x128x64: compare images of the same size"), r.err());
  }
}
