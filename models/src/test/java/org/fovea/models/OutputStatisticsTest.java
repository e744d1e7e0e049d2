package org.fovea.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.imglib2.img.array.ArrayImgs;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output post-processing that takes statistics (issue 14, item 6): per-sample statistics of the
 * output would differ tile by tile, and a reference to another tensor is not followed; both are
 * refused with a sentence instead of giving a silently different number.
 */
class OutputStatisticsTest {

  @TempDir
  Path tmp;

  /** The shipped nuclei-dilated with an extra output step, in a temporary folder. */
  private Path withOutputStep(String kwargs) throws IOException {
    Path src = Zoo.resolve("nuclei-dilated").root();
    Path copy = Files.createDirectories(tmp.resolve("pkg"));
    try (var s = Files.walk(src)) {
      for (Path f : s.toList()) {
        Path to = copy.resolve(src.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path rdf = copy.resolve("rdf.yaml");
    String y = Files.readString(rdf);
    String marker = "  - id: probabilities\n";
    assertTrue(y.contains(marker));
    Files.writeString(rdf, y.replace(marker, marker + "    postprocessing:\n"
        + "      - id: scale_range\n        kwargs: " + kwargs + "\n"));
    return copy;
  }

  @Test
  void anOutputNormalizedWithItsOwnStatisticsRunsOnlyInOneTile() throws IOException {
    var p = Zoo.resolve(withOutputStep("{axes: [y, x], min_percentile: 0.0, max_percentile: 100.0}")
        .toString());
    try (Model m = Model.load(p, "onnx", "cpu", false)) {
      FoveaException e = assertThrows(FoveaException.class,
          () -> SegmentationPlan.of(m, ArrayImgs.floats(300, 200), 64));
      assertTrue(e.getMessage().startsWith("model 'nuclei-dilated' normalizes its output with the"
          + " output's own statistics (postprocessing 'scale_range'), which would differ tile by"
          + " tile, and this image needs"), e.getMessage());
      assertEquals(1, SegmentationPlan.of(m, ArrayImgs.floats(300, 200), 0).tiles(),
          "one tile: the statistics are the whole image's");
    }
  }

  @Test
  void anOutputScaledByAnotherTensorIsRefusedWhenThePackageIsRead() throws IOException {
    Path pkg = withOutputStep("{axes: [y, x], reference_tensor: raw, min_percentile: 1.0,"
        + " max_percentile: 99.0}");
    FoveaException e = assertThrows(FoveaException.class, () -> Zoo.resolve(pkg.toString()));
    assertTrue(e.getMessage().contains("reference_tensor")
        && e.getMessage().contains("names 'raw': scaling an output by another tensor's"
            + " percentiles is not supported by Fovea yet"), e.getMessage());
  }
}
