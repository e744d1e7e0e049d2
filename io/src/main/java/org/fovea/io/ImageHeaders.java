package org.fovea.io;

import ij.io.FileInfo;
import ij.io.TiffDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.fovea.ops.net.FoveaException;

/**
 * Checks what an image file's header claims before any pixel buffer is allocated: a few bytes of
 * header can claim 200000 x 200000 pixels, and ImageJ would try to allocate them (minutes, an
 * {@link OutOfMemoryError}, or a {@link NegativeArraySizeException} past 2^31 pixels).
 *
 * <ul>
 *   <li>a plane of more than 2^31 - 1 pixels is refused (ImageJ keeps a plane in one array);
 *   <li>an uncompressed TIFF must hold all the pixel bytes its header describes;
 *   <li>the pixels must fit in the Java heap.
 * </ul>
 *
 * @since 0.3.0
 */
final class ImageHeaders {

  private ImageHeaders() {}

  /**
   * @param p an existing file
   * @throws FoveaException with one sentence naming the file when its header claims more than
   *     the file holds or than memory can take
   */
  static void check(Path p) {
    long size;
    byte[] magic = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(p)) {
      size = Files.size(p);
      n = in.readNBytes(magic, 0, 4);
    } catch (IOException e) {
      throw new FoveaException("cannot read " + p + " (" + e.getMessage() + "): check that the"
          + " file exists and is readable", e);
    }
    if (n == 4 && isTiff(magic)) {
      checkTiff(p, size);
    } else if (n == 4) {
      checkOther(p);
    }
  }

  private static boolean isTiff(byte[] m) {
    return (m[0] == 'I' && m[1] == 'I' && m[2] == 42 && m[3] == 0)
        || (m[0] == 'M' && m[1] == 'M' && m[2] == 0 && m[3] == 42);
  }

  private static void checkTiff(Path p, long size) {
    checkDirectories(p, size); // before ImageJ's decoder, which believes every count it reads
    FileInfo[] info;
    try {
      Path abs = p.toAbsolutePath();
      info = new TiffDecoder(abs.getParent().toString() + java.io.File.separator,
          abs.getFileName().toString()).getTiffInfo();
    } catch (IOException | RuntimeException e) {
      throw new FoveaException("cannot read the TIFF header of " + p + " (" + e.getMessage()
          + "): the file is damaged; copy or export it again", e);
    }
    if (info == null || info.length == 0) {
      throw new FoveaException("cannot read " + p + ": its TIFF header describes no image; copy"
          + " or export it again");
    }
    FileInfo f = info[0];
    long w = f.width;
    long h = f.height;
    if (w <= 0 || h <= 0) {
      throw new FoveaException("cannot read " + p + ": its TIFF header gives a size of " + w + "x"
          + h + " pixels, so the file is damaged; copy or export it again");
    }
    checkPlane(p, w, h);
    long planes = info.length > 1 ? info.length : Math.max(1, f.nImages);
    long bpp = f.getBytesPerPixel() > 0 ? f.getBytesPerPixel() : 4;
    long plane = w * h * bpp;
    if (f.compression <= FileInfo.COMPRESSION_NONE) {
      long end = 0;
      if (info.length > 1) {
        for (FileInfo fi : info) {
          end = Math.max(end, fi.getOffset() + (long) fi.width * fi.height * bpp);
        }
      } else {
        end = f.getOffset() + plane * planes + f.getGap() * (planes - 1);
      }
      if (end > size) {
        throw new FoveaException("image " + p + " is cut off: the file has " + size + " bytes but"
            + " its TIFF header describes " + end + "; copy or export it again");
      }
    }
    checkMemory(p, w, h, planes, bpp);
  }

  /**
   * The fields whose values ImageJ's decoder reads (bits per sample, description, strip offsets
   * and byte counts, colour map, tile offsets and byte counts, ImageJ's metadata): a damaged count
   * there is read value by value; other fields it skips, and so does this check.
   */
  private static final java.util.Set<Integer> READ_BY_IMAGEJ = java.util.Set.of(258, 270, 273,
      279, 320, 324, 325, 50838, 50839);

  /** Bytes per value of each TIFF field type (0: unknown). */
  private static final int[] TYPE_SIZE = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8};

  /**
   * Walks the TIFF's image file directories: each must lie inside the file, and no field ImageJ
   * reads may claim more values than the file has bytes. ImageJ's decoder reads a claimed count value by
   * value, so a damaged count of a billion keeps it busy for minutes (found by the fuzz harness).
   */
  static void checkDirectories(Path p, long size) {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
      java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(8);
      ch.read(head, 0);
      java.nio.ByteOrder order = head.get(0) == 'I' ? java.nio.ByteOrder.LITTLE_ENDIAN
          : java.nio.ByteOrder.BIG_ENDIAN;
      long ifd = Integer.toUnsignedLong(head.order(order).getInt(4));
      java.util.Set<Long> seen = new java.util.HashSet<>();
      while (ifd != 0) {
        if (!seen.add(ifd) || seen.size() > 1_000_000) {
          throw damaged(p, "its image directories form a loop");
        }
        if (ifd + 2 > size) {
          throw damaged(p, "an image directory starts at byte " + ifd + ", past its end");
        }
        java.nio.ByteBuffer nb = java.nio.ByteBuffer.allocate(2).order(order);
        ch.read(nb, ifd);
        int n = Short.toUnsignedInt(nb.getShort(0));
        long end = ifd + 2 + 12L * n + 4;
        if (end > size) {
          throw damaged(p, "an image directory of " + n + " fields runs past its end");
        }
        java.nio.ByteBuffer d = java.nio.ByteBuffer.allocate(12 * n + 4).order(order);
        ch.read(d, ifd + 2);
        for (int k = 0; k < n; k++) {
          int type = Short.toUnsignedInt(d.getShort(12 * k + 2));
          long count = Integer.toUnsignedLong(d.getInt(12 * k + 4));
          int tag = Short.toUnsignedInt(d.getShort(12 * k));
          // a value takes at least a byte, whatever the (possibly damaged) type says
          long bytes = count * Math.max(1, type < TYPE_SIZE.length ? TYPE_SIZE[type] : 1);
          if (bytes > size && READ_BY_IMAGEJ.contains(tag)) {
            throw damaged(p, "field " + tag + " claims "
                + count + " values, more than the file's " + size + " bytes");
          }
        }
        ifd = Integer.toUnsignedLong(d.getInt(12 * n));
      }
    } catch (IOException e) {
      throw new FoveaException("cannot read " + p + " (" + e.getMessage() + "): check the file",
          e);
    }
  }

  private static FoveaException damaged(Path p, String what) {
    return new FoveaException("cannot read " + p + ": its TIFF header is damaged (" + what
        + "); copy or export it again");
  }

  /** PNG, JPEG, GIF, BMP: the reader's header, without decoding. */
  private static void checkOther(Path p) {
    try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return; // ImageJ's own formats (and non-images) are left to ImageJ's opener
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        long w = r.getWidth(0);
        long h = r.getHeight(0);
        checkPlane(p, w, h);
        checkMemory(p, w, h, 1, 4);
      } finally {
        r.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof FoveaException fe) {
        throw fe;
      }
      // an unreadable header: ImageJ's opener says so in its own sentence
    }
  }

  private static void checkPlane(Path p, long w, long h) {
    if (w * h > Integer.MAX_VALUE - 8) {
      throw new FoveaException(String.format(Locale.ROOT, "image %s claims %d x %d pixels in one"
          + " plane, more than ImageJ holds (2^31): convert it to OME-Zarr, which Fovea reads"
          + " tile by tile, or check that the file is not damaged", p, w, h));
    }
  }

  private static void checkMemory(Path p, long w, long h, long planes, long bpp) {
    long bytes = w * h * planes * bpp;
    Runtime rt = Runtime.getRuntime();
    long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (bytes > available) {
      throw new FoveaException(String.format(Locale.ROOT, "image %s claims %d x %d pixels x %d"
          + " plane(s), %.1f GiB in memory, but Java has %.1f GiB free: give Java more memory"
          + " (-Xmx, or FOVEA_JAVA_OPTS for ./fovea), convert it to OME-Zarr (read tile by tile),"
          + " or check that the file is not damaged", p, w, h, planes, bytes / 1073741824.0,
          available / 1073741824.0));
    }
  }
}
