package org.fovea.io.batch;

import ij.ImagePlus;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fovea.io.ImageFiles;
import org.fovea.io.instances.InstanceExtraction;
import org.fovea.io.instances.VolumeExtraction;
import org.fovea.io.instances.LabelFiles;
import org.fovea.io.instances.ObjectTable;
import org.fovea.io.instances.StarExtraction;
import org.fovea.io.saliency.OverlayImages;
import org.fovea.io.saliency.Saliencies;
import org.fovea.io.saliency.SaliencyMaps;
import org.fovea.io.saliency.SaliencySettings;
import org.fovea.models.Model;
import org.fovea.models.Zoo;
import org.fovea.ops.saliency.Target;
import org.fovea.models.ModelRequest;
import org.fovea.models.Segmentation;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.star.StarParams;

/**
 * What to do with each file of a job, the one description {@code fovea batch} ({@link Batch}) and
 * {@code fovea-spark} file jobs share: the operation, the model request and its parameters. It is
 * serializable (a Spark driver ships it to executors) and names the same outputs everywhere.
 *
 * @param kind the operation
 * @param model the model, engine, device and tile size
 * @param method instances: {@code auto} (star for star-convex models, else the watershed),
 *     {@code watershed} or {@code star}
 * @param instances watershed parameters (instances)
 * @param star star-convex parameters (instances with a star model)
 * @param saliency the saliency method and its settings (saliency)
 * @param target what the saliency map explains, as {@code fovea saliency --target} takes it
 * @since 0.2.0
 */
