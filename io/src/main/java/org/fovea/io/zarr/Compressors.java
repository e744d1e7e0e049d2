package org.fovea.io.zarr;

import com.github.luben.zstd.Zstd;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.scalableminds.bloscjava.Blosc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * The chunk compressors Fovea reads and writes: none, {@code zlib} and {@code gzip} (the JDK's
 * Deflater), {@code zstd} (zstd-jni) and {@code blosc} (c-blosc through blosc-java, any inner codec
 * and shuffle), with numcodecs' JSON configuration.
 *
 * @since 0.1.0
 */
public final class Compressors {

  private Compressors() {}

  /** @return no compression ({@code "compressor": null}) */
  public static Compressor none() {
    return new Compressor() {
      @Override
      public byte[] encode(byte[] raw, int typesize) {
        return raw;
      }

      @Override
      public byte[] decode(byte[] stored, int rawSize) throws IOException {
        return exact(stored, rawSize);
      }

      @Override
      public JsonObject config() {
        return null;
      }
    };
  }

  /**
   * @param level 0..9
   * @return numcodecs {@code zlib} (a zlib stream with header)
   */
  public static Compressor zlib(int level) {
    return new Compressor() {
      @Override
      public byte[] encode(byte[] raw, int typesize) {
        Deflater d = new Deflater(level);
        try {
          d.setInput(raw);
          d.finish();
          ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
          byte[] buf = new byte[1 << 16];
          while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
          }
          return out.toByteArray();
        } finally {
          d.end();
        }
      }

      @Override
      public byte[] decode(byte[] stored, int rawSize) throws IOException {
        Inflater inf = new Inflater();
        try {
          inf.setInput(stored);
          byte[] out = new byte[rawSize];
          int n = 0;
          while (n < rawSize && !inf.finished()) {
            int k = inf.inflate(out, n, rawSize - n);
            if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
              break;
            }
            n += k;
          }
          if (n != rawSize || !inf.finished()) {
            throw new IOException("zlib data decode to " + n + " bytes, not " + rawSize);
          }
          return out;
        } catch (DataFormatException e) {
          throw new IOException("not zlib data (" + e.getMessage() + ")", e);
        } finally {
          inf.end();
        }
      }

