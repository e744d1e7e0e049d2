package org.fovea.plugins.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.frame.Recorder;

/**
 * Run by {@link SegmentMacroIT} in a real ImageJ 1 (under Xvfb): opens the Recorder, runs
 * {@code Fovea Segment} once on an image, and prints what the Recorder wrote. Macro threads are
 * recorded only with {@link Recorder#recordInMacros}; the dialog records the same options when a
 * user runs the command from the menu.
 */
public final class RecordingProbe {

  private RecordingProbe() {}

  /**
   * @param args the image to open, then the options to run the command with
   */
  public static void main(String[] args) {
    Recorder recorder = new Recorder(false);
    Recorder.recordInMacros = true;
    ImagePlus imp = IJ.openImage(args[0]);
    IJ.run(imp, "Fovea Segment", args[1]);
    System.out.println("RECORDED>>" + recorder.getText() + "<<RECORDED");
    System.exit(0);
  }
}
