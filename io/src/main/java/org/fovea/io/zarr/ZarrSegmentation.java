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
 * its destination and moved there when complete; a model with several outputs writes one image
 * per output ({@code NAME.zarr}, then {@code NAME-OUTPUTID.zarr}, as
 * {@link org.fovea.io.ImageFiles#outputFiles}).
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
    // one OME-Zarr image per output (NAME.zarr, then NAME-OUTPUTID.zarr, as the TIFF outputs);
    // the outputs' channels follow one another in each tile
    int outputs = model.network().outputs().size();
    int[] groups = outputs > 1 ? model.outputChannels(model.inputChannels())
        : new int[] {model.outputChannels(src.channels())};
    List<Path> dests = org.fovea.io.ImageFiles.outputFiles(model, out);
    long[] size = model.outputSize(src.height(), src.width());
    List<Path> tmps = new ArrayList<>();
    List<ChunkedSink> sinks = new ArrayList<>();
    for (int j = 0; j < groups.length; j++) {
      Path tmp = Store.temporaryFor(dests.get(j));
      tmps.add(tmp);
      List<String> labels = new ArrayList<>();
      var names = model.pkg().outputs().get(j).channelNames();
      for (int k = 0; k < groups[j]; k++) {
        labels.add(names != null && k < names.size() ? names.get(k) : "class " + k);
      }
      String name = dests.get(j).getFileName().toString().replaceFirst("\\.zarr$", "");
      int classes = groups[j];
      sinks.add(new ChunkedSink((h, w) -> OmeZarr.create(tmp, name,
          List.of("c", "y", "x"), new long[] {classes, size[0], size[1]},
          new int[] {1, h, w}, DType.FLOAT32, compressor, labels)));
    }
    PlaneSink sink = sinks.size() == 1 ? sinks.get(0) : (y0, x0, h, w, channels, data) -> {
      int plane = h * w;
      for (int j = 0, first = 0; j < groups.length; first += groups[j], j++) {
        float[] part = new float[groups[j] * plane];
        System.arraycopy(data, first * plane, part, 0, part.length);
        sinks.get(j).write(y0, x0, h, w, groups[j], part);
      }
    };
    try {
      Segmentation.Result r = Segmentation.run(model, src, sink, tile, progress);
      for (int j = 0; j < groups.length; j++) {
        Store.commit(tmps.get(j), dests.get(j));
      }
      return r;
    } finally {
      for (Path tmp : tmps) {
        Store.deleteTree(tmp);
      }
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
