package org.fovea.cli.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.fovea.ops.net.FoveaException;
import org.junit.jupiter.api.Test;

/** The {@code #@} lines of SciJava scripts, read and bound without Fiji. */
class ScriptParametersTest {

  private static final String SCRIPT = String.join("\n",
      "#@ File (label=\"Input image\", style=\"file\") input",
      "#@String(value=\"nuclei-dilated\", label='Model name') model",
      "#@ int (value=3, min=1) runs",
      "#@ double (label=\"Threshold, in [0,1]\", value=0.25) threshold",
      "#@ boolean verbose",
      "#@ String (choices={\"a\",\"b\"}, value=b, required=false) pick",
      "#@ File (required=false) truth",
      "#@output Integer count",
      "#@both String note",
      "print('#@ not a parameter line: this one is code')",
      "");

  @Test
  void parsesTypesNamesAndAttributes() {
    List<ScriptParameter> ps = ScriptParameters.parse(SCRIPT, "s.py");
    assertEquals(List.of("input", "model", "runs", "threshold", "verbose", "pick", "truth",
        "count", "note"), ps.stream().map(ScriptParameter::name).toList());
    assertEquals(List.of("File", "String", "int", "double", "boolean", "String", "File",
        "Integer", "String"), ps.stream().map(ScriptParameter::type).toList());
    assertEquals(Map.of("label", "Input image", "style", "file"), ps.get(0).attributes());
    assertEquals(Map.of("value", "nuclei-dilated", "label", "Model name"), ps.get(1).attributes());
    assertEquals("Threshold, in [0,1]", ps.get(3).attributes().get("label"));
    assertEquals("{\"a\",\"b\"}", ps.get(5).attributes().get("choices"));
    assertEquals("b", ps.get(5).defaultValue());
    assertFalse(ps.get(6).required());
    assertFalse(ps.get(7).isInput());
    assertTrue(ps.get(7).isOutput());
    assertTrue(ps.get(8).isInput() && ps.get(8).isOutput());
    assertEquals(9, ps.get(8).line());
  }

  @Test
  void bindsGivenValuesAndDefaults() {
    List<ScriptParameter> ps = ScriptParameters.parse(SCRIPT, "s.py");
    Map<String, Object> v = ScriptParameters.values(ps,
        Map.of("input", "a/b.tif", "runs", "7", "verbose", "true", "note", "hi"), "s.py");
    assertEquals(new File("a/b.tif"), v.get("input"));
    assertEquals("nuclei-dilated", v.get("model"));
    assertEquals(7, v.get("runs"));
    assertEquals(0.25, v.get("threshold"));
    assertEquals(Boolean.TRUE, v.get("verbose"));
    assertEquals("b", v.get("pick"));
    assertNull(v.get("truth"));
    assertEquals("hi", v.get("note"));
    assertFalse(v.containsKey("count"));
    assertEquals(Boolean.FALSE, ScriptParameters.values(ps, Map.of("input", "x", "note", "n"),
        "s.py").get("verbose"));
  }

  @Test
  void badValuesAreOneSentence() {
    List<ScriptParameter> ps = ScriptParameters.parse(SCRIPT, "s.py");
    FoveaException missing = assertThrows(FoveaException.class,
        () -> ScriptParameters.values(ps, Map.of("note", "n"), "s.py"));
    assertEquals("s.py needs a value for 'input' (File, Input image): add input=...",
        missing.getMessage());
    FoveaException unknown = assertThrows(FoveaException.class,
        () -> ScriptParameters.values(ps, Map.of("input", "x", "note", "n", "inptu", "y"),
            "s.py"));
    assertEquals("s.py has no input 'inptu': its inputs are input, model, runs, threshold,"
        + " verbose, pick, truth, note", unknown.getMessage());
    FoveaException number = assertThrows(FoveaException.class,
        () -> ScriptParameters.values(ps, Map.of("input", "x", "note", "n", "runs", "many"),
            "s.py"));
    assertEquals("s.py: 'many' is not a int for 'runs': give a number", number.getMessage());
    FoveaException service = assertThrows(FoveaException.class, () -> ScriptParameters.values(
        ScriptParameters.parse("#@ LogService log\n", "t.groovy"), Map.of(), "t.groovy"));
    assertTrue(service.getMessage().contains("needs Fiji"), service.getMessage());
    FoveaException line = assertThrows(FoveaException.class,
        () -> ScriptParameters.parse("x = 1\n#@ File (label=\"unclosed input\n", "u.py"));
    assertTrue(line.getMessage().startsWith("line 2 of u.py is not a parameter"),
        line.getMessage());
  }

  @Test
  void stripBlanksParameterLinesAndKeepsLineNumbers() {
    String s = ScriptParameters.strip("#@ File f\nprintln f\n  #@output int n\nn = 1");
    assertEquals("\nprintln f\n\nn = 1", s);
  }
}
