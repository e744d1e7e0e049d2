package org.fovea.io.zarr;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fovea.models.Model;
import org.fovea.models.Segmentation;
import org.fovea.ops.tiling.PlaneSink;
import org.fovea.ops.tiling.PlaneSource;

/**
 * Segmentation from Zarr to Zarr, out of core: the input is read chunk by chunk (the statistics
 * for normalization too), tiles see the receptive-field halo, and each tile core is encoded into
 * the output's chunks as soon as it is predicted. The output is an OME-Zarr image (float32, axes
 * {@code c, y, x}, one channel per class, chunks of one tile core) built in a hidden folder beside
 * its destination and moved there when complete.
 *
 * @since 0.1.0
 */
public final class ZarrSegmentation {

  private ZarrSegmentation() {}

  /**
   * @param model a loaded 2D model
   * @param in an OME-Zarr image or Zarr array ({@code y, x}, optional {@code c})
   * @param out the OME-Zarr image to write (replaced only when the new one is complete)
   * @param tile tile core size (0: as large as the memory budget allows)
   * @param compressor the output's chunk compressor
   * @param progress may be null
   * @return what ran
   */
  public static Segmentation.Result segment(Model model, Path in, Path out, long tile,
      Compressor compressor, Segmentation.Progress progress) {
    OmeZarr.Image img = OmeZarr.open(in);
    return segment(model, ZarrPlanes.source(img), out, tile, compressor, progress);
  }

  /**
   * @param model a loaded 2D model
   * @param src the image, read region by region
   * @param out the OME-Zarr image to write (replaced only when the new one is complete)
   * @param tile tile core size (0: as large as the memory budget allows)
   * @param compressor the output's chunk compressor
   * @param progress may be null
   * @return what ran
   */
  public static Segmentation.Result segment(Model model, PlaneSource src, Path out, long tile,
      Compressor compressor, Segmentation.Progress progress) {
    Path tmp = Store.temporaryFor(out);
    int classes = model.outputChannels(src.channels());
    List<String> labels = new ArrayList<>();
    var names = model.pkg().outputs().get(0).channelNames();
    for (int k = 0; k < classes; k++) {
      labels.add(names != null && k < names.size() ? names.get(k) : "class " + k);
    }
    String name = out.getFileName().toString().replaceFirst("\\.zarr$", "");
    long[] size = model.outputSize(src.height(), src.width());
    ChunkedSink sink = new ChunkedSink((h, w) -> OmeZarr.create(tmp, name,
        List.of("c", "y", "x"), new long[] {classes, size[0], size[1]},
        new int[] {1, h, w}, DType.FLOAT32, compressor, labels));
    try {
      Segmentation.Result r = Segmentation.run(model, src, sink, tile, progress);
      Store.commit(tmp, out);
      return r;
    } finally {
      Store.deleteTree(tmp);
    }
  }

  /**
   * Creates the output array on the first write, with chunks the size of that write (the first
   * tile core), so every later core fills whole chunks.
   */
  private static final class ChunkedSink implements PlaneSink {
    interface Factory {
      ZarrArray create(int h, int w);
    }

    private final Factory factory;
    private PlaneSink sink;

    ChunkedSink(Factory factory) {
      this.factory = factory;
    }

    @Override
    public void write(long y0, long x0, int h, int w, int channels, float[] src) {
      if (sink == null) {
        sink = ZarrPlanes.sink(factory.create(h, w));
      }
      sink.write(y0, x0, h, w, channels, src);
    }
  }
}
