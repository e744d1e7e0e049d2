package org.fovea.plugins.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.frame.Recorder;

/**
 * Run by {@link SegmentMacroIT} and {@link ReceptiveFieldMacroIT} in a real ImageJ 1 (under
 * Xvfb): opens the Recorder, runs {@code Fovea Segment} (or another command) once on an image, and
 * prints what the Recorder wrote. Macro threads are recorded only with {@link
 * Recorder#recordInMacros}; the dialog records the same options when a user runs the command from
 * the menu.
 */
public final class RecordingProbe {

  private RecordingProbe() {}

  /**
   * @param args the image to open, the options to run the command with, and optionally the
   *     command (default {@code Fovea Segment}) and a point {@code X,Y} to select first
   */
  public static void main(String[] args) {
    Recorder recorder = new Recorder(false);
    Recorder.recordInMacros = true;
    ImagePlus imp = IJ.openImage(args[0]);
    if (args.length > 3) {
      String[] xy = args[3].split(",");
      imp.setRoi(new ij.gui.PointRoi(Integer.parseInt(xy[0]), Integer.parseInt(xy[1])));
    }
    IJ.run(imp, args.length > 2 ? args[2] : "Fovea Segment", args[1]);
    System.out.println("RECORDED>>" + recorder.getText() + "<<RECORDED");
    System.exit(0);
  }
}
