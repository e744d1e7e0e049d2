package org.fovea.plugins.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import java.util.Map;
import org.fovea.ops.net.FoveaException;
import org.fovea.plugins.fiji.AboutFovea;
import org.fovea.plugins.fiji.InstanceMasks;
import org.fovea.plugins.fiji.MatchLabels;
import org.fovea.plugins.fiji.ReceptiveFieldOverlay;
import org.fovea.plugins.fiji.ReceptiveFieldTable;
import org.fovea.plugins.fiji.SaliencyMap;
import org.fovea.plugins.fiji.SegmentImage;
import org.scijava.command.Command;

/**
 * The ImageJ 1 face of Fovea's SciJava commands, for plain ImageJ without Fiji's legacy layer.
 * {@code plugins.config} lists one menu entry per command, with the command's key as argument:
 *
 * <pre>{@code
 * run("Fovea Segment", "model=[nuclei-dilated] engine=auto tile=1024 device=auto");
 * run("Fovea Receptive Field Table", "model=[nuclei-dilated] input_size=256,256 format=auto");
 * run("Fovea Receptive Field Overlay", "model=[nuclei-dilated] layer=[] effective");
 * run("Fovea About");
 * run("Fovea Instance Masks", "model=[nuclei-dilated] method=auto engine=auto tile=1024");
 * run("Fovea Match Labels", "prediction=[a-labels] ground_truth=[b] iou=0.5,0.7,0.9");
 * run("Fovea Saliency Map", "model=[nuclei-dilated] method=gradient class_index=1 output=overlay");
 * }</pre>
 *
 * <p>It shows the result (in a macro's batch mode, as the current image) and reports a failure
 * with {@link IJ#error(String, String)}, which aborts a running macro with that sentence (in
 * {@code ImageJ -batch}, on standard error).
 *
 * @since 0.1.0
 */
public final class FoveaBridge implements PlugIn {

  private record Entry(String title, Class<? extends Command> command) {}

  private static final Map<String, Entry> COMMANDS = Map.of(
      "segment", new Entry("Fovea Segment", SegmentImage.class),
      "field-table", new Entry("Fovea Receptive Field Table", ReceptiveFieldTable.class),
      "field-overlay", new Entry("Fovea Receptive Field Overlay", ReceptiveFieldOverlay.class),
      "about", new Entry("Fovea About", AboutFovea.class),
      "instance-masks", new Entry("Fovea Instance Masks", InstanceMasks.class),
      "match-labels", new Entry("Fovea Match Labels", MatchLabels.class),
      "saliency", new Entry("Fovea Saliency Map", SaliencyMap.class));

  /** @param arg the command's key from {@code plugins.config}, e.g. {@code segment} */
  @Override
  public void run(String arg) {
    Entry e = COMMANDS.get(arg);
    if (e == null) {
      fail("Fovea", "no Fovea command '" + arg + "' (known: " + COMMANDS.keySet() + ")");
      return;
    }
    ImagePlus image = WindowManager.getCurrentImage();
    String options = Macro.getOptions();
    try {
      ImagePlus out = BridgeContext.withPluginLoader(() ->
          new BridgedCommand(BridgeContext.get(), e.command(), e.title()).run(image, options));
      if (out != null) {
        out.show();
      }
    } catch (FoveaException ex) {
      fail(e.title(), ex.getMessage());
    }
  }

  /**
   * Stops a running macro with the message. In a command-line batch run ({@code ImageJ -batch},
   * no ImageJ window) nobody could close ImageJ's error dialog, so the message goes to standard
   * error instead and the macro ends without one.
   */
  private static void fail(String title, String message) {
    Interpreter macro = Interpreter.getInstance();
    if (IJ.getInstance() == null && macro != null) {
      System.err.println(title + ": " + message);
      macro.setIgnoreErrors(true);
      macro.abort(message);
    } else {
      IJ.error(title, message);
    }
  }
}
