package org.fovea.plugins.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.measure.ResultsTable;
import org.fovea.models.Zoo;
import org.fovea.models.pkg.WeightFormat;
import org.fovea.ops.net.FoveaException;
import org.fovea.ops.rf.LayerField;
import org.fovea.io.field.FieldAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The Results table of the receptive field, and its command run headless. */
class ReceptiveFieldTableTest {

  private static Context context;
  private static CommandService commands;

  @BeforeAll
  static void start() {
    context = new Context();
    commands = context.service(CommandService.class);
  }

  @AfterAll
  static void stop() {
    context.dispose();
  }

  @Test
  void oneRowPerLayerWithTheOutputsFieldLast() {
    FieldAnalysis a = FieldAnalysis.of("nuclei-dilated", null, new long[] {256, 256}, false, null,
        "cpu");
    ResultsTable t = FieldTables.of(a);
    long[] h = Zoo.resolve("nuclei-dilated").outputs().get(0).spec().halo(); // rdf.yaml (.., y, x)
    long halo = h[h.length - 1];
    assertEquals(halo, h[h.length - 2]);
    int last = t.size() - 1;
    assertEquals(a.report().layers().size(), t.size());
    assertEquals("/Softmax", t.getStringValue("layer", last));
    assertEquals(2 * halo + 1, t.getValue("rf_x", last), 0);
    assertEquals(2 * halo + 1, t.getValue("rf_y", last), 0);
    assertEquals(1, t.getValue("stride_x", last), 0);
    assertEquals(halo, t.getValue("padding_y", last), 0);
    assertEquals(halo, t.getValue("reach_before_x", last), 0);
    assertEquals(halo, t.getValue("reach_after_y", last), 0);
    assertEquals(0, t.getValue("misalignment_x", last), 0);
    assertEquals(256, t.getValue("size_x", last), 0);
    for (int i = 0; i < t.size(); i++) {
      LayerField l = a.report().layers().get(i);
      assertEquals(l.name(), t.getStringValue("layer", i));
      assertEquals(l.opType(), t.getStringValue("op", i));
      assertEquals(l.axis(0).rf(), t.getValue("rf_y", i), 0);
      assertEquals(l.axis(1).stride(), t.getValue("stride_x", i), 0);
      assertEquals(l.axis(1).reachAfter(), t.getValue("reach_after_x", i), 0);
    }
    assertEquals(a.report().params(), (long) sum(t, "params"));
    assertEquals(a.report().flops(), sum(t, "flops"), 1);
    assertEquals("Receptive field - nuclei-dilated", FieldTables.title(a));
  }

  @Test
  void theStridedVgg16HasStride32AtPool5() {
    String vgg = java.nio.file.Path.of(System.getProperty("fovea.root"), "models", "src", "test",
        "resources", "graphs", "vgg16.onnx").toString();
    ResultsTable t = FieldTables.of(FieldAnalysis.of(vgg, null, FieldTables.inputSize("224,224"),
        false, null, "cpu"));
    int pool5 = -1;
    for (int i = 0; i < t.size(); i++) {
      pool5 = t.getStringValue("layer", i).equals("/features/features.30/MaxPool") ? i : pool5;
    }
    assertEquals(212, t.getValue("rf_y", pool5), 0);
    assertEquals(32, t.getValue("stride_x", pool5), 0);
    assertEquals(90, t.getValue("padding_x", pool5), 0);
    assertEquals(7, t.getValue("size_x", pool5), 0);
  }

  @Test
  void optionsAreReadOrRefusedWithOneSentence() {
    assertNull(FieldTables.inputSize(" "));
    assertEquals(2, FieldTables.inputSize("128, 96").length);
    assertNull(FieldTables.format("auto"));
    assertEquals(WeightFormat.TENSORFLOW_SAVED_MODEL, FieldTables.format("tensorflow"));
    FoveaException e = assertThrows(FoveaException.class, () -> FieldTables.inputSize("256,-1"));
    assertEquals("input_size=256,-1 is not a list of positive sizes: give one per spatial axis,"
        + " such as 256,256", e.getMessage());
  }

  @Test
  void theCommandRunsHeadlessAndCancelsOnABadFormat() throws Exception {
    var info = commands.getCommand(ReceptiveFieldTable.class);
    assertEquals("Plugins > Fovea > Fovea Receptive Field Table", info.getMenuPath().getMenuString());
    assertTrue(info.canRunHeadless());
    CommandModule m = commands.run(ReceptiveFieldTable.class, true, "model", "nuclei-dilated",
        "input_size", "128,128", "format", "onnx").get();
    assertFalse(m.isCanceled(), m.getCancelReason());
    m = commands.run(ReceptiveFieldTable.class, true, "model", "nuclei-dilated", "format",
        "caffe").get();
    assertTrue(m.isCanceled());
    assertEquals("format=caffe is not a weight format Fovea reads: use auto, onnx, tensorflow or"
        + " torchscript", m.getCancelReason());
  }

  private static double sum(ResultsTable t, String column) {
    double s = 0;
    for (int i = 0; i < t.size(); i++) {
      s += t.getValue(column, i);
    }
    return s;
  }
}
