package org.fovea.cli.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fovea.cli.FoveaCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fovea script FILE key=value ...} on small scripts in both languages. */
class ScriptCommandTest {

  @TempDir
  Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FoveaCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void groovyAndJythonGetTheirInputsAndReportTheirOutputs() throws Exception {
    Path g = tmp.resolve("twice.groovy");
    Files.writeString(g, "#@ int (value=4) n\n#@ String word\n#@output int twice\n"
        + "#@output String shout\ntwice = 2 * n\nshout = word.toUpperCase()\nprintln \"hi\"\n");
    Run r = run("script", g.toString(), "n=21", "word=cell");
    assertEquals(0, r.code(), r.err());
    assertEquals("hi\ntwice=42\nshout=CELL\n", r.out().replace("\r", ""));

    Path py = tmp.resolve("twice.py");
    Files.writeString(py, "#@ int (value=4) n\n#@ File f\n#@output int twice\n"
        + "#@output String name\ntwice = 2 * n\nname = f.getName()\n");
    Run p = run("script", py.toString(), "f=/some/where/img.tif");
    assertEquals(0, p.code(), p.err());
    assertEquals("twice=8\nname=img.tif\n", p.out().replace("\r", ""));
  }

  @Test
  void badArgumentsAndFailingScriptsAreOneSentence() throws Exception {
    Path g = tmp.resolve("fail.groovy");
    Files.writeString(g, "#@ int n\n\nthrow new IllegalStateException(\"no cells here\")\n");
    Run notKv = run("script", g.toString(), "n");
    assertEquals(FoveaCli.USER_ERROR, notKv.code());
    assertEquals("fovea: script input 'n' is not key=value: write for example input=cells.tif",
        notKv.err().strip());
    Run failing = run("script", g.toString(), "n=1");
    assertEquals(FoveaCli.USER_ERROR, failing.code());
    assertTrue(failing.err().strip().startsWith("fovea: script " + g + " failed"),
        failing.err());
    assertTrue(failing.err().strip().endsWith("no cells here"), failing.err());
    Path txt = Files.writeString(tmp.resolve("notes.txt"), "x");
    Run other = run("script", txt.toString());
    assertEquals("fovea: script " + txt + " is neither .groovy nor .py: Fovea runs Groovy and"
        + " Python (Jython) scripts", other.err().strip());
  }
}
