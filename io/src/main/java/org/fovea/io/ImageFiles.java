package org.fovea.io;

import org.fovea.models.AtomicFiles;
import ij.ImagePlus;
import ij.measure.Calibration;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.models.Zoo;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.tiling.PlaneSink;
import org.fovea.io.image.ImagePlusImgs;

/**
 * Reading, segmenting and writing images with ImageJ 1, headless.
 *
 * @since 0.1.0
 */
public final class ImageFiles {

  /**
   * A segmented image.
   *
   * @param probabilities a 32-bit hyperstack, one channel per class
   * @param tiles tiles run per plane
   * @param halo context per tile side
   * @param nans input pixels that were NaN
   */
  public record Segmented(ImagePlus probabilities, int tiles, long halo, long nans) {}

  private ImageFiles() {}

  /**
   * The one warning for an image with missing values, the same in every command.
   *
   * @param image the image's file or title
   * @param nans its NaN and infinite pixels
   * @return the sentence, or null when there are none
   */
  public static String nonFiniteWarning(Object image, long nans) {
    return nans <= 0 ? null : image + " has " + nans + " NaN or infinite pixel"
        + (nans == 1 ? "" : "s") + ": they were left out of the normalization statistics and"
        + " set to 0 after it, so the output there is a guess; mask or fill them for a trustworthy"
        + " result";
  }

  /** @return the shipped sample image */
  public static Path sample() {
    Path zoo = Zoo.shippedFolder();
    if (zoo == null) {
      throw new FoveaException("no input image given and the shipped sample is unknown (run"
          + " through the ./fovea launcher, or pass an image path)");
    }
    return zoo.resolve("samples").resolve("nuclei-synthetic-512.tif");
  }

