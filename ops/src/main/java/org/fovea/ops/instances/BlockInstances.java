package org.fovea.ops.instances;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.fovea.ops.net.Axis;
import org.fovea.ops.net.Tensor;

/**
 * {@link Instances#fromSemantic} block by block, for large images: the same objects, the same
 * numbering.
 *
 * <p>The foreground is split into its 8-connected components. A component belongs to the block
 * (a {@code block}×{@code block} square of the image) that holds its top-left bounding-box corner.
 * When the component and the one-pixel ring around it fit inside that block grown by {@code
 * overlap} on every side, it is seeded and flooded there together with the block's other
 * components; a larger one is processed alone in its own bounding box. Seeds, distance transform
 * and watershed never look further than one pixel beyond a component, so each component's pixels
 * are partitioned exactly as in the whole image. Holes are filled per crop (a hole lies inside
 * its object's crop), and the size filter runs once on the stitched labels. An object that crosses a block border is therefore neither split nor
 * duplicated, and the result equals the whole-image result pixel for pixel.
 *
 * <pre>{@code
 * LabelImage objects = BlockInstances.fromSemantic(probabilities, InstanceParams.defaults(),
 *     1024, 64, true);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class BlockInstances {

  /** One crop to seed and flood: its place in the image and the work item its components carry. */
  private record Item(int id, int x0, int y0, int width, int height) {}

  private BlockInstances() {}

  /**
   * Labelled objects of a probability image, block by block (the op {@code
   * fovea.instances.blocks}): equal to {@link Instances#labels}.
   *
   * @param probabilities dimensions x, y, channel, as {@link Instances#labels} takes
   * @param params thresholds, seed source, filters
   * @param block block side in pixels, at least 1
   * @param overlap how far (pixels) the components of a block may reach beyond it, at least 0
   * @param parallel whether blocks run on several threads (the result does not depend on it)
   * @return objects numbered 1..n in raster order of their first pixel, with the origin of the input
   * @implNote op names='fovea.instances.blocks'
   */
  public static net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.integer.IntType>
      labels(net.imglib2.RandomAccessibleInterval<? extends net.imglib2.type.numeric.RealType<?>>
          probabilities, InstanceParams params, int block, int overlap, boolean parallel) {
    LabelImage l = fromSemantic(org.fovea.ops.tiling.ImgTensors.tensor(probabilities), params,
        block, overlap, parallel);
    return net.imglib2.view.Views.translate(l.asImg(), probabilities.min(0), probabilities.min(1));
  }

  /**
   * @param probabilities a {@code bcyx} tensor, batch 1, as {@link Instances#fromSemantic} takes
   * @param given thresholds, seed source, filters (unset ones take the 2D defaults)
   * @param block block side in pixels, at least 1
   * @param overlap how far (pixels) a block's components may reach beyond it, at least 0
   * @param parallel whether blocks run on several threads (the result does not depend on it)
   * @return objects numbered 1..n in raster order of their first pixel, equal to {@link
   *     Instances#fromSemantic}
   */
  public static LabelImage fromSemantic(Tensor probabilities, InstanceParams given, int block,
      int overlap, boolean parallel) {
    InstanceParams params = given.resolved(false);
    if (block < 1 || overlap < 0) {
      throw new IllegalArgumentException("block must be positive and overlap not negative, got "
          + block + " and " + overlap);
    }
    Instances.check(probabilities, params);
    int h = (int) probabilities.size(Axis.Y);
    int w = (int) probabilities.size(Axis.X);
    int n = w * h;
    float[] p = probabilities.data();
    int io = params.interiorChannel() * n;
    boolean[] fg = Instances.foreground(p, n, params);
    LabelImage comps = Labeling.components(fg, w, h, Connectivity.EIGHT);
    int[] owner = new int[comps.count() + 1];
    List<Item> items = plan(comps, block, overlap, owner);
    int[] cl = comps.labels();
    boolean[] fgAll = fg;
    LabelImage[] flooded = new LabelImage[items.size()];
    IntStream ids = IntStream.range(0, items.size());
    (parallel ? ids.parallel() : ids).forEach(k -> {
      Item it = items.get(k);
      int cw = it.width();
      boolean[] m = new boolean[cw * it.height()];
      float[] in = new float[m.length];
      for (int y = 0; y < it.height(); y++) {
        int g = (it.y0() + y) * w + it.x0();
        for (int x = 0; x < cw; x++) {
          m[y * cw + x] = owner[cl[g + x]] == it.id();
          in[y * cw + x] = p[io + g + x];
        }
      }
      LabelImage f = Instances.flood(m, in, cw, it.height(), params);
      if (params.fillHoles()) {
        boolean[] bg = new boolean[m.length];
        for (int y = 0; y < it.height(); y++) {
          int g = (it.y0() + y) * w + it.x0();
          for (int x = 0; x < cw; x++) {
            bg[y * cw + x] = !fgAll[g + x];
          }
        }
        f = fillHoles(f, bg);
      }
      flooded[k] = f;
    });
    int[] out = new int[n];
    int offset = 0;
    for (int k = 0; k < items.size(); k++) {
      Item it = items.get(k);
      int[] l = flooded[k].labels();
      for (int y = 0; y < it.height(); y++) {
        int g = (it.y0() + y) * w + it.x0();
        for (int x = 0; x < it.width(); x++) {
          int v = l[y * it.width() + x];
          if (v != 0) {
            out[g + x] = v + offset;
          }
        }
      }
      offset += flooded[k].count();
    }
    // holes were filled per crop; what is left is the size filter and raster-order numbering
    return Labeling.filterSizes(new LabelImage(w, h, out, offset), params.minSize(),
        params.maxSize());
  }

  /**
   * Hole filling inside a crop, equal to {@link Labeling#fillHoles} on the whole image for the
   * crop's objects: a background region (4-connected, background meaning no foreground at all)
   * that stays inside the crop is a whole region of the image; it is filled when it touches only
   * one of the crop's labels and no foreground of other crops. A hole of an object always lies
   * inside that object's crop.
   */
  private static LabelImage fillHoles(LabelImage img, boolean[] bg) {
    int w = img.width();
    int h = img.height();
    int[] src = img.labels();
    LabelImage holes = Labeling.components(bg, w, h, Connectivity.FOUR);
    int[] owner = new int[holes.count() + 1];
    int[] hl = holes.labels();
    for (int i = 0; i < src.length; i++) {
      int c = hl[i];
      if (c == 0 || owner[c] < 0) {
        continue;
      }
      int y = i / w;
      int x = i - y * w;
      if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
        owner[c] = -1;
        continue;
      }
      for (int k = 0; k < 4 && owner[c] >= 0; k++) {
        int j = (y + Connectivity.FOUR.dy(k)) * w + x + Connectivity.FOUR.dx(k);
        if (!bg[j]) {
          int l = src[j] != 0 ? src[j] : -1; // foreground of another crop: another object
          owner[c] = l > 0 && (owner[c] == 0 || owner[c] == l) ? l : -1;
        }
      }
    }
    int[] out = src.clone();
    for (int i = 0; i < out.length; i++) {
      int c = hl[i];
      if (c != 0 && owner[c] > 0) {
        out[i] = owner[c];
      }
    }
    return new LabelImage(w, h, out, img.count());
  }

  /**
   * Assigns every component to a block's crop or to a crop of its own.
   *
   * @param owner filled: the item id of each component label (index 0 unused)
   */
  private static List<Item> plan(LabelImage comps, int block, int overlap, int[] owner) {
    int w = comps.width();
    int h = comps.height();
    int c = comps.count();
    int[] box = new int[4 * (c + 1)]; // x0, y0, x1, y1 inclusive
    for (int k = 1; k <= c; k++) {
      box[4 * k] = Integer.MAX_VALUE;
      box[4 * k + 1] = Integer.MAX_VALUE;
      box[4 * k + 2] = -1;
      box[4 * k + 3] = -1;
    }
    int[] l = comps.labels();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int k = l[y * w + x];
        if (k != 0) {
          box[4 * k] = Math.min(box[4 * k], x);
          box[4 * k + 1] = Math.min(box[4 * k + 1], y);
          box[4 * k + 2] = Math.max(box[4 * k + 2], x);
          box[4 * k + 3] = Math.max(box[4 * k + 3], y);
        }
      }
    }
    int bw = (w + block - 1) / block;
    int bh = (h + block - 1) / block;
    // per block: the union of its components' rings, as x0, y0, x1, y1 inclusive
    int[] blockBox = new int[4 * bw * bh];
    java.util.Arrays.fill(blockBox, -1);
    List<Item> items = new ArrayList<>();
    int[] alone = new int[c + 1];
    int single = 0;
    for (int k = 1; k <= c; k++) {
      int x0 = Math.max(0, box[4 * k] - 1);
      int y0 = Math.max(0, box[4 * k + 1] - 1);
      int x1 = Math.min(w - 1, box[4 * k + 2] + 1);
      int y1 = Math.min(h - 1, box[4 * k + 3] + 1);
      int bx = box[4 * k] / block;
      int by = box[4 * k + 1] / block;
      boolean fits = x0 >= Math.max(0, bx * block - overlap)
          && y0 >= Math.max(0, by * block - overlap)
          && x1 <= Math.min(w - 1, (bx + 1) * block - 1 + overlap)
          && y1 <= Math.min(h - 1, (by + 1) * block - 1 + overlap);
      if (fits) {
        int b = 4 * (by * bw + bx);
        if (blockBox[b] < 0) {
          blockBox[b] = x0;
          blockBox[b + 1] = y0;
          blockBox[b + 2] = x1;
          blockBox[b + 3] = y1;
        } else {
          blockBox[b] = Math.min(blockBox[b], x0);
          blockBox[b + 1] = Math.min(blockBox[b + 1], y0);
          blockBox[b + 2] = Math.max(blockBox[b + 2], x1);
          blockBox[b + 3] = Math.max(blockBox[b + 3], y1);
        }
        owner[k] = -1 - (by * bw + bx); // block number, resolved to an item id below
      } else {
        alone[single++] = k;
      }
    }
    int[] blockItem = new int[bw * bh];
    for (int b = 0; b < bw * bh; b++) {
      if (blockBox[4 * b] >= 0) {
        blockItem[b] = items.size() + 1;
        items.add(new Item(items.size() + 1, blockBox[4 * b], blockBox[4 * b + 1],
            blockBox[4 * b + 2] - blockBox[4 * b] + 1, blockBox[4 * b + 3] - blockBox[4 * b + 1]
                + 1));
      }
    }
    for (int k = 1; k <= c; k++) {
      if (owner[k] < 0) {
        owner[k] = blockItem[-1 - owner[k]];
      }
    }
    for (int s = 0; s < single; s++) {
      int k = alone[s];
      int x0 = Math.max(0, box[4 * k] - 1);
      int y0 = Math.max(0, box[4 * k + 1] - 1);
      int x1 = Math.min(w - 1, box[4 * k + 2] + 1);
      int y1 = Math.min(h - 1, box[4 * k + 3] + 1);
      owner[k] = items.size() + 1;
      items.add(new Item(items.size() + 1, x0, y0, x1 - x0 + 1, y1 - y0 + 1));
    }
    return items;
  }
}