public record FileOperation(Kind kind, ModelRequest model, String method,
    InstanceParams instances, StarParams star, SaliencySettings saliency, String target)
    implements Serializable {

  /** The operations. */
  public enum Kind {
    /** {@code NAME-probabilities.tif}, as {@code fovea segment}. */
    SEGMENT,
    /** {@code NAME-labels.tif} and {@code NAME-objects.csv}, as {@code fovea instances}. */
    INSTANCES,
    /**
     * {@code NAME-saliency-METHOD.tif} and {@code NAME-saliency-METHOD.png} (the overlay), as
     * {@code fovea saliency -o ... --overlay ...}.
     */
    SALIENCY
  }

  /**
   * @param model the model request
   * @return class probabilities per file
   */
  public static FileOperation segment(ModelRequest model) {
    return new FileOperation(Kind.SEGMENT, model, null, null, null, null, null);
  }

  /**
   * @param model the model request
   * @param method {@code auto}, {@code watershed} or {@code star}
   * @param instances watershed parameters
   * @param star star-convex parameters
   * @return labelled objects and their table per file
   */
  public static FileOperation instances(ModelRequest model, String method,
      InstanceParams instances, StarParams star) {
    return new FileOperation(Kind.INSTANCES, model, method, instances, star, null, null);
  }

  /**
   * @param model the model request; without an engine, the one the method needs is chosen
   *     ({@link Saliencies#engine}: gradients need PyTorch or TensorFlow weights)
   * @param saliency the method and its settings
   * @param target {@code all} or {@code class=C[,x=X,y=Y][,roi=X,Y,W,H]}
   * @return a saliency map and its overlay per file
   * @throws org.fovea.ops.net.FoveaException for a target that cannot be read
   */
  public static FileOperation saliency(ModelRequest model, SaliencySettings saliency,
      String target) {
    Target.parse(target);
    ModelRequest m = model;
    if (model.engine() == null) {
      String engine = Saliencies.engine(Zoo.resolve(model.model(),
          new Zoo.Bare(model.axes(), model.normalize())), saliency);
      m = new ModelRequest(model.model(), engine, model.device(), model.tile(), model.verify(),
          model.axes(), model.normalize(), model.dense(), model.precision());
    }
    return new FileOperation(Kind.SALIENCY, m, null, null, null, saliency, target);
  }

  /** @return the operation's name, as on the command line */
  public String name() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param m the loaded model
   * @return the options that change the outputs, recorded for {@code --resume}
   */
  public String options(Model m) {
    String base = String.format(Locale.ROOT, "model=%s engine=%s tile=%d", m.pkg().name(),
        m.network().engine(), model.tile());
    if (kind == Kind.SEGMENT) {
      return base;
    }
    if (kind == Kind.SALIENCY) {
      return base + " saliency=" + saliency + " target=" + target;
    }
    return StarExtraction.applies(m, method) ? base + " star=" + StarExtraction.forModel(m, star)
        : base + " params=" + InstanceExtraction.forModel(m, instances);
  }

  /**
   * @param base an input's file name without its extension
   * @return the names of the files written for it, in the order {@link #run} takes them
   */
  public List<String> outputs(String base) {
    return switch (kind) {
      case SEGMENT -> List.of(base + "-probabilities.tif");
      case INSTANCES -> List.of(base + "-labels.tif", base + "-objects.csv");
      case SALIENCY -> List.of(base + "-saliency-" + saliency.method() + ".tif",
          base + "-saliency-" + saliency.method() + ".png");
    };
  }

  /**
   * Processes one file; each output appears only when complete.
   *
   * @param m the loaded model (shared; not closed)
   * @param input the image
   * @param outputs where the outputs go, in the order of {@link #outputs}
   * @return objects found, or null for segmentation
   * @throws org.fovea.ops.net.FoveaException with one sentence when the file cannot be processed
   */
  public Integer run(Model m, Path input, List<Path> outputs) {
    ImagePlus imp = ImageFiles.open(input);
    if (kind == Kind.SEGMENT) {
      ImageFiles.segmentToTiff(m, imp, model.tile(), null, outputs.get(0));
      return null;
    }
    if (kind == Kind.SALIENCY) {
      Target t = Target.parse(target);
      SaliencyMaps.Result r;
      if (m.network().concurrent()) {
        r = SaliencyMaps.compute(m, imp, t, saliency);
      } else {
        // saliency calls the engine directly, not through the tiler (which calls it one tile at
        // a time): files of a batch or a Spark executor share the model, so a network that may
        // not be called from several threads runs one file's saliency at a time
        synchronized (m.network()) {
          r = SaliencyMaps.compute(m, imp, t, saliency);
        }
      }
      ImageFiles.saveTiff(r.map(), outputs.get(0));
      OverlayImages.savePng(OverlayImages.render(imp, r.map(), t, saliency.signed(),
          saliency.method() + ", " + t.describe()), outputs.get(1));
      return null;
    }
    if (Segmentation.volumetric(m)) {
      VolumeExtraction.Result v = extractVolume(m, imp, null);
      VolumeExtraction.write(v.labels(), imp, outputs.get(0));
      VolumeExtraction.writeTable(v.objects(), outputs.get(1));
      return v.objects().size();
    }
    InstanceExtraction.Result r = extract(m, imp, null);
    LabelFiles.write(r.labels(), imp, outputs.get(0));
    ObjectTable.write(r.objects(), outputs.get(1));
    return r.objects().size();
  }

  /**
   * The instances of one image, by the method this operation names: the one place that chooses
   * between star-convex polygons and the watershed (also for {@code fovea instances}' own outputs).
   *
   * @param m the loaded model (shared; not closed)
   * @param imp the image
   * @param progress progress, or null
   * @return the label image and the object table
   * @throws IllegalStateException for a segmentation operation
   */
  public InstanceExtraction.Result extract(Model m, ImagePlus imp,
      Segmentation.Progress progress) {
    if (kind != Kind.INSTANCES) {
      throw new IllegalStateException("a " + name() + " operation has no instances");
    }
    return StarExtraction.applies(m, method)
        ? StarExtraction.run(m, imp, star, model.tile(), progress)
        : InstanceExtraction.run(m, imp, instances, model.tile(), progress);
  }

  /**
   * The 3D objects of a z-stack through a 3D model (the watershed method; star-convex shapes are
   * 2D only): the one place for {@code fovea instances}, {@code fovea batch instances} and
   * {@code fovea-spark instances}.
   *
   * @param m the loaded 3D model (shared; not closed)
   * @param imp a single-channel z-stack
   * @param progress progress, or null
   * @return the label stack and the object table
   * @throws org.fovea.ops.net.FoveaException when the method is star
   * @since 0.3.0
   */
  public VolumeExtraction.Result extractVolume(Model m, ImagePlus imp,
      Segmentation.Progress progress) {
    if (kind != Kind.INSTANCES) {
      throw new IllegalStateException("a " + name() + " operation has no instances");
    }
    if (method.equals("star")) {
      throw new org.fovea.ops.net.FoveaException("model '" + m.pkg().name() + "' is a 3D model:"
          + " 3D objects are found by the watershed method; use --method auto or watershed");
    }
    return VolumeExtraction.run(m, imp, instances, model.tile(), progress);
  }

  /**
   * @param m the loaded model; the batch does not close it
   * @return this operation for {@link Batch#run}
   * @throws org.fovea.ops.net.FoveaException when the model cannot do it (no interior and
   *     boundary classes for the watershed)
   */
  public BatchOperation on(Model m) {
    String opts = options(m);
    return new BatchOperation() {
      @Override
      public String name() {
        return FileOperation.this.name();
      }

      @Override
      public String options() {
        return opts;
      }

      @Override
      public List<String> outputs(String base) {
        return FileOperation.this.outputs(base);
      }

      @Override
      public Integer run(Path input, List<Path> outputs) {
        return FileOperation.this.run(m, input, outputs);
      }
    };
  }
}
