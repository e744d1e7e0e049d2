package org.fovea.io;

import ij.measure.Calibration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.fovea.ops.net.FoveaException;

/**
 * Writes a 32-bit ImageJ hyperstack TIFF region by region, without holding its planes in memory:
 * the header, one IFD per plane and the ImageJ description are written first, then pixels go
 * straight to their place in the file. The file is written under a temporary name in the same
 * folder and renamed by {@link #commit()}; {@link #close()} without commit deletes it.
 *
 * <p>Planes are stored in ImageJ's order (channel fastest, then z, then time), uncompressed,
 * little-endian, one strip per plane. Files over 4 GiB rely on ImageJ's reading of the {@code
 * images=} description with contiguous planes, as ImageJ's own large TIFFs do.
 *
 * <p>The file reaches the disk before it is renamed. So that this last flush does not wait for
 * the whole file, every {@value #FLUSH_BYTES} bytes written start a flush in the background
 * while the next regions are computed.
 *
 * @since 0.1.0
 */
public final class TiffPlanesWriter implements AutoCloseable {

  private static final int ENTRIES = 14;
  private final Path dest;
  private final Path tmp;
  private final FileChannel ch;
  private final int width;
  private final int height;
  private final long dataStart;
  private boolean committed;

  /** Bytes written between background flushes. */
  static final long FLUSH_BYTES = 64L << 20;

