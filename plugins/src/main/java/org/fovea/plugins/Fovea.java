package org.fovea.plugins;

import ij.ImagePlus;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;
import org.fovea.models.LoadedModels;
import org.fovea.models.Model;
import org.fovea.models.ModelRequest;
import org.fovea.models.Segmentation;
import org.fovea.models.Zoo;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.Instances;
import org.fovea.ops.instances.LabelImage;
import org.fovea.ops.instances.MatchStats;
import org.fovea.ops.instances.Matching;
import org.fovea.ops.instances.ObjectStats;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.tiling.TiledImage;
import org.fovea.io.instances.InstanceExtraction;
import org.fovea.io.instances.LabelFiles;
import org.fovea.io.instances.ObjectTable;
import org.fovea.io.ImageFiles;

/**
 * Fovea's operations for scripts and Java, one static call each, on ImageJ and ImgLib2 images:
 * {@code segment} ({@code fovea.segment}), {@code instances} ({@code fovea.instances}) and
 * {@code match} ({@code fovea.match}), plus opening and saving files.
 *
 * <pre>{@code
 * import org.fovea.plugins.Fovea
 * def imp = Fovea.open("cells.tif")
 * def objects = Fovea.instances(imp, "nuclei-dilated")
 * Fovea.save(objects.labels(), "cells-labels.tif")
 * println objects.count()
 * }</pre>
 *
 * <p>A model is loaded by the first call that names it (with that engine and device) and stays
 * loaded for the life of the process, so a loop over files pays for it once; {@code fovea batch}
 * runs such loops in parallel with a summary and resume. The ImgLib2 methods take any {@code
 * RandomAccessibleInterval} (dimensions x, y and optionally channel) and return lazy images.
 * Failures throw {@link FoveaException} with one sentence.
 *
 * @since 0.1.0
 */
public final class Fovea {

  /**
   * The objects of an image.
   *
   * @param labels a 16-bit label image (32-bit past 65535 objects), 0 is background
   * @param objects one measurement per object, in label order
   */
  public record Objects(ImagePlus labels, List<ObjectStats> objects) {

    /** @return how many objects there are */
    public int count() {
      return objects.size();
    }

    /** @return the mean object area in pixels, 0 when there is none */
    public double meanArea() {
      return objects.stream().mapToLong(ObjectStats::area).average().orElse(0);
    }
  }

