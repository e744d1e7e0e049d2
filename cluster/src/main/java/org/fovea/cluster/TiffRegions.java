package org.fovea.cluster;

import ij.io.FileInfo;
import ij.io.TiffDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.tiling.PlaneSource;
import org.fovea.ops.tiling.SizedPlaneSource;
import org.fovea.io.ImageFiles;
import org.fovea.io.ImagePlusPlanes;

/**
 * A single-plane TIFF read region by region straight from the file, so that a task reads only
 * its tile: uncompressed 8-bit, 16-bit unsigned or 32-bit float grayscale with its pixels in one
 * contiguous run (as ImageJ and Fovea write them). Other TIFFs (compressed, tiled, stacks) are
 * read whole through ImageJ.
 *
 * @since 0.1.0
 */
public final class TiffRegions {

  private TiffRegions() {}

  /**
   * @param p the TIFF file
   * @return its pixel values as a source (raw values, as {@link ImagePlusPlanes} gives them)
   * @throws FoveaException when the file is missing or unreadable
   */
  public static PlaneSource open(Path p) {
    FileInfo fi = contiguous(p);
    if (fi == null) {
      return ImagePlusPlanes.source(single(p), 1, 1);
    }
    int bytes = fi.getBytesPerPixel();
    int type = fi.fileType;
    long offset = fi.getOffset();
    int w = fi.width;
    ByteOrder order = fi.intelByteOrder ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    return new SizedPlaneSource(fi.height, fi.width, 1) {
      @Override
      public void read(long y0, long x0, int h, int rw, float[] dst) {
        ByteBuffer b = ByteBuffer.allocate(rw * bytes).order(order);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
          for (int y = 0; y < h; y++) {
            b.clear();
            long at = offset + ((y0 + y) * w + x0) * bytes;
            while (b.hasRemaining()) {
              if (ch.read(b, at + b.position()) < 0) {
                throw new FoveaException("TIFF " + p + " ends before its pixels do: the file is"
                    + " truncated; write it again");
              }
            }
            b.flip();
            for (int x = 0; x < rw; x++) {
              dst[y * rw + x] = switch (type) {
                case FileInfo.GRAY8 -> b.get() & 0xff;
                case FileInfo.GRAY16_UNSIGNED -> b.getShort() & 0xffff;
                default -> b.getFloat();
              };
            }
          }
        } catch (IOException e) {
          throw new FoveaException("cannot read " + p + " (" + e.getMessage() + "): check that"
              + " the file is readable from every machine of the cluster", e);
        }
      }
    };
  }

  /** The file's description when it can be read region by region, else null. */
  static FileInfo contiguous(Path p) {
    if (!p.getFileName().toString().matches("(?i).*\\.tiff?")) {
      return null;
    }
    FileInfo[] info;
    try {
      Path dir = p.toAbsolutePath().getParent();
      info = new TiffDecoder(dir.toString() + "/", p.getFileName().toString()).getTiffInfo();
    } catch (IOException e) {
      return null;
    }
    if (info == null || info.length != 1 || info[0].nImages > 1) {
      return null;
    }
    FileInfo fi = info[0];
    boolean type = fi.fileType == FileInfo.GRAY8 || fi.fileType == FileInfo.GRAY16_UNSIGNED
        || fi.fileType == FileInfo.GRAY32_FLOAT;
    if (!type || fi.compression > FileInfo.COMPRESSION_NONE || fi.samplesPerPixel > 1
        || fi.lutSize > 0) {
      return null;
    }
    if (fi.stripOffsets != null && fi.stripLengths != null) {
      long next = fi.stripOffsets[0];
      for (int i = 0; i < fi.stripOffsets.length; i++) {
        if (fi.stripOffsets[i] != next) {
          return null;
        }
        next += fi.stripLengths[i];
      }
    }
    return fi;
  }

  private static ij.ImagePlus single(Path p) {
    ij.ImagePlus imp = ImageFiles.open(p);
    if (imp.getStackSize() != 1) {
      throw new FoveaException("image " + p + " has " + imp.getStackSize() + " planes: block"
          + " jobs run on one 2D plane; split the stack first");
    }
    return imp;
  }
}