  /** One daemon thread flushes every writer's file: flushes wait on the disk, not the cores. */
  private static final Executor FLUSHER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fovea-tiff-flush");
    t.setDaemon(true);
    return t;
  });

  private final AtomicLong unflushed = new AtomicLong();
  private CompletableFuture<Void> flushing = CompletableFuture.completedFuture(null);

  /**
   * @param dest the final file
   * @param width columns
   * @param height rows
   * @param channels C
   * @param slices Z
   * @param frames T
   * @param cal calibration to record (pixel size, unit, z spacing, frame interval)
   * @throws FoveaException when the folder is not writable
   */
  public TiffPlanesWriter(Path dest, int width, int height, int channels, int slices, int frames,
      Calibration cal) {
    this.dest = dest;
    this.width = width;
    this.height = height;
    Path dir = dest.toAbsolutePath().getParent();
    this.tmp = org.fovea.models.AtomicFiles.temporaryFor(dest);
    int planes = channels * slices * frames;
    byte[] desc = description(channels, slices, frames, cal).getBytes(StandardCharsets.US_ASCII);
    long ifdSize = 2 + ENTRIES * 12 + 4;
    long descAt = 8 + planes * ifdSize;
    long resAt = descAt + desc.length;
    this.dataStart = resAt + 16;
    try {
      Files.createDirectories(dir);
      this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
      ByteBuffer b = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
      b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
      long planeBytes = 4L * width * height;
      for (int p = 0; p < planes; p++) {
        long next = p + 1 < planes ? 8 + (p + 1) * ifdSize : 0;
        b.putShort((short) ENTRIES);
        entry(b, 254, 4, 1, 0); // NewSubfileType
        entry(b, 256, 4, 1, width);
        entry(b, 257, 4, 1, height);
        entry(b, 258, 3, 1, 32); // BitsPerSample
        entry(b, 259, 3, 1, 1); // no compression
        entry(b, 262, 3, 1, 1); // BlackIsZero
        entry(b, 270, 2, p == 0 ? desc.length : 1, p == 0 ? descAt : 0); // ImageDescription
        entry(b, 273, 4, 1, dataStart + p * planeBytes); // StripOffsets
        entry(b, 277, 3, 1, 1); // SamplesPerPixel
        entry(b, 278, 4, 1, height); // RowsPerStrip
        entry(b, 279, 4, 1, planeBytes); // StripByteCounts
        entry(b, 282, 5, 1, resAt); // XResolution
        entry(b, 283, 5, 1, resAt + 8); // YResolution
        entry(b, 339, 3, 1, 3); // SampleFormat: IEEE float
        b.putInt((int) next);
      }
      b.put(desc);
      rational(b, cal.pixelWidth);
      rational(b, cal.pixelHeight);
      b.flip();
      ch.write(b, 0);
      // reserve the whole file so that untouched regions read as zeros
      ch.write(ByteBuffer.allocate(1), dataStart + planes * planeBytes - 1);
    } catch (IOException e) {
      throw new FoveaException("could not write " + dest + " (" + e.getMessage() + "): check that"
          + " the folder exists and is writable and the disk has space", e);
    }
  }

  private static void entry(ByteBuffer b, int tag, int type, long count, long value) {
    b.putShort((short) tag).putShort((short) type).putInt((int) count);
    if (type == 3 && count == 1) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt((int) value);
    }
  }

  private static void rational(ByteBuffer b, double pixelSize) {
    double ppu = pixelSize > 0 ? 1 / pixelSize : 1;
    long den = 1_000_000;
    b.putInt((int) Math.round(ppu * den)).putInt((int) den);
  }

  private static String description(int c, int z, int t, Calibration cal) {
    StringBuilder s = new StringBuilder("ImageJ=1.54p\n");
    s.append("images=").append(c * z * t).append('\n');
    if (c > 1) {
      s.append("channels=").append(c).append('\n');
    }
    if (z > 1) {
      s.append("slices=").append(z).append('\n');
    }
    if (t > 1) {
      s.append("frames=").append(t).append('\n');
    }
    if (c * z * t > 1 && (c > 1 ? 1 : 0) + (z > 1 ? 1 : 0) + (t > 1 ? 1 : 0) > 0) {
      s.append("hyperstack=true\n");
    }
    String unit = cal.getUnit();
    if (unit != null && !unit.equals("pixel")) {
      s.append("unit=").append(unit.equals("µm") ? "micron" : unit).append('\n');
    }
    if (z > 1 && cal.pixelDepth != 1) {
      s.append(String.format(Locale.ROOT, "spacing=%s%n", cal.pixelDepth));
    }
    if (t > 1 && cal.frameInterval != 0) {
      s.append(String.format(Locale.ROOT, "finterval=%s%n", cal.frameInterval));
    }
    s.append("min=0.0\nmax=1.0\n");
    return s.append('\0').toString();
  }

  /**
   * Writes a region of one plane.
   *
   * @param plane the plane index, ImageJ order (0-based)
   * @param y0 first row
   * @param x0 first column
   * @param h rows
   * @param w columns
   * @param src values, row-major, starting at {@code offset}
   * @param offset where the region starts in {@code src}
   */
  public void write(int plane, long y0, long x0, int h, int w, float[] src, int offset) {
    ByteBuffer row = ByteBuffer.allocate(4 * w).order(ByteOrder.LITTLE_ENDIAN);
    long planeBytes = 4L * width * height;
    try {
      for (int y = 0; y < h; y++) {
        row.clear();
        row.asFloatBuffer().put(src, offset + y * w, w);
        row.limit(4 * w);
        long at = dataStart + plane * planeBytes + 4L * ((y0 + y) * width + x0);
        while (row.hasRemaining()) {
          at += ch.write(row, at);
        }
      }
    } catch (IOException e) {
      throw new FoveaException("could not write " + dest + " (" + e.getMessage() + "): check the"
          + " free disk space", e);
    }
    if (unflushed.addAndGet(4L * h * w) >= FLUSH_BYTES) {
      flushInBackground();
    }
  }

  /** Starts a flush of what is written so far, unless one is still running. */
  private synchronized void flushInBackground() {
    if (!flushing.isDone()) {
      return;
    }
    unflushed.set(0);
    flushing = CompletableFuture.runAsync(() -> {
      try {
        ch.force(false);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, FLUSHER);
  }

  /** Waits for a background flush; its failure is thrown as the cause. */
  private synchronized void awaitFlush() throws IOException {
    try {
      flushing.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.io.UncheckedIOException u) {
        throw u.getCause();
      }
      throw e;
    }
  }

  /** Flushes the file and renames it to its final name. */
  public void commit() {
    try {
      awaitFlush();
      ch.force(false);
      ch.close();
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      committed = true;
    } catch (IOException e) {
      throw new FoveaException("could not finish " + dest + " (" + e.getMessage() + ")", e);
    }
  }

  /** Deletes the temporary file unless {@link #commit()} ran. */
  @Override
  public void close() {
    if (!committed) {
      try {
        awaitFlush();
      } catch (IOException | RuntimeException e) {
        // the file is deleted anyway
      }
      try {
        ch.close();
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // nothing more to do: the temporary name is hidden and unique
      }
    }
  }
}
