package org.fovea.io.zarr;

import com.google.gson.JsonObject;
import java.io.IOException;

/**
 * A Zarr v2 chunk compressor (a numcodecs codec): what {@code .zarray}'s {@code "compressor"}
 * names.
 * {@link Compressors} makes and parses them.
 *
 * @since 0.1.0
 */
public interface Compressor {

  /**
   * @param raw the chunk's bytes
   * @param typesize bytes per value (blosc shuffles by it)
   * @return the stored bytes
   */
  byte[] encode(byte[] raw, int typesize);

  /**
   * @param stored the stored bytes
   * @param rawSize the expected decoded size
   * @return exactly {@code rawSize} bytes
   * @throws IOException when the bytes do not decode to {@code rawSize} bytes
   */
  byte[] decode(byte[] stored, int rawSize) throws IOException;

  /** @return the numcodecs configuration, or null for no compression */
  JsonObject config();
}
