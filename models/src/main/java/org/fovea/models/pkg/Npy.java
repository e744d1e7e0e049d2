package org.fovea.models.pkg;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * Reads and writes numpy {@code .npy} files, the format of bioimage.io test tensors.
 *
 * <p>Reads format versions 1.0, 2.0 and 3.0 in C order, with data types {@code float16},
 * {@code float32}, {@code float64}, {@code bool}, {@code (u)int8}, {@code (u)int16}, {@code
 * (u)int32} and {@code (u)int64}, little- or big-endian; values are converted to float. Writes
 * {@code float32} little-endian ({@code '<f4'}), format 1.0.
 *
 * @since 0.1.0
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR =
      Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
  private static final Pattern FORTRAN =
      Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
  private static final int CHUNK = 1 << 20;

  private Npy() {}

  /**
   * Reads a {@code .npy} file.
   *
   * @param p the file
   * @param axes the axes of the array, outermost first; their number must match the array's
   * @return the array as a float tensor
   * @throws FoveaException when the file is missing, not {@code .npy}, Fortran-ordered, of an
   *     unsupported data type, truncated, or has another number of dimensions than {@code axes}
   */
  public static Tensor read(Path p, Axes axes) {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      Header h = header(p, ch);
      if (h.shape.length != axes.size()) {
        throw new FoveaException(p + " holds an array of shape " + Arrays.toString(h.shape)
            + " (" + h.shape.length + " dimensions) but axes '" + axes + "' have " + axes.size()
            + "; give axes that match the array");
      }
      long n;
      try {
        n = Tensor.elements(h.shape);
      } catch (ArithmeticException | IllegalArgumentException e) {
        throw new FoveaException(p + " has an invalid shape " + Arrays.toString(h.shape)
            + "; the file is corrupt, save it again with numpy.save", e);
      }
      if (n > Integer.MAX_VALUE - 8) {
        throw new FoveaException(p + " holds " + n + " values, more than a Fovea tensor can hold "
            + "(2^31); save a smaller array");
      }
      long need = h.dataStart + n * h.itemSize;
      if (ch.size() < need) {
        throw new FoveaException(p + " is truncated: its shape " + Arrays.toString(h.shape)
            + " needs " + need + " bytes but the file has " + ch.size() + "; save it again");
      }
      float[] data = new float[(int) n];
      ch.position(h.dataStart);
      readData(ch, h, data);
      return new Tensor(axes, h.shape, data);
    } catch (NoSuchFileException e) {
      throw new FoveaException(p + " does not exist; give the path of an existing .npy file", e);
    } catch (IOException e) {
      throw new FoveaException("cannot read " + p + " (" + e.getMessage()
          + "); check that the file is readable", e);
    }
  }

  /**
   * Writes a tensor as a {@code float32} little-endian {@code .npy} file, format 1.0, C order.
   *
   * @param p the file, replaced if it exists
   * @param t the tensor
   * @throws FoveaException when the file cannot be written
   */
  public static void write(Path p, Tensor t) {
    long[] shape = t.shape();
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sh.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    sh.append(shape.length == 1 ? ",)" : ")");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh + ", }";
    int total = MAGIC.length + 4 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    byte[] hb = header.getBytes(StandardCharsets.ISO_8859_1);
    if (hb.length > 65535) {
      throw new FoveaException("cannot write " + p + ": the tensor has too many dimensions for "
          + "a .npy header; use fewer axes");
    }
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + hb.length)
          .order(ByteOrder.LITTLE_ENDIAN);
      head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb).flip();
      writeFully(ch, head);
      float[] d = t.data();
      ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < d.length; ) {
        buf.clear();
        while (i < d.length && buf.remaining() >= 4) {
          buf.putFloat(d[i++]);
        }
        buf.flip();
        writeFully(ch, buf);
      }
    } catch (IOException e) {
      throw new FoveaException("cannot write " + p + " (" + e.getMessage()
          + "); check that its folder exists and is writable", e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** What the header says. */
  private record Header(long[] shape, char kind, int itemSize, ByteOrder order, long dataStart) {}

  private static Header header(Path p, FileChannel ch) throws IOException {
    ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    readUpTo(ch, pre);
    pre.flip();
    byte[] magic = new byte[Math.min(6, pre.remaining())];
    pre.get(magic);
    if (!Arrays.equals(magic, MAGIC) || pre.remaining() < 4) {
      throw new FoveaException(p + " is not a .npy file (it does not start with \\x93NUMPY); "
          + "give a file written by numpy.save");
    }
    int major = pre.get() & 0xff;
    pre.get(); // minor
    long len;
    int start;
    if (major == 1) {
      len = pre.getShort() & 0xffff;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (pre.remaining() < 4) {
        throw new FoveaException(p + " is truncated in its header; save it again with numpy.save");
      }
      len = pre.getInt() & 0xffffffffL;
      start = 12;
    } else {
      throw new FoveaException(p + " uses .npy format version " + major + ", which Fovea does not "
          + "read (it reads 1, 2 and 3); save it again with numpy.save");
    }
    if (len > (1 << 24)) {
      throw new FoveaException(p + " has an implausibly long .npy header (" + len + " bytes); "
          + "the file is corrupt, save it again with numpy.save");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) len);
    ch.position(start);
    readUpTo(ch, hb);
    if (hb.hasRemaining()) {
      throw new FoveaException(p + " is truncated in its header; save it again with numpy.save");
    }
    String text = new String(hb.array(),
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher fo = FORTRAN.matcher(text);
    if (fo.find() && fo.group(1).equals("True")) {
      throw new FoveaException(p + " stores its array in Fortran order (fortran_order: True), "
          + "which Fovea does not read; save it in C order, for example with "
          + "numpy.save(path, numpy.ascontiguousarray(array))");
    }
    Matcher de = DESCR.matcher(text);
    Matcher sh = SHAPE.matcher(text);
    if (!de.find() || !sh.find() || !fo.reset().find()) {
      throw new FoveaException(p + " has a .npy header Fovea cannot read (" + text.trim()
          + "); save a plain numeric array with numpy.save");
    }
    String descr = de.group(1);
    if (descr.length() < 3) {
      throw unsupported(p, descr);
    }
    ByteOrder order = switch (descr.charAt(0)) {
      case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
      case '>' -> ByteOrder.BIG_ENDIAN;
      case '=' -> ByteOrder.nativeOrder();
      default -> throw unsupported(p, descr);
    };
    char kind = descr.charAt(1);
    int size;
    try {
      size = Integer.parseInt(descr.substring(2));
    } catch (NumberFormatException e) {
      throw unsupported(p, descr);
    }
    boolean ok = switch (kind) {
      case 'f' -> size == 2 || size == 4 || size == 8;
      case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
      case 'b' -> size == 1;
      default -> false;
    };
    if (!ok) {
      throw unsupported(p, descr);
    }
    List<Long> dims = new ArrayList<>();
    for (String s : sh.group(1).split(",")) {
      String v = s.trim();
      if (v.endsWith("L")) {
        v = v.substring(0, v.length() - 1);
      }
      if (!v.isEmpty()) {
        try {
          dims.add(Long.parseLong(v));
        } catch (NumberFormatException e) {
          throw new FoveaException(p + " has an invalid shape (" + sh.group(1)
              + ") in its header; save it again with numpy.save", e);
        }
      }
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    return new Header(shape, kind, size, order, start + len);
  }

  private static FoveaException unsupported(Path p, String descr) {
    return new FoveaException(p + " holds data of type '" + descr + "', which Fovea does not read;"
        + " save it as float32, float64 or a (u)int type of 8 to 64 bits");
  }

  private static void readUpTo(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        return;
      }
    }
  }

  private static void readData(FileChannel ch, Header h, float[] out) throws IOException {
    int item = h.itemSize;
    ByteBuffer buf = ByteBuffer.allocate(CHUNK - CHUNK % 8).order(h.order);
    int i = 0;
    while (i < out.length) {
      buf.clear();
      long left = (long) (out.length - i) * item;
      if (left < buf.capacity()) {
        buf.limit((int) left);
      }
      readUpTo(ch, buf);
      if (buf.hasRemaining()) {
        throw new EOFException("unexpected end of file");
      }
      buf.flip();
      while (buf.remaining() >= item) {
        out[i++] = value(buf, h.kind, item);
      }
    }
  }

  private static float value(ByteBuffer b, char kind, int size) {
    switch (kind) {
      case 'f':
        return size == 4 ? b.getFloat() : size == 8 ? (float) b.getDouble() : half(b.getShort());
      case 'b':
        return b.get() != 0 ? 1f : 0f;
      case 'i':
        return switch (size) {
          case 1 -> b.get();
          case 2 -> b.getShort();
          case 4 -> b.getInt();
          default -> b.getLong();
        };
      default:
        return switch (size) {
          case 1 -> b.get() & 0xff;
          case 2 -> b.getShort() & 0xffff;
          case 4 -> b.getInt() & 0xffffffffL;
          default -> unsigned(b.getLong());
        };
    }
  }

  private static float unsigned(long v) {
    return v >= 0 ? v : (float) ((v >>> 1) * 2.0 + (v & 1));
  }

  /**
   * @param h an IEEE 754 half-precision value
   * @return it as a float
   */
  static float half(short h) {
    int s = (h >>> 15) & 1;
    int e = (h >>> 10) & 0x1f;
    int m = h & 0x3ff;
    float sign = s == 1 ? -1f : 1f;
    if (e == 0) {
      return sign * m * 0x1p-24f;
    }
    if (e == 31) {
      return m == 0 ? sign * Float.POSITIVE_INFINITY : Float.NaN;
    }
    return sign * (1f + m / 1024f) * (float) Math.pow(2, e - 15);
  }
}
