package org.fovea.io.instances;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.io.RoiEncoder;
import ij.measure.Calibration;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fovea.io.ImageFiles;
import org.fovea.io.image.ImagePlusImgs;
import org.fovea.models.AtomicFiles;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.ops.instances.InstanceParams;
import org.fovea.ops.instances.volume.LabelVolume;
import org.fovea.ops.instances.volume.VolumeInstances;
import org.fovea.ops.instances.volume.VolumeObjectStats;
import org.fovea.ops.net.FoveaException;

/**
 * 3D objects from a z-stack and a 3D background/interior/boundary model: the volume is segmented
 * tile by tile (the probabilities equal one pass over the whole volume), then the objects are
 * found in the whole probability volume with the image's own voxel anisotropy; and the files they
 * go to: a 16-bit label stack, a table with volumes and centroids, ROIs per slice.
 *
 * @since 0.3.0
 */
public final class VolumeExtraction {

  /** The header row of the 3D object table. */
  public static final String HEADER = "label,voxels,volume,centroid_x,centroid_y,centroid_z,"
      + "bbox_x,bbox_y,bbox_z,bbox_width,bbox_height,bbox_depth,mean_intensity,score";

  /**
   * @param labels the objects
   * @param objects one measurement per object (score: mean interior probability)
   * @param tiles tiles the segmentation ran
   * @param nans input voxels that were NaN or infinite (treated as 0 after normalization)
   * @param spacingZ the z voxel size over the x voxel size that the objects were found with
   */
  public record Result(LabelVolume labels, List<VolumeObjectStats> objects, int tiles, long nans,
      double spacingZ) {}

  private VolumeExtraction() {}

  /**
   * @param imp an image
   * @return the z voxel size over the x voxel size from its calibration (1 when uncalibrated)
   */
  public static double spacingZ(ImagePlus imp) {
    Calibration c = imp.getCalibration();
    double r = c.pixelDepth / c.pixelWidth;
    return r > 0 && Double.isFinite(r) ? r : 1;
  }

  /**
   * @param model a loaded 3D background/interior/boundary model
   * @param imp a single-channel z-stack with one time point
   * @param params watershed parameters (their channels are replaced by the model's)
   * @param tile tile core size on every axis (0: as large as memory allows)
   * @param progress may be null
   * @return objects and measurements
   * @throws FoveaException when the image is not such a stack
   */
  public static Result run(Model model, ImagePlus imp, InstanceParams params, long tile,
      Segmentation.Progress progress) {
    InstanceParams p = InstanceExtraction.forModel(model, params);
    if (imp.getNFrames() != 1 || imp.getNChannels() != 1 || imp.getType() == ImagePlus.COLOR_RGB) {
      throw new FoveaException("image '" + imp.getTitle() + "' has " + imp.getNChannels()
          + " channel(s) and " + imp.getNFrames() + " time point(s)"
          + (imp.getType() == ImagePlus.COLOR_RGB ? " of RGB" : "") + ": 3D instances run on one"
          + " single-channel z-stack; split the channels or time points first");
    }
    int w = imp.getWidth();
    int h = imp.getHeight();
    int d = imp.getNSlices();
    long n = (long) w * h * d;
    int classes = model.outputChannels(1);
    if (n * classes > Integer.MAX_VALUE - 8) {
      throw new FoveaException("image '" + imp.getTitle() + "' has " + n + " voxels: 3D"
          + " instances hold the probability volume in memory (at most 2^31 values); crop the"
          + " stack into parts");
    }
    int plane = w * h;
    float[] prob = new float[(int) n * classes];
    Segmentation.Result s = Segmentation.run(model, ImagePlusImgs.volume(imp, 1),
        (min, size, c, src) -> {
          int i = 0;
          for (int k = 0; k < c; k++) {
            for (int z = 0; z < size[2]; z++) {
              for (int y = 0; y < size[1]; y++) {
                int at = (int) (k * n + (min[2] + z) * plane + (min[1] + y) * w + min[0]);
                System.arraycopy(src, i, prob, at, size[0]);
                i += size[0];
              }
            }
          }
        }, tile, progress);
    double sz = spacingZ(imp);
    LabelVolume labels = VolumeInstances.fromSemantic(prob, w, h, d, sz, p);
    float[] intensity = new float[(int) n];
    for (int z = 0; z < d; z++) {
      float[] px = (float[]) imp.getStack().getProcessor(z + 1).convertToFloatProcessor()
          .getPixels();
      System.arraycopy(px, 0, intensity, z * plane, plane);
    }
    float[] interior = new float[(int) n];
    System.arraycopy(prob, (int) (p.interiorChannel() * n), interior, 0, (int) n);
    Calibration cal = imp.getCalibration();
    List<VolumeObjectStats> objects = VolumeObjectStats.measure(labels, intensity, interior,
        cal.pixelDepth, cal.pixelHeight, cal.pixelWidth);
    return new Result(labels, objects, s.tiles(), s.nans(), sz);
  }

