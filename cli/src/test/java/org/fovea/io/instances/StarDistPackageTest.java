package org.fovea.io.instances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.fovea.models.pkg.Npy;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package described the way StarDist exports its models to bioimage.io ({@code config:
 * stardist: {stardist_version, thresholds: {prob, nms}}}, one output of the probability and the
 * ray distances in input pixels, no Fovea entry): {@code fovea instances} recognizes it as
 * star-convex and uses StarDist's thresholds. Made from the shipped nuclei-star, whose distances
 * come in units of 10 px: the copy multiplies them by 10 in its post-processing
 * ({@code scale_linear} per channel, its test output likewise), so both describe the same
 * objects.
 */
class StarDistPackageTest {

  @TempDir
  Path tmp;

  private static Path zoo(String... more) {
    return Path.of(System.getProperty("fovea.root"), "models", "zoo")
        .resolve(String.join("/", more));
  }

  private Path starDistShaped() throws Exception {
    Path dir = Run.copyShipped("nuclei-star", tmp.resolve("stardist-shaped"));
    String rdf = Files.readString(dir.resolve("rdf.yaml"));
    String fovea = "    instances:\n      method: star\n      rays: 32\n      distance_unit: 10.0\n"
        + "      prob_threshold: 0.3\n      nms_threshold: 0.3\n";
    assertTrue(rdf.contains(fovea), "the shipped description as this test knows it");
    String gains = "1, " + IntStream.range(0, 32).mapToObj(i -> "10").collect(
        Collectors.joining(", "));
    String post = "    data:\n      type: float32\n    postprocessing:\n      - id: scale_linear\n"
        + "        kwargs: {axis: channel, gain: [" + gains + "], offset: 0}\n";
    assertTrue(rdf.contains("    data:\n      type: float32\nweights:"), rdf);
    rdf = rdf.replace(fovea, "").replace("  fovea:\n", "  stardist:\n    stardist_version: 0.9.1\n"
        + "    thresholds: {prob: 0.3, nms: 0.3}\n  fovea:\n")
        .replace("    data:\n      type: float32\nweights:", post + "weights:");
    Files.writeString(dir.resolve("rdf.yaml"), rdf);
    // the test output after that post-processing
    Tensor out = Npy.read(dir.resolve("test_output.npy"), Axes.of("bcyx"));
    int plane = (int) (out.shape()[2] * out.shape()[3]);
    for (int i = plane; i < out.data().length; i++) {
      out.data()[i] *= 10;
    }
    Npy.write(dir.resolve("test_output.npy"), out);
    return dir;
  }

  @Test
  void aStarDistDescribedPackageGivesTheSameObjects() throws Exception {
    Path pkg = starDistShaped();
    Path sample = zoo("samples", "nuclei-synthetic-512.tif");
    Path a = tmp.resolve("stardist.csv");
    Path b = tmp.resolve("shipped.csv");
    Run r = Run.of("instances", "--model", pkg.toString(), "--json", "-o",
        tmp.resolve("a.tif").toString(), "--csv", a.toString(), sample.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"objects\""), r.out());
    Run s = Run.of("instances", "--model", "nuclei-star", "-o", tmp.resolve("b.tif").toString(),
        "--csv", b.toString(), sample.toString());
    assertEquals(0, s.code(), s.err());
    // the same polygons: the same label image and the same table
    assertArrayEquals(LabelFiles.read(tmp.resolve("b.tif")).labels(),
        LabelFiles.read(tmp.resolve("a.tif")).labels());
    assertEquals(Files.readAllLines(b), Files.readAllLines(a));
    assertTrue(Files.readAllLines(a).size() > 50, "objects found");
  }
}
