package org.fovea.plugins.fiji;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.plugin.LutLoader;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import java.awt.Color;
import java.util.List;
import org.fovea.models.Model;
import org.fovea.models.ModelRequest;
import org.fovea.models.pkg.ModelPackage;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Differentiable;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * The effective receptive field of one output pixel: the magnitude of the gradient of its most
 * probable class with respect to every input pixel of the current plane (summed over channels),
 * on an engine that can differentiate (PyTorch, else TensorFlow), and its heatmap overlay.
 *
 * <pre>{@code
 * FloatProcessor g = EffectiveField.gradient(pkg, imp, ux, uy);
 * List<Roi> items = EffectiveField.heatmap(g, clip);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class EffectiveField {

  private static final List<String> ENGINES = List.of("pytorch", "tensorflow");
  private static final int BAR = 128;

  private EffectiveField() {}

  /**
   * @param pkg the model
   * @param imp the image (its current plane, every channel, is the model's input)
   * @param ux the output's column
   * @param uy the output's row
   * @return |gradient| per input pixel, the image's size
   * @throws FoveaException when no engine with gradients runs the model or the image's size is
   *     not one the model takes
   */
  public static FloatProcessor gradient(ModelPackage pkg, ImagePlus imp, long ux, long uy) {
    return gradient(pkg, imp, ux, uy, null);
  }

  /**
   * @param pkg the model
   * @param imp the image (its current plane, every channel, is the model's input)
   * @param ux the output's column
   * @param uy the output's row
   * @param models the context's loaded models (the model stays loaded for the next run), or null
   *     to load it for this call only
   * @return |gradient| per input pixel, the image's size
   * @throws FoveaException when no engine with gradients runs the model or the image's size is
   *     not one the model takes
   */
  public static FloatProcessor gradient(ModelPackage pkg, ImagePlus imp, long ux, long uy,
      ModelService models) {
    try (Model owned = models == null ? load(pkg, null) : null) {
      Model m = owned != null ? owned : load(pkg, models);
      Tensor in = m.preprocess(input(m, imp));
      Differentiable d = m.network().gradients().orElseThrow();
      Tensor out = m.network().predict(in);
      Tensor g = d.gradient(in, weights(out, ux, uy));
      FloatProcessor fp = new FloatProcessor(imp.getWidth(), imp.getHeight());
      long[] s = g.strides();
      Axes a = g.axes();
      int c = a.indexOf(Axis.CHANNEL);
      for (int y = 0; y < imp.getHeight(); y++) {
        for (int x = 0; x < imp.getWidth(); x++) {
          double sum = 0;
          for (int k = 0; k < (c < 0 ? 1 : g.shape()[c]); k++) {
            long i = y * s[a.indexOf(Axis.Y)] + x * s[a.indexOf(Axis.X)] + (c < 0 ? 0 : k * s[c]);
            sum += Math.abs(g.data()[(int) i]);
          }
          fp.setf(x, y, (float) sum);
        }
      }
      return fp;
    }
  }

  /**
   * @param magnitude the gradient magnitude, the image's size
   * @param clip the theoretical field clipped to the image, {x0, y0, x1, y1}
   * @return a heatmap ("fire", zero transparent) over the field and a colour bar with its range
   */
  public static List<Roi> heatmap(FloatProcessor magnitude, long[] clip) {
    magnitude.setRoi((int) clip[0], (int) clip[1], (int) (clip[2] - clip[0] + 1),
        (int) (clip[3] - clip[1] + 1));
    FloatProcessor crop = (FloatProcessor) magnitude.crop();
    double max = crop.getStatistics().max;
    crop.setMinAndMax(0, max > 0 ? max : 1);
    ByteProcessor heat = crop.convertToByteProcessor(true);
    heat.setColorModel(LutLoader.getLut("fire"));
    ImageRoi map = new ImageRoi((int) clip[0], (int) clip[1], heat);
    map.setZeroTransparent(true);
    map.setOpacity(0.7);
    map.setName("effective receptive field (|gradient|)");
    ByteProcessor ramp = new ByteProcessor(12, BAR);
    for (int y = 0; y < BAR; y++) {
      for (int x = 0; x < 12; x++) {
        ramp.set(x, y, 255 - y * 255 / (BAR - 1));
      }
    }
    ramp.setColorModel(LutLoader.getLut("fire"));
    int bx = magnitude.getWidth() - 16;
    ImageRoi bar = new ImageRoi(bx, 4, ramp);
    bar.setName("colour bar of |gradient|");
    TextRoi top = new TextRoi(bx - 2, 4, String.format(java.util.Locale.ROOT, "%.2g", max));
    top.setJustification(TextRoi.RIGHT);
    top.setLocation(bx - 2 - top.getBounds().width, 4);
    TextRoi zero = new TextRoi(0, 0, "0");
    zero.setLocation(bx - 2 - zero.getBounds().width, 4 + BAR - zero.getBounds().height);
    top.setStrokeColor(Color.WHITE);
    zero.setStrokeColor(Color.WHITE);
    return List.of(map, bar, top, zero);
  }

  /** The first engine with gradients that runs the model: loaded here, or the service's. */
  private static Model load(ModelPackage pkg, ModelService models) {
    for (String e : ENGINES) {
      try {
        // the model as it is (no dense rewrite), on the CPU, as the field analysis sees it
        ModelRequest request = ModelRequest.builder().setModel(pkg.source().toString())
            .optEngine(e).optDevice("cpu").optDense("off").build();
        Model m = models == null ? request.load() : models.get(request);
        if (m.network().gradients().isPresent()) {
          return m;
        }
        if (models == null) {
          m.close();
        }
      } catch (FoveaException ignored) {
        // this engine cannot run the model here: try the next
      }
    }
    throw new FoveaException("the effective receptive field needs gradients, and no engine with"
        + " gradients (" + String.join(", ", ENGINES) + ") runs model '" + pkg.name() + "' here:"
        + " give it TorchScript or TensorFlow weights, or leave effective off");
  }

  /** The current plane, every channel, as the model's raw input. */
  private static Tensor input(Model m, ImagePlus imp) {
    var spec = m.network().inputs().get(0);
    Axes a = spec.axes();
    long[] shape = new long[a.size()];
    for (int i = 0; i < shape.length; i++) {
      Axis x = a.get(i);
      shape[i] = x == Axis.Y ? imp.getHeight() : x == Axis.X ? imp.getWidth()
          : x == Axis.CHANNEL ? imp.getNChannels() : 1;
    }
    String bad = spec.checkShape(shape);
    if (bad != null) {
      throw new FoveaException("the image does not fit the model for the effective field (" + bad
          + "): crop it to an allowed size");
    }
    Tensor t = Tensor.zeros(a, shape);
    long[] s = t.strides();
    int c = a.indexOf(Axis.CHANNEL);
    for (int k = 0; k < imp.getNChannels(); k++) {
      var ip = imp.getStack().getProcessor(imp.getStackIndex(k + 1, imp.getZ(), imp.getT()));
      for (int y = 0; y < imp.getHeight(); y++) {
        for (int x = 0; x < imp.getWidth(); x++) {
          long i = y * s[a.indexOf(Axis.Y)] + x * s[a.indexOf(Axis.X)] + (c < 0 ? 0 : k * s[c]);
          t.data()[(int) i] = ip.getf(x, y);
        }
      }
    }
    return t;
  }

  /** 1 at the most probable class of output (ux, uy), 0 elsewhere. */
  private static Tensor weights(Tensor out, long ux, long uy) {
    Axes a = out.axes();
    long[] s = out.strides();
    int c = a.indexOf(Axis.CHANNEL);
    long base = uy * s[a.indexOf(Axis.Y)] + ux * s[a.indexOf(Axis.X)];
    int best = 0;
    for (int k = 1; k < (c < 0 ? 1 : out.shape()[c]); k++) {
      float v = out.data()[(int) (base + k * s[c])];
      best = v > out.data()[(int) (base + best * s[c])] ? k : best;
    }
    Tensor w = Tensor.zeros(a, out.shape());
    w.data()[(int) (base + (c < 0 ? 0 : best * s[c]))] = 1;
    return w;
  }
}