      @Override
      public JsonObject config() {
        return obj("zlib", level);
      }
    };
  }

  /**
   * @param level 0..9
   * @return numcodecs {@code gzip}
   */
  public static Compressor gzip(int level) {
    return new Compressor() {
      @Override
      public byte[] encode(byte[] raw, int typesize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
        try (GZIPOutputStream g = new GZIPOutputStream(out) {
          {
            def.setLevel(level);
          }
        }) {
          g.write(raw);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
      }

      @Override
      public byte[] decode(byte[] stored, int rawSize) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
          return exact(in.readAllBytes(), rawSize);
        }
      }

      @Override
      public JsonObject config() {
        return obj("gzip", level);
      }
    };
  }

  /**
   * @param level 1..22 (negative: faster)
   * @return numcodecs {@code zstd}
   */
  public static Compressor zstd(int level) {
    return new Compressor() {
      @Override
      public byte[] encode(byte[] raw, int typesize) {
        return Zstd.compress(raw, level);
      }

      @Override
      public byte[] decode(byte[] stored, int rawSize) throws IOException {
        byte[] out;
        try {
          out = Zstd.decompress(stored, rawSize);
        } catch (RuntimeException e) {
          throw new IOException("not zstd data (" + e.getMessage() + ")", e);
        }
        return exact(out, rawSize);
      }

      @Override
      public JsonObject config() {
        return obj("zstd", level);
      }
    };
  }

  /**
   * @param cname inner codec: {@code lz4}, {@code lz4hc}, {@code blosclz}, {@code zstd} or
   *     {@code zlib}
   * @param clevel 0..9
   * @param shuffle 0 none, 1 byte shuffle, 2 bit shuffle
   * @return numcodecs {@code blosc}
   */
  public static Compressor blosc(String cname, int clevel, int shuffle) {
    Blosc.Compressor c = Blosc.Compressor.fromString(cname);
    Blosc.Shuffle s = Blosc.Shuffle.fromInt(shuffle);
    return new Compressor() {
      @Override
      public byte[] encode(byte[] raw, int typesize) {
        return Blosc.compress(raw, typesize, c, clevel, s);
      }

      @Override
      public byte[] decode(byte[] stored, int rawSize) throws IOException {
        // the 16-byte header says how long the data should be; check it before c-blosc trusts it
        if (stored.length < 16) {
          throw new IOException("too short for blosc data (" + stored.length + " bytes)");
        }
        long nbytes = le32(stored, 4);
        long cbytes = le32(stored, 12);
        if (nbytes != rawSize || cbytes != stored.length) {
          throw new IOException("blosc header says " + nbytes + " bytes from " + cbytes
              + ", expected " + rawSize + " from " + stored.length);
        }
        byte[] out;
        try {
          out = Blosc.decompress(stored);
        } catch (RuntimeException e) {
          throw new IOException("not blosc data (" + e.getMessage() + ")", e);
        }
        return exact(out, rawSize);
      }

      @Override
      public JsonObject config() {
        JsonObject o = new JsonObject();
        o.addProperty("id", "blosc");
        o.addProperty("cname", cname);
        o.addProperty("clevel", clevel);
        o.addProperty("shuffle", shuffle);
        o.addProperty("blocksize", 0);
        return o;
      }
    };
  }

  /**
   * Parses a {@code .zarray} compressor entry.
   *
   * @param e the JSON value ({@code null} or an object with an {@code id})
   * @return the compressor
   * @throws IllegalArgumentException with a short reason when it is unknown or malformed
   */
  public static Compressor parse(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return none();
    }
    if (!e.isJsonObject() || !e.getAsJsonObject().has("id")) {
      throw new IllegalArgumentException("compressor " + e + " has no id");
    }
    JsonObject o = e.getAsJsonObject();
    String id = o.get("id").getAsString().toLowerCase(Locale.ROOT);
    return switch (id) {
      case "zlib" -> zlib(intOr(o, "level", 1));
      case "gzip" -> gzip(intOr(o, "level", 1));
      case "zstd" -> zstd(intOr(o, "level", 1));
      case "blosc" -> {
        String cname = o.has("cname") ? o.get("cname").getAsString() : "lz4";
        if (!java.util.Set.of("lz4", "lz4hc", "blosclz", "zstd", "zlib").contains(cname)) {
          throw new IllegalArgumentException("blosc codec '" + cname + "' is not supported");
        }
        yield blosc(cname, intOr(o, "clevel", 5), intOr(o, "shuffle", 1));
      }
      default -> throw new IllegalArgumentException("compressor '" + id + "' is not supported"
          + " (Fovea reads zlib, gzip, zstd and blosc)");
    };
  }

  /**
   * @param name {@code none}, {@code zlib}, {@code gzip}, {@code zstd} or {@code blosc}
   * @return that compressor with a fast default level (blosc: lz4, byte shuffle)
   */
  public static Compressor named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "none", "raw" -> none();
      case "zlib" -> zlib(1);
      case "gzip" -> gzip(1);
      case "zstd" -> zstd(1);
      case "blosc" -> blosc("lz4", 5, 1);
      default -> throw new org.fovea.ops.net.FoveaException("unknown Zarr compressor '" + name
          + "': use none, zlib, gzip, zstd or blosc");
    };
  }

  private static int intOr(JsonObject o, String key, int dflt) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : dflt;
  }

  private static JsonObject obj(String id, int level) {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("level", level);
    return o;
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }

  private static byte[] exact(byte[] b, int rawSize) throws IOException {
    if (b.length != rawSize) {
      throw new IOException("it holds " + b.length + " bytes, not the " + rawSize + " of a chunk");
    }
    return b;
  }
}