  /**
   * @param p a z-stack (or a single plane) of non-negative whole numbers
   * @return its labels
   * @throws FoveaException when the file is missing, unreadable or not a label image
   */
  public static LabelVolume read(Path p) {
    return of(ImageFiles.open(p), p.toString());
  }

  /**
   * @param imp a z-stack (or a single plane) of non-negative whole numbers
   * @param name how errors name it (a file path or an image title)
   * @return its labels
   * @throws FoveaException when it is not a label image
   */
  public static LabelVolume of(ImagePlus imp, String name) {
    if (imp.getNChannels() != 1 || imp.getNFrames() != 1) {
      throw new FoveaException("label image " + name + " has " + imp.getNChannels()
          + " channel(s) and " + imp.getNFrames() + " time point(s): give one 2D or 3D label"
          + " image");
    }
    int w = imp.getWidth();
    int h = imp.getHeight();
    int d = imp.getNSlices();
    int[] l = new int[Math.multiplyExact(Math.multiplyExact(w, h), d)];
    int max = 0;
    for (int z = 0; z < d; z++) {
      ImagePlus slice = new ImagePlus(imp.getTitle(), imp.getStack().getProcessor(z + 1));
      slice.setCalibration(imp.getCalibration());
      int[] s = LabelFiles.of(slice, d == 1 ? name : name + " (slice " + (z + 1) + ")").labels();
      System.arraycopy(s, 0, l, z * w * h, s.length);
    }
    for (int v : l) {
      max = Math.max(max, v);
    }
    return new LabelVolume(w, h, d, l, max);
  }

  /**
   * Writes a label stack as a 16-bit TIFF (32-bit beyond 65535 objects), atomically.
   *
   * @param labels the objects
   * @param like calibration to copy, or null
   * @param dest the file
   */
  public static void write(LabelVolume labels, ImagePlus like, Path dest) {
    ImagePlus imp = toImagePlus(labels, dest.getFileName().toString());
    if (like != null) {
      imp.setCalibration(like.getCalibration().copy());
      imp.getCalibration().disableDensityCalibration();
    }
    ImageFiles.saveTiff(imp, dest);
  }

  /**
   * @param labels the objects
   * @param title the image title
   * @return a 16-bit z-stack, or a 32-bit one when the labels exceed 65535 (exact up to 2^24)
   */
  public static ImagePlus toImagePlus(LabelVolume labels, String title) {
    int w = labels.width();
    int h = labels.height();
    int plane = w * h;
    boolean wide = labels.count() > LabelFiles.MAX_16_BIT;
    if (labels.count() > (1 << 24)) {
      throw new FoveaException(labels.count() + " objects do not fit a 32-bit float label image"
          + " exactly: split the stack into parts");
    }
    ImageStack stack = new ImageStack(w, h);
    int[] l = labels.labels();
    for (int z = 0; z < labels.depth(); z++) {
      ImageProcessor ip;
      if (wide) {
        float[] px = new float[plane];
        for (int i = 0; i < plane; i++) {
          px[i] = l[z * plane + i];
        }
        ip = new FloatProcessor(w, h, px, null);
      } else {
        short[] px = new short[plane];
        for (int i = 0; i < plane; i++) {
          px[i] = (short) l[z * plane + i];
        }
        ip = new ShortProcessor(w, h, px, null);
      }
      stack.addSlice("z" + (z + 1), ip);
    }
    ImagePlus imp = new ImagePlus(title, stack);
    imp.setDisplayRange(0, Math.max(1, labels.count()));
    return imp;
  }

