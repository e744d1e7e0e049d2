package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fovea.ops.net.FoveaException;
import org.fovea.plugins.fiji.Probabilities;
import org.fovea.plugins.fiji.SegmentImage;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandService;

/** What the bridge checks before it shows a dialog (the dialog itself needs a display). */
class BridgedCommandTest {

  private final BridgedCommand segment =
      new BridgedCommand(BridgeContext.get(), SegmentImage.class, "Fovea Segment");

  @Test
  void theMacroKeysAreTheCommandsTextAndNumberInputsInOrder() {
    var info = BridgeContext.get().service(CommandService.class).getCommand(SegmentImage.class);
    assertEquals(List.of("model", "engine", "tile", "device", "dense", "precision", "no_verify"),
        MacroInputs.of(info).stream().map(i -> i.getName()).toList());
    assertEquals("image", MacroInputs.image(info));
  }

  @Test
  void anUnknownKeyIsRefusedBeforeAnythingRuns() {
    FoveaException e = assertThrows(FoveaException.class, () -> segment.run(
        Probabilities.sampleCrop(0, 0, 64, 64), "model=[nuclei-dilated] device=cpu gpus=2"));
    assertEquals("unknown option 'gpus' (the options are model, engine, tile, device, dense, precision,"
        + " no_verify):"
        + " correct the run(\"Fovea Segment\", ...) line", e.getMessage());
  }

  @Test
  void withNoImageOpenItSaysSo() {
    FoveaException e = assertThrows(FoveaException.class, () -> segment.run(null, "tile=256"));
    assertEquals("no image is open: open one first", e.getMessage());
  }
}
