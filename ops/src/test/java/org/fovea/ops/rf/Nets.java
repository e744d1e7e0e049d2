package org.fovea.ops.rf;

import java.util.List;

/**
 * Test helper: builds the geometry of standard architectures layer by layer, as their papers and
 * torchvision define them (2 spatial axes, square kernels).
 */
final class Nets {

  private final LayerGraph.Builder b;
  private int count;

  private Nets(String name) {
    b = LayerGraph.builder(name, 2).layer(Layer.input("input"));
  }

  static long[] two(long v) {
    return new long[] {v, v};
  }

  String conv(String in, long k, long s, long p, long d) {
    String n = "conv" + count++;
    b.layer(Layer.conv(n, "Conv", in, Window.explicit(two(k), two(s), two(d), two(p), two(p)),
        k * k, k * k));
    return n;
  }

  String conv(String in, long k, long s, long p) {
    return conv(in, k, s, p, 1);
  }

  String same(String in, long k, long s, PadMode mode) {
    String n = "same" + count++;
    b.layer(Layer.conv(n, "Conv", in, Window.auto(two(k), two(s), two(1), mode), 0, 0));
    return n;
  }

  String maxPool(String in, long k, long s, long p) {
    String n = "pool" + count++;
    b.layer(Layer.pool(n, "MaxPool", in, Window.explicit(two(k), two(s), two(1), two(p), two(p)),
        true));
    return n;
  }

  String avgPool(String in, long k, long s) {
    String n = "avg" + count++;
    b.layer(Layer.pool(n, "AveragePool", in, Window.explicit(two(k), two(s), two(1), two(0),
        two(0)), false));
    return n;
  }

  String relu(String in) {
    String n = "relu" + count++;
    b.layer(Layer.pointwise(n, "Relu", in, 0));
    return n;
  }

  String add(String... in) {
    String n = "add" + count++;
    b.layer(Layer.merge(n, "Add", LayerKind.ADD, List.of(in)));
    return n;
  }

  String concat(String... in) {
    String n = "cat" + count++;
    b.layer(Layer.merge(n, "Concat", LayerKind.CONCAT, List.of(in)));
    return n;
  }

  String up(String in, long f) {
    String n = "up" + count++;
    b.layer(Layer.resize(n, "Resize", in, Resize.nearest(f, f)));
    return n;
  }

  LayerGraph out(String last) {
    return b.output(last).build();
  }

  /** VGG-16: 13 3x3 convolutions (pad 1) in 5 blocks, each block ending in 2x2 max pooling. */
  static LayerGraph vgg16() {
    Nets n = new Nets("vgg16");
    String x = "input";
    for (int convs : new int[] {2, 2, 3, 3, 3}) {
      for (int i = 0; i < convs; i++) {
        x = n.relu(n.conv(x, 3, 1, 1));
      }
      x = n.maxPool(x, 2, 2, 0);
    }
    return n.out(x);
  }

  /** torchvision's AlexNet features: conv 11/4 pad 2, pool 3/2, conv 5 pad 2, pool, 3 convs, pool. */
  static LayerGraph alexnet() {
    Nets n = new Nets("alexnet");
    String x = n.maxPool(n.relu(n.conv("input", 11, 4, 2)), 3, 2, 0);
    x = n.maxPool(n.relu(n.conv(x, 5, 1, 2)), 3, 2, 0);
    x = n.relu(n.conv(x, 3, 1, 1));
    x = n.relu(n.conv(x, 3, 1, 1));
    x = n.relu(n.conv(x, 3, 1, 1));
    return n.out(n.maxPool(x, 3, 2, 0));
  }

  /**
   * torchvision's ResNet: stem conv 7/2 pad 3 and max pool 3/2 pad 1, then 4 stages; basic blocks
   * (two 3x3) or bottlenecks (1x1, 3x3 carrying the stride, 1x1), 1x1 strided shortcut convs.
   */
  static LayerGraph resnet(int[] blocks, boolean bottleneck) {
    Nets n = new Nets("resnet");
    String x = n.maxPool(n.relu(n.conv("input", 7, 2, 3)), 3, 2, 1);
    for (int stage = 0; stage < 4; stage++) {
      for (int i = 0; i < blocks[stage]; i++) {
        long s = stage > 0 && i == 0 ? 2 : 1;
        String y;
        if (bottleneck) {
          y = n.relu(n.conv(x, 1, 1, 0));
          y = n.relu(n.conv(y, 3, s, 1));
          y = n.conv(y, 1, 1, 0);
        } else {
          y = n.conv(n.relu(n.conv(x, 3, s, 1)), 3, 1, 1);
        }
        String shortcut = s > 1 || (bottleneck && i == 0) ? n.conv(x, 1, s, 0) : x;
        x = n.relu(n.add(y, shortcut));
      }
    }
    return n.out(x);
  }

  /** torchvision's MobileNetV2 features: stem 3x3/2, inverted residuals (t, c, n, s), 1x1 head. */
  static LayerGraph mobilenetV2() {
    Nets n = new Nets("mobilenet_v2");
    String x = n.relu(n.conv("input", 3, 2, 1));
    int[][] cfg = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1},
        {6, 160, 3, 2}, {6, 320, 1, 1}};
    for (int[] c : cfg) {
      for (int i = 0; i < c[2]; i++) {
        long s = i == 0 ? c[3] : 1;
        String y = c[0] == 1 ? x : n.relu(n.conv(x, 1, 1, 0));
        y = n.conv(n.relu(n.conv(y, 3, s, 1)), 1, 1, 0);
        x = i > 0 ? n.add(x, y) : y;
      }
    }
    return n.out(n.relu(n.conv(x, 1, 1, 0)));
  }

  /** 3x3 convolutions with the given dilations, padded by the dilation. */
  static LayerGraph dilated(long... dilations) {
    Nets n = new Nets("dilated");
    String x = "input";
    for (long d : dilations) {
      x = n.relu(n.conv(x, 3, 1, d, d));
    }
    return n.out(n.conv(x, 1, 1, 0));
  }

  /** A 3x3/2 conv and a 3x3 conv added to a 1x1/2 conv (agree) or to 2x2 avg pooling + 1x1 conv. */
  static LayerGraph twoBranch(boolean misaligned) {
    Nets n = new Nets(misaligned ? "two_branch_misaligned" : "two_branch_agree");
    String main = n.conv(n.relu(n.conv("input", 3, 2, 1)), 3, 1, 1);
    String shortcut = misaligned ? n.conv(n.avgPool("input", 2, 2), 1, 1, 0)
        : n.conv("input", 1, 2, 0);
    return n.out(n.relu(n.add(main, shortcut)));
  }

  /** models/training/nets.py's UNet: blocks of two 3x3 convs, 2x2 pooling, nearest up-sampling. */
  static LayerGraph unet() {
    Nets n = new Nets("unet");
    String e1 = n.block("input");
    String e2 = n.block(n.maxPool(e1, 2, 2, 0));
    String m = n.block(n.maxPool(e2, 2, 2, 0));
    String d2 = n.block(n.concat(n.up(m, 2), e2));
    String d1 = n.block(n.concat(n.up(d2, 2), e1));
    return n.out(n.conv(d1, 1, 1, 0));
  }

  private String block(String in) {
    return relu(conv(relu(conv(in, 3, 1, 1)), 3, 1, 1));
  }

  /** Stride-2 SAME convolutions with the given kernels. */
  static LayerGraph same(PadMode mode, long... kernels) {
    Nets n = new Nets("same");
    String x = "input";
    for (long k : kernels) {
      x = n.same(x, k, 2, mode);
    }
    return n.out(x);
  }
}
