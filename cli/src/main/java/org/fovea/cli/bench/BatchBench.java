package org.fovea.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.io.batch.Batch;
import org.fovea.io.batch.BatchSpec;
import org.fovea.io.batch.BatchOperation;
import org.fovea.io.batch.FileOperation;
import org.fovea.models.Model;
import org.fovea.models.ModelRequest;
import org.fovea.io.batch.SyntheticImages;

/**
 * {@code fovea bench batch}: {@code fovea batch instances} over a folder of synthetic images
 * with one job and with N jobs, alternating, in one process with one loaded model.
 */
final class BatchBench {

  private BatchBench() {}

  static void run(ModelRequest request, int images, int size, int jobs, int runs,
      PrintWriter out) {
    Path dir;
    try {
      dir = Files.createTempDirectory("fovea-batch-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Model m = request.load()) {
      BatchOperation op = FileOperation.instances(request, "watershed", InstanceParams.defaults(),
          null).on(m);
      SyntheticImages.write(dir.resolve("in"), images, size, 42);
      out.printf(Locale.ROOT, "batch instances, %d images of %d², model %s, %d cores%n", images,
          size, request.model(), Runtime.getRuntime().availableProcessors());
      // warm-up: natives, JIT
      Batch.run(BatchSpec.of(dir.resolve("in"), dir.resolve("warm")), op, null);
      double best1 = Double.MAX_VALUE;
      double bestN = Double.MAX_VALUE;
      for (int r = 0; r < runs; r++) {
        best1 = Math.min(best1, Batch.run(BatchSpec.of(dir.resolve("in"),
            dir.resolve("one" + r)), op, null).seconds());
        bestN = Math.min(bestN, Batch.run(BatchSpec.of(dir.resolve("in"),
            dir.resolve("many" + r)).withJobs(jobs), op, null).seconds());
      }
      out.printf(Locale.ROOT, "--jobs 1: %.2f s (%.1f images/s)%n", best1, images / best1);
      out.printf(Locale.ROOT, "--jobs %d: %.2f s (%.1f images/s)%n", jobs, bestN, images / bestN);
      out.printf(Locale.ROOT, "speed-up --jobs %d vs --jobs 1: %.2fx (best of %d runs each)%n",
          jobs, best1 / bestN, runs);
      out.flush();
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary folder left behind is harmless
      }
    }
  }
}
