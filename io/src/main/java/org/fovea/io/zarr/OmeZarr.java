package org.fovea.io.zarr;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fovea.ops.net.FoveaException;

/**
 * OME-Zarr images: a Zarr v2 group whose {@code .zattrs} hold OME-NGFF 0.4 {@code multiscales}
 * metadata (axes, and one array per resolution level), or a bare Zarr array.
 *
 * @since 0.1.0
 */
public final class OmeZarr {

  /** The OME-NGFF version Fovea writes. */
  public static final String VERSION = "0.4";

  /**
   * An image: its full-resolution array and the name of each axis.
   *
   * @param array the full-resolution array (the first dataset)
   * @param axes axis names ({@code t}, {@code c}, {@code z}, {@code y}, {@code x}), one per array
   *     axis
   * @param root the path the image was opened from
   */
  public record Image(ZarrArray array, List<String> axes, Path root) {
    /**
     * @param name an axis name
     * @return its index, or -1
     */
    public int axis(String name) {
      return axes.indexOf(name);
    }
  }

  private OmeZarr() {}

  /**
   * @param p a path
   * @return whether it looks like a Zarr store (a folder with Zarr metadata, or named
   *     {@code *.zarr})
   */
  public static boolean looksLikeZarr(Path p) {
    String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase();
    return n.endsWith(".zarr") || n.endsWith(".zarr/") || Files.isRegularFile(p.resolve(".zarray"))
        || Files.isRegularFile(p.resolve(".zgroup")) || Files.isRegularFile(p.resolve(".zattrs"));
  }

  /**
   * Opens an OME-Zarr image (its first, full-resolution level) or a bare Zarr array. A bare array
   * of 2 axes is {@code yx}, of 3 axes {@code cyx}.
   *
   * @param p the group or array folder
   * @return the image
   * @throws FoveaException when it is not a Zarr store or its metadata are wrong
   */
  public static Image open(Path p) {
    if (!Files.isDirectory(p)) {
      throw new FoveaException("input " + p + " does not exist or is not a folder: a Zarr store"
          + " is a folder; check the path");
    }
    if (Files.isRegularFile(p.resolve(".zarray"))) {
      ZarrArray a = ZarrArray.open(p);
      int n = a.shape().length;
      List<String> axes = switch (n) {
        case 2 -> List.of("y", "x");
        case 3 -> List.of("c", "y", "x");
        default -> throw new FoveaException("the Zarr array " + p + " has " + n + " axes and no"
            + " OME-NGFF axes to name them: give a 2D (y,x) or 3D (c,y,x) array, or an OME-Zarr"
            + " image");
      };
      return new Image(a, axes, p);
    }
    Path attrs = p.resolve(".zattrs");
    if (!Files.isRegularFile(attrs)) {
      throw new FoveaException(p + " is not a Zarr array or OME-Zarr image (it has neither .zarray"
          + " nor .zattrs): give the path of a .zarr store");
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(attrs)).getAsJsonObject();
      if (!o.has("multiscales")) {
        throw new IllegalArgumentException("there is no 'multiscales' entry");
      }
      JsonObject ms = o.getAsJsonArray("multiscales").get(0).getAsJsonObject();
      JsonArray datasets = ms.getAsJsonArray("datasets");
      if (datasets == null || datasets.isEmpty()) {
        throw new IllegalArgumentException("multiscales has no datasets");
      }
      String path = datasets.get(0).getAsJsonObject().get("path").getAsString();
      if (path.contains("..") || path.startsWith("/")) {
        throw new IllegalArgumentException("dataset path '" + path + "' leaves the store");
      }
      ZarrArray a = ZarrArray.open(p.resolve(path));
      List<String> axes = new ArrayList<>();
      JsonArray ax = ms.getAsJsonArray("axes");
      if (ax == null) {
        throw new IllegalArgumentException("multiscales has no axes");
      }
      for (JsonElement e : ax) {
        axes.add(e.isJsonObject() ? e.getAsJsonObject().get("name").getAsString()
            : e.getAsString());
      }
      if (axes.size() != a.shape().length) {
        throw new IllegalArgumentException("it names " + axes.size() + " axes " + axes
            + " but the array " + path + " has " + a.shape().length);
      }
      return new Image(a, List.copyOf(axes), p);
    } catch (IOException e) {
      throw new FoveaException("cannot read " + attrs + " (" + e.getMessage() + ")", e);
    } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
        | JsonParseException | NullPointerException | ClassCastException
        | UnsupportedOperationException e) {
      throw new FoveaException(attrs + " is not valid OME-NGFF metadata ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + "): check that this is the path you meant, or rewrite the image", e);
    }
  }

  /**
   * Creates an OME-Zarr image with one resolution level: {@code .zgroup}, {@code .zattrs} with
   * {@code multiscales} (version 0.4, scale 1 on every axis) and the array at {@code 0}.
   *
   * @param root the group folder
   * @param name the image name
   * @param axes axis names, from {@code t}, {@code c}, {@code z}, {@code y}, {@code x}
   * @param shape size per axis
   * @param chunks chunk size per axis
   * @param dtype element type
   * @param compressor chunk compressor
   * @param channelLabels names of the channels (written as {@code omero} channel labels), or null
   * @return the full-resolution array
   */
  public static ZarrArray create(Path root, String name, List<String> axes, long[] shape,
      int[] chunks, DType dtype, Compressor compressor, List<String> channelLabels) {
    JsonObject ms = new JsonObject();
    ms.addProperty("version", VERSION);
    ms.addProperty("name", name);
    JsonArray ax = new JsonArray();
    JsonArray scale = new JsonArray();
    for (String a : axes) {
      JsonObject e = new JsonObject();
      e.addProperty("name", a);
      e.addProperty("type", switch (a) {
        case "c" -> "channel";
        case "t" -> "time";
        default -> "space";
      });
      ax.add(e);
      scale.add(1.0);
    }
    ms.add("axes", ax);
    JsonObject ds = new JsonObject();
    ds.addProperty("path", "0");
    JsonObject tr = new JsonObject();
    tr.addProperty("type", "scale");
    tr.add("scale", scale);
    JsonArray trs = new JsonArray();
    trs.add(tr);
    ds.add("coordinateTransformations", trs);
    JsonArray dss = new JsonArray();
    dss.add(ds);
    ms.add("datasets", dss);
    JsonArray mss = new JsonArray();
    mss.add(ms);
    JsonObject attrs = new JsonObject();
    attrs.add("multiscales", mss);
    if (channelLabels != null) {
      JsonArray chs = new JsonArray();
      for (String l : channelLabels) {
        JsonObject c = new JsonObject();
        c.addProperty("label", l);
        chs.add(c);
      }
      JsonObject omero = new JsonObject();
      omero.add("channels", chs);
      attrs.add("omero", omero);
    }
    try {
      Files.createDirectories(root);
      Store.writeAtomically(root.resolve(".zgroup"), "{\n  \"zarr_format\": 2\n}"
          .getBytes(StandardCharsets.UTF_8));
      Store.writeAtomically(root.resolve(".zattrs"), Store.GSON.toJson(attrs)
          .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FoveaException("could not create the OME-Zarr image " + root + " ("
          + e.getMessage() + "): check that the folder is writable", e);
    }
    return ZarrArray.create(root.resolve("0"), shape, chunks, dtype, compressor, 0.0);
  }
}