  /**
   * @param p an image file ImageJ can read (TIFF, PNG, ...)
   * @return the image
   * @throws FoveaException when it is missing or unreadable, cut off, or its header claims more
   *     pixels than a plane or the memory holds (checked before any pixel is read)
   */
  public static ImagePlus open(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new FoveaException("input image " + p + " does not exist: check the path");
    }
    ImageHeaders.check(p); // before ImageJ allocates what the header claims
    ImagePlus imp = new Opener().openImage(p.toAbsolutePath().toString());
    if (imp == null) {
      throw new FoveaException("cannot read " + p + " as an image: give a TIFF, PNG or JPEG file");
    }
    if (imp.getWidth() == 0 || imp.getHeight() == 0) {
      throw new FoveaException("image " + p + " is empty (0 pixels)");
    }
    return imp;
  }

  /**
   * Segments every z-slice and time point, plane by plane, into a new 32-bit hyperstack.
   *
   * @param model a loaded model: a 2D one segments each plane, a 3D one each frame as a volume
   * @param imp the image
   * @param tile tile core size (0: as large as the memory budget allows)
   * @param progress progress of each plane's tiles, may be null
   * @return the probabilities, calibration copied from the input
   */
  public static Segmented segment(Model model, ImagePlus imp, long tile,
      Segmentation.Progress progress) {
    model.checkImageChannels(imp.getNChannels(), "image '" + imp.getTitle() + "'");
    int classes = model.classesFor(imp.getNChannels());
    long[] size = model.outputSize(imp.getHeight(), imp.getWidth());
    int oh = (int) size[0];
    int ow = (int) size[1];
    ImageStack out = new ImageStack(ow, oh);
    int planes = classes * imp.getNSlices() * imp.getNFrames();
    for (int i = 0; i < planes; i++) {
      out.addSlice(className(model, i % classes), new float[ow * oh]);
    }
    Segmentation.Result last = eachPlane(model, imp, tile, progress,
        first -> ImagePlusPlanes.sink(out, first));
    ImagePlus r = new ImagePlus(baseName(imp.getTitle()) + "-probabilities", out);
    r.setDimensions(classes, imp.getNSlices(), imp.getNFrames());
    if (planes > 1) {
      r.setOpenAsHyperStack(true);
    }
    r.setCalibration(outputCalibration(imp, ow, oh));
    r.setDisplayRange(0, 1);
    return new Segmented(r, last.tiles(), last.halo(), last.nans());
  }

  /**
   * Segments every z-slice and time point straight into a TIFF file, tile by tile: the
   * probabilities are never held in memory whole. The file appears only when complete.
   *
   * @param model a loaded model: a 2D one segments each plane, a 3D one each frame as a volume
   * @param imp the image
   * @param tile tile core size (0: as large as the memory budget allows)
   * @param progress progress of each plane's tiles, may be null
   * @param dest the TIFF to write
   * @return tiles, halo and NaN count (no image)
   */
  public static Segmented segmentToTiff(Model model, ImagePlus imp, long tile,
      Segmentation.Progress progress, Path dest) {
    model.checkImageChannels(imp.getNChannels(), "image '" + imp.getTitle() + "'");
    int classes = model.classesFor(imp.getNChannels());
    // one file per output: the outputs' channels follow one another in each tile
    int[] groups = model.network().outputs().size() > 1
        ? model.outputChannels(model.inputChannels()) : new int[] {classes};
    List<Path> dests = outputFiles(model, dest);
    long[] size = model.outputSize(imp.getHeight(), imp.getWidth());
    List<TiffPlanesWriter> tiffs = new java.util.ArrayList<>();
    try {
      for (int j = 0; j < groups.length; j++) {
        tiffs.add(new TiffPlanesWriter(dests.get(j), (int) size[1], (int) size[0], groups[j],
            imp.getNSlices(), imp.getNFrames(),
            outputCalibration(imp, (int) size[1], (int) size[0])));
      }
      Segmentation.Result last = eachPlane(model, imp, tile, progress,
          first -> (y0, x0, h, w, c, src) -> {
            int plane = first / classes; // slice and frame
            for (int j = 0, k = 0; j < groups.length; j++) {
              for (int local = 0; local < groups[j]; local++, k++) {
                tiffs.get(j).write(groups[j] * plane + local, y0, x0, h, w, src, k * h * w);
              }
            }
          });
      for (TiffPlanesWriter t : tiffs) {
        t.commit();
      }
      return new Segmented(null, last.tiles(), last.halo(), last.nans());
    } finally {
      for (TiffPlanesWriter t : tiffs) {
        t.close();
      }
    }
  }

  /**
   * Where {@link #segmentToTiff} writes each output of a model: the first at {@code dest}, each
   * further one beside it with the output's id before the extension ({@code cells-probabilities
   * .tif}, {@code cells-probabilities-gated.tif}).
   *
   * @param model the model
   * @param dest the first output's file
   * @return one file per output
   * @since 0.3.0
   */
  public static List<Path> outputFiles(Model model, Path dest) {
    List<Path> r = new java.util.ArrayList<>(List.of(dest));
    String f = dest.getFileName().toString();
    int dot = f.lastIndexOf('.');
    String stem = dot > 0 ? f.substring(0, dot) : f;
    String ext = dot > 0 ? f.substring(dot) : "";
    var outs = model.network().outputs();
    for (int j = 1; j < outs.size(); j++) {
      r.add(dest.resolveSibling(stem + "-" + outs.get(j).name() + ext));
    }
    return r;
  }

  private static Segmentation.Result eachPlane(Model model, ImagePlus imp, long tile,
      Segmentation.Progress progress, java.util.function.IntFunction<PlaneSink> sinkAt) {
    int classes = model.classesFor(imp.getNChannels());
    Segmentation.Result last = null;
    long nans = 0;
    if (Segmentation.volumetric(model)) {
      // a 3D model: each frame is one volume; its cells are written slice by slice
      int slices = imp.getNSlices();
      for (int t = 1; t <= imp.getNFrames(); t++) {
        int frame = classes * slices * (t - 1);
        last = Segmentation.run(model, ImagePlusImgs.volume(imp, t), (min, size, c, src) -> {
          int plane = size[0] * size[1];
          for (int z = 0; z < size[2]; z++) {
            PlaneSink sink = sinkAt.apply(frame + classes * (int) (min[2] + z));
            float[] slab = new float[c * plane];
            for (int k = 0; k < c; k++) {
              System.arraycopy(src, (k * size[2] + z) * plane, slab, k * plane, plane);
            }
            sink.write(min[1], min[0], size[1], size[0], c, slab);
          }
        }, tile, progress);
        nans += last.nans();
      }
      return new Segmentation.Result(null, last.tiles(), last.tile(), last.halo(), nans);
    }
    for (int t = 1; t <= imp.getNFrames(); t++) {
      for (int z = 1; z <= imp.getNSlices(); z++) {
        int first = classes * ((z - 1) + imp.getNSlices() * (t - 1));
        last = Segmentation.run(model, ImagePlusImgs.plane(imp, z, t), sinkAt.apply(first),
            tile, progress);
        nans += last.nans();
      }
    }
    return new Segmentation.Result(null, last.tiles(), last.tile(), last.halo(), nans);
  }

  /**
   * The input's calibration for an output of {@code w x h} pixels: the same, or with the pixel
   * size scaled when the model's output has another resolution.
   */
  static Calibration outputCalibration(ImagePlus imp, int w, int h) {
    Calibration c = imp.getCalibration().copy();
    c.disableDensityCalibration();
    c.pixelWidth *= (double) imp.getWidth() / w;
    c.pixelHeight *= (double) imp.getHeight() / h;
    return c;
  }

  /** The name of output channel c: the outputs' channels one after another. */
  private static String className(Model m, int c) {
    var outs = m.pkg().outputs();
    int at = c;
    for (int j = 0; j < outs.size(); j++) {
      var names = outs.get(j).channelNames();
      int n = outs.size() == 1 ? Integer.MAX_VALUE
          : m.outputChannels(m.inputChannels())[j];
      if (at < n) {
        String prefix = outs.size() > 1 ? outs.get(j).spec().name() + ":" : "";
        return prefix + (names != null && at < names.size() ? names.get(at) : "class " + at);
      }
      at -= n;
    }
    return "class " + c;
  }

  private static String baseName(String title) {
    int dot = title.lastIndexOf('.');
    return dot > 0 ? title.substring(0, dot) : title;
  }

  /**
   * Writes a TIFF atomically: to a temporary name in the same folder, then renamed.
   *
   * @param imp the image
   * @param dest the destination
   */
  public static void saveTiff(ImagePlus imp, Path dest) {
    AtomicFiles.write(dest, tmp -> {
      boolean ok = imp.getStackSize() > 1 ? new FileSaver(imp).saveAsTiffStack(tmp.toString())
          : new FileSaver(imp).saveAsTiff(tmp.toString());
      if (!ok) {
        throw new IOException("ImageJ could not save the TIFF");
      }
    });
  }
}
