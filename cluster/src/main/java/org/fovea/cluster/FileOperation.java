package org.fovea.cluster;

import ij.ImagePlus;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fovea.models.Model;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.net.FoveaException;
import org.fovea.io.instances.InstanceExtraction;
import org.fovea.io.instances.LabelFiles;
import org.fovea.io.instances.ObjectTable;
import org.fovea.io.ImageFiles;

/**
 * One operation applied to one file, with the same outputs, names and numbers as {@code fovea
 * segment} and {@code fovea instances} give for that file: {@code NAME-probabilities.tif}, or
 * {@code NAME-labels.tif} and {@code NAME-objects.csv}. Serializable, so that a Spark task can
 * carry it.
 *
 * @param kind the operation
 * @param model the model
 * @param tile tile core size (0: as large as memory allows)
 * @param instances watershed settings (instances only)
 * @since 0.1.0
 */
public record FileOperation(Kind kind, ModelRef model, long tile, InstanceParams instances)
    implements Serializable {

  /** The operations a file job runs. */
  public enum Kind {
    /** Class probabilities, as {@code fovea segment}. */
    SEGMENT,
    /** Label image and object table, as {@code fovea instances}. */
    INSTANCES
  }

  /**
   * @param in an input file
   * @param outDir the output folder
   * @return the files this operation writes for it; the last one is written last, so its
   *     presence means the file is done (each is written under a temporary name, then renamed)
   */
  public List<Path> outputs(Path in, Path outDir) {
    return switch (kind) {
      case SEGMENT -> List.of(ImageFiles.outputFor(in, outDir, 2, "-probabilities.tif"));
      case INSTANCES -> List.of(ImageFiles.outputFor(in, outDir, 2, "-objects.csv"),
          ImageFiles.outputFor(in, outDir, 2, "-labels.tif"));
    };
  }

  /**
   * @param in an input file
   * @param outDir the output folder
   * @return whether its outputs are all there (a finished earlier run)
   */
  public boolean done(Path in, Path outDir) {
    return outputs(in, outDir).stream().allMatch(Files::isRegularFile);
  }

  /**
   * Runs the operation on one file and writes its outputs.
   *
   * @param m the loaded model
   * @param in the input file
   * @param outDir the output folder
   * @return objects found (instances), or -1 (segment)
   * @throws FoveaException when the file cannot be read or processed
   */
  public long apply(Model m, Path in, Path outDir) {
    ImagePlus imp = ImageFiles.open(in);
    List<Path> outs = outputs(in, outDir);
    Object lock = ExecutorModels.lockFor(m);
    switch (kind) {
      case SEGMENT -> {
        synchronized (lock) {
          ImageFiles.segmentToTiff(m, imp, tile, null, outs.get(0));
        }
        return -1;
      }
      default -> {
        InstanceExtraction.Result r;
        synchronized (lock) {
          r = InstanceExtraction.run(m, imp, instances, tile, null);
        }
        ObjectTable.write(r.objects(), outs.get(0));
        LabelFiles.write(r.labels(), imp, outs.get(1));
        return r.objects().size();
      }
    }
  }
}
