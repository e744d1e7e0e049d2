package org.fovea.models.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fovea.ops.rf.AxisField;
import org.fovea.ops.rf.FieldReport;
import org.fovea.ops.rf.LayerField;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * torchvision's architectures read from their ONNX exports (weights stripped to dims): the final
 * feature map's receptive field equals the published numbers and the one PyTorch's autograd
 * measured on the same architecture (measured.json); parameters and multiply-adds equal
 * torchvision's published counts.
 */
class PublishedFieldsTest {

  /**
   * Receptive fields: VGG-16 212/32/90 and AlexNet r 195, S 32 from Araujo et al., Distill 2019
   * (their alexnet_v2 has P 64 with a VALID first conv; torchvision pads it by 2); ResNet-18 435,
   * ResNet-50 (v1.5) 427 and MobileNetV2 491 as summed layer by layer and cited for torchvision.
   * Parameters: torchvision's model cards, less one per batch-norm channel, because the ONNX
   * export folds each batch norm (2 parameters per channel) into its convolution's bias (1):
   * ResNet-18 4,800, ResNet-50 26,560 and MobileNetV2 17,056 batch-norm channels. Multiply-adds:
   * torchvision's "GFLOPS" column (which counts multiply-adds), to its two decimals.
   */
  @ParameterizedTest
  @CsvSource({
      "vgg16,        212, 32,  90, 138357544, 15.47",
      "alexnet,      195, 32,  66,  61100840,  0.71",
      "resnet18,     435, 32, 217,  11684712,  1.81",
      "resnet50,     427, 32, 213,  25530472,  4.09",
      "mobilenet_v2, 491, 32, 245,   3487816,  0.30"})
  void finalFeatureMapMatchesPublishedAndMeasured(String net, long rf, long stride, long padding,
      long params, double gmacs) {
    ModelGraph g = Graphs.onnx(net);
    FieldReport r = Graphs.analyze(g, g.fixedSize());
    LayerField f = Graphs.featureMap(g, r);
    for (AxisField a : f.axes()) {
      assertEquals(rf, a.rf(), net + " rf");
      assertEquals(stride, a.stride(), net + " stride");
      assertEquals(padding, a.padding(), net + " padding");
      assertEquals(Graphs.measured(net, "rf"), a.rf(), net + " measured rf");
      assertEquals(Graphs.measured(net, "stride"), a.stride(), net + " measured stride");
      assertEquals(Graphs.measured(net, "padding"), a.padding(), net + " measured padding");
    }
    assertEquals(params, r.params(), net + " params");
    assertEquals(gmacs, r.flops() / 2e9, 0.005, net + " multiply-adds");
  }

  @ParameterizedTest
  @CsvSource({"224, -15.5, 193, 225", "225, 0, 225, 225", "256, -15.5, 225, 257"})
  void resnet50GridIsCentredOnlyAt32kPlus1(long size, double shift, long below, long above) {
    // Distill 2019: with symmetric padding, ResNet's feature grid is centred on inputs of 32k + 1
    ModelGraph g = Graphs.onnx("resnet50");
    FieldReport r = Graphs.analyze(g, size, size);
    assertEquals(shift, Graphs.featureMap(g, r).axis(0).misalignment());
    assertEquals(below, r.alignedSizes()[0][0]);
    assertEquals(above, r.alignedSizes()[0][1]);
  }
}
