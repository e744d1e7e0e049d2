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
 * to their place in the file, gathered by bands of rows (a row of tiles) so that each band is
 * one contiguous write (half the time of writing a tile row by row, BENCHMARKS.md). Each pixel is
 * written once. The file is written under a temporary name in the same folder and renamed by
 * {@link #commit()}; {@link #close()} without commit deletes it.
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
   * Writes a region of one plane. Regions of one band of rows are gathered until the band's every
   * column is written, then written as one contiguous run of the file (a tile row of a segmentation
   * is one band); a band too large to gather, or beyond {@link #GATHER_BYTES} of open bands, is
   * written row by row at once.
   *
   * @param plane the plane index, ImageJ order (0-based)
   * @param y0 first row
   * @param x0 first column
   * @param h rows
   * @param w columns
   * @param src values, row-major, starting at {@code offset}
   * @param offset where the region starts in {@code src}
   */
  public synchronized void write(int plane, long y0, long x0, int h, int w, float[] src,
      int offset) {
    long bytes = 4L * h * width;
    try {
      Band band = bands.get(new BandKey(plane, y0, h));
      ByteBuffer rows = band == null && open + bytes <= GATHER_BYTES ? buffer((int) bytes) : null;
      if (rows != null) {
        band = new Band(plane, y0, h, rows);
        bands.put(new BandKey(plane, y0, h), band);
        open += bytes;
      }
      if (band == null) {
        writeRows(plane, y0, x0, h, w, src, offset);
        return;
      }
      java.nio.FloatBuffer f = band.rows.asFloatBuffer();
      for (int y = 0; y < h; y++) {
        f.put((int) (y * width + x0), src, offset + y * w, w);
      }
      band.columns.set((int) x0, (int) x0 + w);
      if (band.columns.cardinality() == width) {
        bands.remove(new BandKey(plane, y0, h));
        open -= bytes;
        band.rows.clear().limit((int) bytes);
        put(band.rows, offset(plane, y0, 0));
        free.push(band.rows);
      }
    } catch (IOException e) {
      throw new FoveaException("could not write " + dest + " (" + e.getMessage() + "): check the"
          + " free disk space", e);
    }
  }

  /** Largest number of bytes of bands gathered at once. */
  static final long GATHER_BYTES = 64L << 20;

  /** One band of rows of one plane. */
  private record BandKey(int plane, long y0, int h) {}

  /** A band being gathered: its rows, whole width, and the columns written so far. */
  private record Band(int plane, long y0, int h, ByteBuffer rows, java.util.BitSet columns) {
    Band(int plane, long y0, int h, ByteBuffer rows) {
      this(plane, y0, h, rows, new java.util.BitSet());
    }
  }

  private final java.util.Map<BandKey, Band> bands = new java.util.HashMap<>();
  /** Bytes of the bands being gathered. */
  private long open;
  /** The buffers of bands written, for the next bands (no more than {@link #GATHER_BYTES}). */
  private final java.util.ArrayDeque<ByteBuffer> free = new java.util.ArrayDeque<>();

  /** A buffer for a band, or null when the JVM has no direct memory left for one. */
  private ByteBuffer buffer(int bytes) {
    ByteBuffer b;
    if (free.peek() != null && free.peek().capacity() >= bytes) {
      b = free.pop();
    } else {
      try {
        b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
      } catch (OutOfMemoryError e) {
        return null; // -XX:MaxDirectMemorySize reached: the band is written row by row
      }
    }
    b.clear().limit(bytes);
    return b;
  }

  private long offset(int plane, long y, long x) {
    return dataStart + plane * 4L * width * height + 4L * (y * width + x);
  }

  /** Writes all of a buffer at a position of the file, and counts it towards the next flush. */
  private void put(ByteBuffer b, long at) throws IOException {
    long n = b.remaining();
    while (b.hasRemaining()) {
      at += ch.write(b, at);
    }
    if (unflushed.addAndGet(n) >= FLUSH_BYTES) {
      flushInBackground();
    }
  }

  private void writeRows(int plane, long y0, long x0, int h, int w, float[] src, int offset)
      throws IOException {
    ByteBuffer row = ByteBuffer.allocateDirect(4 * w).order(ByteOrder.LITTLE_ENDIAN);
    for (int y = 0; y < h; y++) {
      row.clear();
      row.asFloatBuffer().put(src, offset + y * w, w);
      put(row, offset(plane, y0 + y, x0));
    }
  }

  /** Writes what was gathered of the bands not complete: the written columns of each row. */
  private void writeOpenBands() throws IOException {
    for (Band b : bands.values()) {
      java.util.BitSet c = b.columns;
      for (int a = c.nextSetBit(0); a >= 0; a = c.nextSetBit(c.nextClearBit(a))) {
        int e = c.nextClearBit(a);
        for (int y = 0; y < b.h; y++) {
          put(b.rows.slice((int) (4L * (y * width + a)), 4 * (e - a)),
              offset(b.plane, b.y0 + y, a));
        }
      }
    }
    bands.clear();
    open = 0;
  }

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
  public synchronized void commit() {
    try {
      writeOpenBands();
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
