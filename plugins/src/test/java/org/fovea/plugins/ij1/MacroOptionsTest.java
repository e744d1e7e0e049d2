package org.fovea.plugins.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.Macro;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;

/** Options strings read as ImageJ 1 reads them, and unknown keys named. */
class MacroOptionsTest {

  @Test
  void readsPlainBracketedQuotedAndBareKeys() {
    Map<String, String> m = MacroOptions.parse(
        "model=[my [best] model] Tile=128 engine='onnx' fast device=cpu ");
    assertEquals(List.of("model", "tile", "engine", "fast", "device"), List.copyOf(m.keySet()));
    assertEquals("my [best] model", m.get("model"));
    assertEquals("128", m.get("tile"));
    assertEquals("onnx", m.get("engine"));
    assertEquals("true", m.get("fast"));
    assertEquals("cpu", m.get("device"));
  }

  @Test
  void agreesWithImageJsOwnReader() {
    String opts = "model=[/data/my models/a.onnx] engine=auto tile=256 device=cpu ";
    MacroOptions.parse(opts).forEach((k, v) -> assertEquals(Macro.getValue(opts, k, null), v));
  }

  @Test
  void anUnknownKeyIsOneSentenceNamingItAndTheKnownKeys() {
    FoveaException e = assertThrows(FoveaException.class, () -> MacroOptions.check(
        "model=[nuclei-dilated] tiles=128", List.of("model", "engine", "tile", "device"),
        "Fovea Segment"));
    assertEquals("unknown option 'tiles' (the options are model, engine, tile, device): correct"
        + " the run(\"Fovea Segment\", ...) line", e.getMessage());
  }

  @Test
  void anUnclosedBracketIsNamed() {
    FoveaException e = assertThrows(FoveaException.class,
        () -> MacroOptions.parse("model=[nuclei tile=1"));
    assertEquals("the value of option 'model' has no closing ']'", e.getMessage());
  }
}
