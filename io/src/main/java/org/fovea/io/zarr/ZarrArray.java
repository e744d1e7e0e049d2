package org.fovea.io.zarr;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.fovea.ops.net.FoveaException;

/**
 * A Zarr v2 array in a folder: its {@code .zarray} metadata and its chunks, read and written one
 * chunk or one region at a time, values as floats.
 *
 * <p>Chunks are C-ordered, compressed by one of {@link Compressors}, and named by their grid
 * indices joined with the array's dimension separator ({@code "."} or {@code "/"}). A missing
 * chunk reads as the fill value; when the array has none ({@code "fill_value": null}) a missing
 * chunk is an error, as is a chunk that does not decode to a whole chunk. Every chunk and the
 * metadata are written under a temporary name and renamed, so a reader never sees half a chunk.
 *
 * <p>Reads may run from several threads (decoded chunks are kept in a small shared cache);
 * region writes that touch the same chunk must not run at the same time, whole-chunk writes may.
 *
 * <pre>{@code
 * ZarrArray a = ZarrArray.create(dir, new long[] {3, 600, 700}, new int[] {1, 256, 256},
 *     DType.FLOAT32, Compressors.zstd(1), 0.0);
 * a.write(new long[] {0, 0, 0}, new int[] {3, 600, 700}, values);
 * float[] crop = new float[100 * 100];
 * ZarrArray.open(dir).read(new long[] {1, 50, 60}, new int[] {1, 100, 100}, crop);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ZarrArray {

  private final Path dir;
  private final long[] shape;
  private final int[] chunks;
  private final DType dtype;
  private final Compressor compressor;
  private final Double fill;
  private final String separator;
  private final ChunkCache cache;

  private ZarrArray(Path dir, long[] shape, int[] chunks, DType dtype, Compressor compressor,
      Double fill, String separator) {
    this.dir = dir;
    this.shape = shape;
    this.chunks = chunks;
    this.dtype = dtype;
    this.compressor = compressor;
    this.fill = fill;
    this.separator = separator;
    this.cache = new ChunkCache(ChunkCache.defaultBudget());
  }

  /**
   * Opens an existing array.
   *
   * @param dir the array's folder (with {@code .zarray})
   * @return the array
   * @throws FoveaException when the folder is not a Zarr v2 array Fovea can read
   */
  public static ZarrArray open(Path dir) {
    Path meta = dir.resolve(".zarray");
    String text;
    try {
      text = Files.readString(meta);
    } catch (NoSuchFileException e) {
      throw new FoveaException(dir + " is not a Zarr array (it has no .zarray): give the path of"
          + " a Zarr v2 array or OME-Zarr image");
    } catch (IOException e) {
      throw new FoveaException("cannot read " + meta + " (" + e.getMessage() + "): check the"
          + " path and its permissions", e);
    }
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      int format = o.has("zarr_format") ? o.get("zarr_format").getAsInt() : -1;
      if (format != 2) {
        throw new IllegalArgumentException("zarr_format is " + o.get("zarr_format")
            + ", Fovea reads version 2");
      }
      long[] shape = longs(o.getAsJsonArray("shape"), "shape");
      long[] c = longs(o.getAsJsonArray("chunks"), "chunks");
      if (shape.length == 0 || c.length != shape.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and chunks "
            + Arrays.toString(c) + " do not have the same, non-zero number of axes");
      }
      int[] ci = new int[c.length];
      long chunkElems = 1;
      for (int a = 0; a < c.length; a++) {
        if (c[a] < 1 || shape[a] < 0) {
          throw new IllegalArgumentException("chunk sizes must be positive and shape not negative");
        }
        ci[a] = (int) Math.min(Integer.MAX_VALUE, c[a]);
        chunkElems *= c[a];
      }
      String dts = o.has("dtype") && o.get("dtype").isJsonPrimitive()
          ? o.get("dtype").getAsString() : String.valueOf(o.get("dtype"));
      DType dt = DType.parse(dts);
      if (dt == null) {
        throw new IllegalArgumentException("dtype " + dts + " is not one Fovea reads (u1, u2, u4,"
            + " i1, i2, i4, f4, f8)");
      }
      if (chunkElems * dt.size() > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a chunk of " + Arrays.toString(c) + " is over 2 GiB");
      }
      String order = o.has("order") ? o.get("order").getAsString() : "C";
      if (!order.equals("C")) {
        throw new IllegalArgumentException("order is " + order + ", Fovea reads C order");
      }
      if (o.has("filters") && !o.get("filters").isJsonNull()
          && o.getAsJsonArray("filters").size() > 0) {
        throw new IllegalArgumentException("filters " + o.get("filters") + " are not supported");
      }
      String sep = o.has("dimension_separator") && !o.get("dimension_separator").isJsonNull()
          ? o.get("dimension_separator").getAsString() : ".";
      if (!sep.equals(".") && !sep.equals("/")) {
        throw new IllegalArgumentException("dimension_separator '" + sep + "' is not . or /");
      }
      Compressor comp = Compressors.parse(o.get("compressor"));
      return new ZarrArray(dir, shape, ci, dt, comp, fillValue(o.get("fill_value")), sep);
    } catch (IllegalArgumentException | IllegalStateException | JsonParseException
        | NullPointerException | UnsupportedOperationException e) {
      throw new FoveaException(meta + " is not valid Zarr v2 metadata Fovea can read ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + "): rewrite the array, or check that this is the path you meant", e);
    }
  }

  /**
   * Creates a new array (its folder and {@code .zarray}); an existing one there is replaced.
   *
   * @param dir the array's folder
   * @param shape size per axis
   * @param chunks chunk size per axis
   * @param dtype element type
   * @param compressor chunk compressor
   * @param fill value of chunks never written, or null for none (then reading one is an error)
   * @return the array
   */
  public static ZarrArray create(Path dir, long[] shape, int[] chunks, DType dtype,
      Compressor compressor, Double fill) {
    if (shape.length != chunks.length || shape.length == 0) {
      throw new IllegalArgumentException("shape and chunks must have the same number of axes");
    }
    int[] c = chunks.clone();
    for (int a = 0; a < c.length; a++) {
      if (c[a] < 1) {
        throw new IllegalArgumentException("chunk sizes must be positive: " + Arrays.toString(c));
      }
    }
    JsonObject o = new JsonObject();
    o.addProperty("zarr_format", 2);
    o.add("shape", array(shape));
    long[] cl = new long[c.length];
    for (int a = 0; a < c.length; a++) {
      cl[a] = c[a];
    }
    o.add("chunks", array(cl));
    o.addProperty("dtype", dtype.code());
    JsonObject comp = compressor.config();
    o.add("compressor", comp == null ? JsonNull.INSTANCE : comp);
    if (fill == null) {
      o.add("fill_value", JsonNull.INSTANCE);
    } else if (fill.isNaN()) {
      o.addProperty("fill_value", "NaN");
    } else if (dtype.kind() == 'f') {
      o.addProperty("fill_value", fill);
    } else {
      o.addProperty("fill_value", fill.longValue());
    }
    o.addProperty("order", "C");
    o.add("filters", JsonNull.INSTANCE);
    o.addProperty("dimension_separator", ".");
    try {
      Files.createDirectories(dir);
      Store.writeAtomically(dir.resolve(".zarray"), Store.GSON.toJson(o).getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FoveaException("could not create the Zarr array " + dir + " (" + e.getMessage()
          + "): check that the folder is writable and the disk has space", e);
    }
    return new ZarrArray(dir, shape.clone(), c, dtype, compressor, fill, ".");
  }

  /** @return the array's folder */
  public Path path() {
    return dir;
  }

  /** @return size per axis */
  public long[] shape() {
    return shape.clone();
  }

  /** @return chunk size per axis */
  public int[] chunks() {
    return chunks.clone();
  }

  /** @return the element type */
  public DType dtype() {
    return dtype;
  }

  /** @return the chunk compressor */
  public Compressor compressor() {
    return compressor;
  }

  /** @return the fill value, or null when the array has none */
  public Double fillValue() {
    return fill;
  }

  /** @return chunks per axis */
  public long[] chunkGrid() {
    long[] g = new long[shape.length];
    for (int a = 0; a < g.length; a++) {
      g[a] = (shape[a] + chunks[a] - 1) / chunks[a];
    }
    return g;
  }

  /** @return values in one chunk */
  public int chunkElements() {
    long n = 1;
    for (int c : chunks) {
      n *= c;
    }
    return (int) n;
  }

  /**
   * @param idx chunk grid indices
   * @return the chunk's file
   */
  public Path chunkPath(long... idx) {
    StringBuilder s = new StringBuilder();
    for (int a = 0; a < idx.length; a++) {
      if (a > 0) {
        s.append(separator);
      }
      s.append(idx[a]);
    }
    return dir.resolve(s.toString());
  }

  /**
   * @param idx chunk grid indices
   * @return whether the chunk has been written
   */
  public boolean hasChunk(long... idx) {
    return Files.isRegularFile(chunkPath(idx));
  }

  /**
   * Reads one whole chunk (edge chunks included: values beyond the array are what was stored).
   * The returned array may be shared with other readers: do not modify it.
   *
   * @param idx chunk grid indices
   * @return {@link #chunkElements()} values, C order
   * @throws FoveaException when the chunk is missing and there is no fill value, or corrupt
   */
  public float[] readChunk(long... idx) {
    checkIndex(idx);
    String key = Arrays.toString(idx);
    float[] c = cache.get(key);
    if (c != null) {
      return c;
    }
    Path p = chunkPath(idx);
    int n = chunkElements();
    float[] out = new float[n];
    byte[] stored;
    try {
      stored = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      if (fill == null) {
        throw new FoveaException("chunk " + p.getFileName() + " of the Zarr array " + dir + " is"
            + " missing and the array has no fill_value: the array is incomplete; rewrite it");
      }
      Arrays.fill(out, fill.floatValue());
      cache.put(key, out);
      return out;
    } catch (IOException e) {
      throw new FoveaException("cannot read chunk " + p + " (" + e.getMessage() + "): check its"
          + " permissions", e);
    }
    try {
      dtype.decode(compressor.decode(stored, n * dtype.size()), n, out);
    } catch (IOException e) {
      throw new FoveaException("chunk " + p.getFileName() + " of the Zarr array " + dir + " is"
          + " corrupt (" + e.getMessage() + "): rewrite the array", e);
    }
    cache.put(key, out);
    return out;
  }

  /**
   * Writes one whole chunk, atomically.
   *
   * @param idx chunk grid indices
   * @param values {@link #chunkElements()} values, C order
   */
  public void writeChunk(long[] idx, float[] values) {
    checkIndex(idx);
    int n = chunkElements();
    if (values.length < n) {
      throw new IllegalArgumentException("a chunk has " + n + " values, got " + values.length);
    }
    Path p = chunkPath(idx);
    cache.remove(Arrays.toString(idx));
    try {
      if (!separator.equals(".")) {
        Files.createDirectories(p.getParent());
      }
      Store.writeAtomically(p, compressor.encode(dtype.encode(values, n), dtype.size()));
    } catch (IOException e) {
      throw new FoveaException("could not write chunk " + p + " (" + e.getMessage() + "): check"
          + " the free disk space", e);
    }
  }

  /**
   * Reads a region, C order.
   *
   * @param from first index per axis
   * @param size region size per axis (inside the array)
   * @param dst receives the product of {@code size} values
   */
  public void read(long[] from, int[] size, float[] dst) {
    checkRegion(from, size);
    forEachChunk(from, size, (idx, lo, hi) -> {
      float[] c = readChunk(idx);
      copyBox(c, chunkStart(idx), chunks, dst, from, size, lo, hi, false);
    });
  }

  /**
   * Writes a region, C order: chunks it covers whole (within the array) are replaced, others are
   * read, updated and rewritten.
   *
   * @param from first index per axis
   * @param size region size per axis (inside the array)
   * @param src the product of {@code size} values
   */
  public void write(long[] from, int[] size, float[] src) {
    checkRegion(from, size);
    forEachChunk(from, size, (idx, lo, hi) -> {
      long[] start = chunkStart(idx);
      boolean whole = true;
      for (int a = 0; a < shape.length; a++) {
        whole &= lo[a] == start[a] && hi[a] == Math.min(shape[a], start[a] + chunks[a]);
      }
      float[] c;
      if (whole) {
        c = new float[chunkElements()];
        if (fill != null && fill != 0) {
          Arrays.fill(c, fill.floatValue());
        }
      } else if (hasChunk(idx) || fill != null) {
        c = readChunk(idx).clone();
      } else {
        c = new float[chunkElements()];
      }
      copyBox(c, start, chunks, src, from, size, lo, hi, true);
      writeChunk(idx, c);
    });
  }

  @FunctionalInterface
  private interface ChunkVisitor {
    void visit(long[] idx, long[] lo, long[] hi);
  }

  /** Visits each chunk the region touches with the intersection box [lo, hi). */
  private void forEachChunk(long[] from, int[] size, ChunkVisitor v) {
    int n = shape.length;
    long[] first = new long[n];
    long[] last = new long[n];
    for (int a = 0; a < n; a++) {
      if (size[a] == 0) {
        return;
      }
      first[a] = from[a] / chunks[a];
      last[a] = (from[a] + size[a] - 1) / chunks[a];
    }
    long[] idx = first.clone();
    while (true) {
      long[] lo = new long[n];
      long[] hi = new long[n];
      for (int a = 0; a < n; a++) {
        lo[a] = Math.max(from[a], idx[a] * chunks[a]);
        hi[a] = Math.min(from[a] + size[a], (idx[a] + 1) * chunks[a]);
      }
      v.visit(idx.clone(), lo, hi);
      int a = n - 1;
      while (a >= 0 && ++idx[a] > last[a]) {
        idx[a] = first[a];
        a--;
      }
      if (a < 0) {
        return;
      }
    }
  }

  /**
   * Copies the box [lo, hi) between a chunk (starting at {@code cStart}, dims {@code cDims}) and a
   * region buffer (starting at {@code rFrom}, dims {@code rSize}), row by row along the last axis.
   */
  private static void copyBox(float[] chunk, long[] cStart, int[] cDims, float[] region,
      long[] rFrom, int[] rSize, long[] lo, long[] hi, boolean intoChunk) {
    int n = cDims.length;
    long[] i = lo.clone();
    int len = (int) (hi[n - 1] - lo[n - 1]);
    while (true) {
      long co = 0;
      long ro = 0;
      for (int a = 0; a < n; a++) {
        co = co * cDims[a] + (i[a] - cStart[a]);
        ro = ro * rSize[a] + (i[a] - rFrom[a]);
      }
      if (intoChunk) {
        System.arraycopy(region, (int) ro, chunk, (int) co, len);
      } else {
        System.arraycopy(chunk, (int) co, region, (int) ro, len);
      }
      int a = n - 2;
      while (a >= 0 && ++i[a] >= hi[a]) {
        i[a] = lo[a];
        a--;
      }
      if (a < 0) {
        return;
      }
    }
  }

  private long[] chunkStart(long[] idx) {
    long[] s = new long[idx.length];
    for (int a = 0; a < idx.length; a++) {
      s[a] = idx[a] * chunks[a];
    }
    return s;
  }

  private void checkIndex(long[] idx) {
    long[] g = chunkGrid();
    if (idx.length != g.length) {
      throw new IllegalArgumentException("chunk index " + Arrays.toString(idx) + " for "
          + g.length + " axes");
    }
    for (int a = 0; a < g.length; a++) {
      if (idx[a] < 0 || idx[a] >= g[a]) {
        throw new IllegalArgumentException("chunk index " + Arrays.toString(idx)
            + " outside the grid " + Arrays.toString(g));
      }
    }
  }

  private void checkRegion(long[] from, int[] size) {
    if (from.length != shape.length || size.length != shape.length) {
      throw new IllegalArgumentException("region of " + from.length + " axes in an array of "
          + shape.length);
    }
    for (int a = 0; a < shape.length; a++) {
      if (from[a] < 0 || size[a] < 0 || from[a] + size[a] > shape[a]) {
        throw new IllegalArgumentException("region " + Arrays.toString(from) + " + "
            + Arrays.toString(size) + " outside the array " + Arrays.toString(shape));
      }
    }
  }

  private static Double fillValue(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    String s = e.getAsString();
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException x) {
          throw new IllegalArgumentException("fill_value " + e + " is not a number");
        }
      }
    };
  }

  private static long[] longs(JsonArray a, String what) {
    if (a == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    long[] v = new long[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsLong();
    }
    return v;
  }

  private static JsonArray array(long[] v) {
    JsonArray a = new JsonArray();
    for (long x : v) {
      a.add(x);
    }
    return a;
  }
}