  /** The models this process has loaded, kept for its life (closed when the JVM exits). */
  private static final LoadedModels MODELS = new LoadedModels();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(MODELS::close, "fovea-models-close"));
  }

  private Fovea() {}

  private static ModelRequest request(String model, String engine, String device, long tile) {
    return ModelRequest.builder().setModel(model).optEngine(engine).optDevice(device)
        .optTile(tile).build();
  }

  /**
   * Class probabilities of an ImgLib2 image, lazily: the statistics are taken over the whole
   * image now, and each tile is computed when a pixel of it is first read. The image may be any
   * {@code RandomAccessibleInterval} (array, cells, a view, a virtual image) of any real type.
   *
   * <pre>{@code
   * def p = Fovea.segment(img, "nuclei-dilated")   // x, y, class; nothing computed yet
   * }</pre>
   *
   * @param image dimensions x, y and optionally channel, any origin
   * @param model a model name or path
   * @return the probabilities, dimensions x, y, class over the image's x/y interval
   */
  public static RandomAccessibleInterval<FloatType> segment(
      RandomAccessibleInterval<? extends RealType<?>> image, String model) {
    return segment(image, ModelRequest.builder().setModel(model).build()).image();
  }

  /**
   * @param image dimensions x, y and optionally channel, any origin
   * @param request the model, engine, device, tile size and self-check
   * @return the lazy output: its image, tile plan and how many tiles have run
   */
  public static TiledImage segment(RandomAccessibleInterval<? extends RealType<?>> image,
      ModelRequest request) {
    return Segmentation.lazy(MODELS.get(request), image, request.tile());
  }

  /**
   * Objects of a probability image (such as {@link #segment(RandomAccessibleInterval, String)}'s
   * output of a background/interior/boundary model), which is read whole.
   *
   * @param probabilities dimensions x, y, class
   * @param params watershed parameters; their interior and boundary channels must be right for
   *     the model ({@code nuclei-dilated}: 1 and 2, the defaults)
   * @return the label image, 0 for background, over the probabilities' x/y interval
   */
  public static RandomAccessibleInterval<IntType> instances(
      RandomAccessibleInterval<? extends RealType<?>> probabilities, InstanceParams params) {
    return Instances.labels(probabilities, params);
  }

  /**
   * @param path an image file (TIFF, PNG, JPEG)
   * @return the image
   */
  public static ImagePlus open(String path) {
    return ImageFiles.open(Path.of(path));
  }

  /**
   * @param file an image file (TIFF, PNG, JPEG)
   * @return the image
   */
  public static ImagePlus open(File file) {
    return ImageFiles.open(file.toPath());
  }

  /**
   * Saves an image as TIFF, atomically (temporary name, then rename).
   *
   * @param imp the image
   * @param path the TIFF file
   */
  public static void save(ImagePlus imp, String path) {
    ImageFiles.saveTiff(imp, Path.of(path));
  }

  /**
   * Saves an image as TIFF, atomically (temporary name, then rename).
   *
   * @param imp the image
   * @param file the TIFF file
   */
  public static void save(ImagePlus imp, File file) {
    ImageFiles.saveTiff(imp, file.toPath());
  }

  /**
   * Class probabilities at full resolution, with the default engine, device and tile size.
   *
   * @param imp the image (stacks plane by plane)
   * @param model a model name ({@code nuclei-dilated}) or path
   * @return a 32-bit hyperstack, one channel per class
   */
  public static ImagePlus segment(ImagePlus imp, String model) {
    return segment(imp, model, null, "auto", 1024);
  }

  /**
   * Class probabilities at full resolution.
   *
   * @param imp the image (stacks plane by plane)
   * @param model a model name or path
   * @param engine onnx, pytorch, tensorflow, or null for the fastest
   * @param device cpu, gpu, gpu:N or auto
   * @param tile tile core size (0: as large as memory allows)
   * @return a 32-bit hyperstack, one channel per class
   */
  public static ImagePlus segment(ImagePlus imp, String model, String engine, String device,
      long tile) {
    Model m = MODELS.get(request(model, engine, device, tile));
    return ImageFiles.segment(m, imp, tile, null).probabilities();
  }

  /**
   * Objects of a 2D image through a background/interior/boundary model, with the default
   * watershed parameters ({@code fovea instances} without options).
   *
   * @param imp a single-plane image
   * @param model a model name or path
   * @return the label image and one measurement per object
   */
  public static Objects instances(ImagePlus imp, String model) {
    return instances(imp, model, InstanceParams.byDimension(), null, "auto", 1024);
  }

  /**
   * Objects of a 2D image through a background/interior/boundary model.
   *
   * @param imp a single-plane image
   * @param model a model name or path
   * @param params watershed parameters
   * @param engine onnx, pytorch, tensorflow, or null for the fastest
   * @param device cpu, gpu, gpu:N or auto
   * @param tile tile core size (0: as large as memory allows)
   * @return the label image and one measurement per object
   */
  public static Objects instances(ImagePlus imp, String model, InstanceParams params,
      String engine, String device, long tile) {
    Model m = MODELS.get(request(model, engine, device, tile));
    InstanceExtraction.Result r = InstanceExtraction.run(m, imp, params, tile, null);
    ImagePlus labels = LabelFiles.toImagePlus(r.labels(), baseName(imp.getTitle()) + "-labels");
    labels.setCalibration(imp.getCalibration().copy());
    labels.getCalibration().disableDensityCalibration();
    return new Objects(labels, r.objects());
  }

  /**
   * Writes the object table as CSV ({@link ObjectTable#HEADER}), atomically.
   *
   * @param objects the objects
   * @param file the CSV file
   */
  public static void saveTable(Objects objects, File file) {
    ObjectTable.write(objects.objects(), file.toPath());
  }

  /**
   * Matching scores of predicted labels against ground truth (optimal one-to-one matching).
   *
   * @param pred predicted label image
   * @param truth ground-truth label image of the same size
   * @param iou IoU thresholds (none: 0.5)
   * @return one row per threshold
   */
  public static List<MatchStats> match(ImagePlus pred, ImagePlus truth, double... iou) {
    LabelImage p = LabelFiles.of(pred, pred.getTitle());
    LabelImage t = LabelFiles.of(truth, truth.getTitle());
    if (p.width() != t.width() || p.height() != t.height()) {
      throw new FoveaException("label images differ in size: " + pred.getTitle() + " is "
          + p.width() + "x" + p.height() + " but " + truth.getTitle() + " is " + t.width() + "x"
          + t.height() + ": compare images of the same size");
    }
    return Matching.match(p.labels(), t.labels(), iou.length == 0 ? new double[] {0.5} : iou);
  }

  private static String baseName(String title) {
    int dot = title.lastIndexOf('.');
    return dot > 0 ? title.substring(0, dot) : title;
  }
}