  /**
   * @param o one object
   * @return its values in the order of {@link #HEADER}
   */
  public static double[] values(VolumeObjectStats o) {
    return new double[] {o.label(), o.voxels(), o.physicalVolume(), o.centroidX(),
        o.centroidY(), o.centroidZ(), o.minX(), o.minY(), o.minZ(), o.maxX() - o.minX() + 1,
        o.maxY() - o.minY() + 1, o.maxZ() - o.minZ() + 1, o.meanIntensity(), o.score()};
  }

  /**
   * @param o one object
   * @return its CSV row
   */
  public static String row(VolumeObjectStats o) {
    double[] v = values(o);
    return String.format(Locale.ROOT, "%d,%d,%.6g,%.3f,%.3f,%.3f,%d,%d,%d,%d,%d,%d,%.6g,%.6g",
        (long) v[0], (long) v[1], v[2], v[3], v[4], v[5], (long) v[6], (long) v[7], (long) v[8],
        (long) v[9], (long) v[10], (long) v[11], v[12], v[13]);
  }

  /**
   * Writes the object table atomically.
   *
   * @param objects the rows
   * @param dest the CSV file
   */
  public static void writeTable(List<VolumeObjectStats> objects, Path dest) {
    AtomicFiles.write(dest, tmp -> {
      try (Writer wr = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        wr.write(HEADER);
        wr.write('\n');
        for (VolumeObjectStats o : objects) {
          wr.write(row(o));
          wr.write('\n');
        }
      }
    });
  }

  /**
   * The outline of every object on every slice it touches, as ROIs with their slice position
   * (the ROI Manager shows each on its slice), named {@code LLLLL-zZZZ} by label and slice
   * (1-based). An object in several pieces on a slice has one composite ROI there.
   *
   * @param labels the objects
   * @param objects their measurements (for the bounding boxes)
   * @return the ROIs, by label, then slice
   */
  public static List<Roi> rois(LabelVolume labels, List<VolumeObjectStats> objects) {
    List<Roi> out = new ArrayList<>();
    int w = labels.width();
    int plane = w * labels.height();
    int[] l = labels.labels();
    for (VolumeObjectStats o : objects) {
      int bw = o.maxX() - o.minX() + 1;
      int bh = o.maxY() - o.minY() + 1;
      for (int z = o.minZ(); z <= o.maxZ(); z++) {
        ByteProcessor mask = new ByteProcessor(bw, bh);
        boolean any = false;
        for (int y = 0; y < bh; y++) {
          for (int x = 0; x < bw; x++) {
            if (l[z * plane + (o.minY() + y) * w + o.minX() + x] == o.label()) {
              mask.set(x, y, 255);
              any = true;
            }
          }
        }
        if (!any) {
          continue;
        }
        mask.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
        Roi roi = ThresholdToSelection.run(new ImagePlus("", mask));
        roi.setLocation(roi.getXBase() + o.minX(), roi.getYBase() + o.minY());
        roi.setName(String.format(Locale.ROOT, "%05d-z%03d", o.label(), z + 1));
        roi.setPosition(z + 1);
        out.add(roi);
      }
    }
    return out;
  }

  /**
   * Writes {@link #rois} as a zip the ROI Manager opens, atomically.
   *
   * @param labels the objects
   * @param objects their measurements
   * @param dest the zip file
   * @return the number of ROIs written
   */
  public static int writeRois(LabelVolume labels, List<VolumeObjectStats> objects, Path dest) {
    List<Roi> rois = rois(labels, objects);
    AtomicFiles.write(dest, tmp -> {
      try (OutputStream os = Files.newOutputStream(tmp);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        for (Roi roi : rois) {
          zip.putNextEntry(new ZipEntry(roi.getName() + ".roi"));
          zip.write(RoiEncoder.saveAsByteArray(roi));
          zip.closeEntry();
        }
      }
    });
    return rois.size();
  }
}
