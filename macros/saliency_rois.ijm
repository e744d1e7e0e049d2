// Saliency overlays for every selection in the ROI Manager: for each ROI, the gradient of the
// nuclei-dilated model's "interior" score (class 1), averaged over the ROI, drawn over the image
// with a colour bar and the ROI outlined; saved as OUTPUT_DIR/roi-N.png, with the 32-bit map as
// OUTPUT_DIR/roi-N.tif.
//
//   ImageJ -batch macros/saliency_rois.ijm "OUTPUT_DIR"
//
// The image must be open and the ROIs in the ROI Manager (draw them and press "t", or open a
// RoiSet.zip). In Fiji the same lines work, through Plugins > Fovea > Fovea Saliency Map.
output = getArgument();
if (output == "") {
  output = getDirectory("temp");
}
if (!endsWith(output, "/")) {
  output = output + "/";
}
if (nImages == 0) {
  exit("Fovea saliency_rois: open an image first");
}
n = roiManager("count");
if (n == 0) {
  exit("Fovea saliency_rois: the ROI Manager is empty; add the selections to explain");
}
setBatchMode(true);
image = getImageID();
for (i = 0; i < n; i++) {
  selectImage(image);
  roiManager("select", i);
  run("Fovea Saliency Map", "model=[nuclei-dilated] method=gradient class_index=1 output=overlay");
  saveAs("PNG", output + "roi-" + (i + 1) + ".png");
  close();
  selectImage(image);
  roiManager("select", i);
  run("Fovea Saliency Map", "model=[nuclei-dilated] method=gradient class_index=1 output=map");
  saveAs("Tiff", output + "roi-" + (i + 1) + ".tif");
  close();
  print("Fovea saliency_rois: ROI " + (i + 1) + " of " + n + " -> " + output + "roi-" + (i + 1) + ".png");
}
