package org.fovea.ops.saliency;

import java.util.Locale;
import org.fovea.ops.net.Axes;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.net.Tensor;

/**
 * What a saliency map explains: a scalar made from a network's {@code bcyx} output.
 *
 * <ul>
 *   <li>{@link #pixel(int, long, long)}: the score of class {@code c} at one output pixel;
 *   <li>{@link #roi(int, long, long, long, long)}: the mean score of class {@code c} in a
 *       rectangle;
 *   <li>{@link #whole(int)}: the sum of class {@code c} over the whole output, or of every class
 *       when {@code c} is {@link #ALL}.
 * </ul>
 *
 * <p>{@link #weights(long[])} turns a target into the output weights of a vector-Jacobian product,
 * so that the target's value is {@code sum(output * weights)}.
 *
 * @param kind pixel, roi or whole
 * @param channel the class index, or {@link #ALL}
 * @param x left (pixel or rectangle), 0 for whole
 * @param y top
 * @param width rectangle width (1 for a pixel)
 * @param height rectangle height (1 for a pixel)
 * @param mask for a ROI, which pixels of the rectangle (row by row) belong to it; null for all
 * @since 0.1.0
 */
public record Target(Kind kind, int channel, long x, long y, long width, long height,
    boolean[] mask) {

  /** Every class, for {@link #whole(int)}. */
  public static final int ALL = -1;

  /** The shape of a target. */
  public enum Kind {
    /** one output pixel */
    PIXEL,
    /** the mean over a rectangle */
    ROI,
    /** the sum over the whole output */
    WHOLE
  }

  /**
   * The same target on an output of another resolution: a pixel moves to the output pixel that
   * holds it, a rectangle to the output pixels it covers, in part or whole.
   *
   * @param sy output rows per image row
   * @param sx output columns per image column
   * @return the target in output pixels (this one when both scales are 1)
   * @throws IllegalArgumentException for a ROI with a mask (a freehand selection), which has no
   *     exact counterpart on a coarser grid
   */
  public Target scaled(org.fovea.ops.tiling.OutputScale sy, org.fovea.ops.tiling.OutputScale sx) {
    if (sy.identity() && sx.identity() || kind == Kind.WHOLE) {
      return this;
    }
    if (mask != null) {
      throw new IllegalArgumentException("a freehand target has no exact counterpart on an output"
          + " of " + sx + " x " + sy + " the image's size: use a rectangle");
    }
    long x0 = sx.floor(x);
    long y0 = sy.floor(y);
    if (kind == Kind.PIXEL) {
      return pixel(channel, x0, y0);
    }
    long x1 = Math.max(x0 + 1, sx.size(x + width));
    long y1 = Math.max(y0 + 1, sy.size(y + height));
    return roi(channel, x0, y0, x1 - x0, y1 - y0);
  }

  /**
   * @param c class index
   * @param x column
   * @param y row
   * @return the score of class {@code c} at {@code (x, y)}
   */
  public static Target pixel(int c, long x, long y) {
    return new Target(Kind.PIXEL, c, x, y, 1, 1, null);
  }

  /**
   * @param c class index
   * @param x left column
   * @param y top row
   * @param w width
   * @param h height
   * @return the mean score of class {@code c} in the rectangle
   */
  public static Target roi(int c, long x, long y, long w, long h) {
    if (w <= 0 || h <= 0) {
      throw new FoveaException("the target rectangle " + w + "x" + h + " is empty: give a width"
          + " and height of at least 1");
    }
    return new Target(Kind.ROI, c, x, y, w, h, null);
  }

  /**
   * @param c class index, or {@link #ALL}
   * @return the sum of class {@code c} (or of all classes) over the whole output
   */
  public static Target whole(int c) {
    return new Target(Kind.WHOLE, c, 0, 0, 0, 0, null);
  }

  /**
   * The mean score of class {@code c} over the pixels of a shape inside a rectangle.
   *
   * @param c class index
   * @param x left column of the bounding rectangle
   * @param y top row
   * @param w width
   * @param h height
   * @param mask {@code w * h} flags, row by row: which pixels belong to the shape
   * @return the target
   */
  public static Target mask(int c, long x, long y, long w, long h, boolean[] mask) {
    roi(c, x, y, w, h);
    if (mask.length != w * h) {
      throw new IllegalArgumentException("mask has " + mask.length + " flags for " + w + "x" + h);
    }
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    if (n == 0) {
      throw new FoveaException("the selection holds no pixel: draw a larger one");
    }
    return new Target(Kind.ROI, c, x, y, w, h, mask.clone());
  }

  /**
   * Parses the command line's form: {@code class=C[,x=X,y=Y][,roi=X,Y,W,H]}, or {@code all}.
   *
   * @param text the target text
   * @return the target
   * @throws FoveaException with a sentence naming the bad part
   */
  public static Target parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("all") || t.isEmpty()) {
      return whole(ALL);
    }
    Integer c = null;
    Long x = null;
    Long y = null;
    long[] roi = null;
    String[] parts = t.split(",");
    for (int i = 0; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      String key = kv[0].trim();
      String val = kv.length > 1 ? kv[1].trim() : "";
      try {
        switch (key) {
          case "class", "c" -> c = Integer.parseInt(val);
          case "x" -> x = Long.parseLong(val);
          case "y" -> y = Long.parseLong(val);
          case "roi" -> {
            if (i + 3 >= parts.length) {
              throw bad(text, "roi needs four numbers X,Y,W,H");
            }
            roi = new long[] {Long.parseLong(val), Long.parseLong(parts[i + 1].trim()),
                Long.parseLong(parts[i + 2].trim()), Long.parseLong(parts[i + 3].trim())};
            i += 3;
          }
          default -> throw bad(text, "'" + key + "' is not a target key (class, x, y, roi)");
        }
      } catch (NumberFormatException e) {
        throw bad(text, "'" + parts[i] + "' is not a whole number");
      }
    }
    if (c == null) {
      throw bad(text, "it names no class");
    }
    if (roi != null) {
      return roi(c, roi[0], roi[1], roi[2], roi[3]);
    }
    if ((x == null) != (y == null)) {
      throw bad(text, "give both x and y");
    }
    return x == null ? whole(c) : pixel(c, x, y);
  }

  private static FoveaException bad(String text, String why) {
    return new FoveaException("the target '" + text + "' cannot be read (" + why + "): write"
        + " class=C, class=C,x=X,y=Y, class=C,roi=X,Y,W,H or all");
  }

  /**
   * Checks the target against an output shape.
   *
   * @param shape a {@code bcyx} output shape
   * @throws FoveaException when the class or the position is outside the output
   */
  public void check(long[] shape) {
    long classes = shape[1];
    if (channel != ALL && (channel < 0 || channel >= classes)) {
      throw new FoveaException("class " + channel + " is out of range: the model has " + classes
          + " output classes (0 to " + (classes - 1) + ")");
    }
    long h = shape[2];
    long w = shape[3];
    if (kind != Kind.WHOLE && (x < 0 || y < 0 || x + width > w || y + height > h)) {
      String what = kind == Kind.PIXEL ? "pixel (" + x + ", " + y + ")"
          : "rectangle " + x + "," + y + " " + width + "x" + height;
      throw new FoveaException("the target " + what + " lies outside the " + w + "x" + h
          + " image: choose a position inside it");
    }
  }

  /**
   * @param shape a {@code bcyx} output shape (batch 1 or more: each item is weighted alike)
   * @return weights such that the target equals {@code sum(output * weights)} per batch item
   */
  public Tensor weights(long[] shape) {
    check(shape);
    Tensor w = Tensor.zeros(Axes.of("bcyx"), shape);
    long b = shape[0];
    long cs = shape[1];
    long h = shape[2];
    long wd = shape[3];
    float[] d = w.data();
    for (long n = 0; n < b; n++) {
      for (long c = 0; c < cs; c++) {
        if (channel != ALL && c != channel) {
          continue;
        }
        long base = (n * cs + c) * h * wd;
        if (kind == Kind.WHOLE) {
          java.util.Arrays.fill(d, (int) base, (int) (base + h * wd), 1f);
        } else {
          float v = (float) (1.0 / inside());
          for (long yy = y; yy < y + height; yy++) {
            for (long xx = x; xx < x + width; xx++) {
              if (mask == null || mask[(int) ((yy - y) * width + (xx - x))]) {
                d[(int) (base + yy * wd + xx)] = v;
              }
            }
          }
        }
      }
    }
    return w;
  }

  /** @return how many pixels the target averages over (0 for a whole-image sum) */
  public long inside() {
    if (kind == Kind.WHOLE) {
      return 0;
    }
    if (mask == null) {
      return width * height;
    }
    long n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** @return a short description, such as {@code class 1 at (12, 30)} */
  public String describe() {
    String c = channel == ALL ? "all classes" : "class " + channel;
    return switch (kind) {
      case PIXEL -> c + " at (" + x + ", " + y + ")";
      case ROI -> c + " mean in " + (mask == null ? "" : "a selection within ") + x + "," + y
          + " " + width + "x" + height;
      case WHOLE -> c + " summed over the image";
    };
  }
}
