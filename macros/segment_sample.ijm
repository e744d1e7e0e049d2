// Segments an image with Fovea's nuclei-dilated model and saves the class probabilities: a 32-bit
// TIFF hyperstack with one channel (and one LUT) per class, calibrated like the input.
//
//   ImageJ -batch macros/segment_sample.ijm "input.tif,output.tif"
//
// With no argument it segments the shipped sample (found through the fovea.root system property,
// as ./fovea and the tests set it) into the temporary folder. In Fiji the same line works, through
// the ImageJ 1 menu entry Plugins > Fovea > Fovea Segment.
args = getArgument();
if (args == "") {
  root = call("java.lang.System.getProperty", "fovea.root");
  input = root + "/models/zoo/samples/nuclei-synthetic-512.tif";
  output = getDirectory("temp") + "nuclei-synthetic-512-probabilities.tif";
} else {
  parts = split(args, ",");
  input = parts[0];
  output = parts[1];
}
setBatchMode(true);
open(input);
run("Fovea Segment", "model=[nuclei-dilated] engine=auto tile=128 device=auto");
saveAs("Tiff", output);
print("Fovea Segment: " + input + " -> " + output + " (" + nSlices + " classes)");
