// Finds the nuclei in every TIFF of a folder with Fovea: class probabilities (Fovea Segment) and
// labelled objects (Fovea Instance Masks). Saves, per image, NAME-probabilities.tif and
// NAME-labels.tif, and one summary table, instances.csv: image, objects, mean area (pixels).
//
//   ImageJ -batch macros/batch_instances.ijm "/path/to/input,/path/to/output"
//
// In Fiji: Plugins > Macros > Run..., with the two folders typed into the argument line, or edit
// the two defaults below.
args = getArgument();
if (args == "") {
  input = getDirectory("Choose the folder of images");
  output = getDirectory("Choose the output folder");
} else {
  parts = split(args, ",");
  input = parts[0];
  output = parts[1];
}
if (!endsWith(input, File.separator)) input = input + File.separator;
if (!endsWith(output, File.separator)) output = output + File.separator;
File.makeDirectory(output);
setBatchMode(true);
files = getFileList(input);
Array.sort(files);
csv = "image,objects,mean_area\n";
for (f = 0; f < files.length; f++) {
  name = files[f];
  if (!(endsWith(toLowerCase(name), ".tif") || endsWith(toLowerCase(name), ".tiff"))) continue;
  stem = substring(name, 0, lastIndexOf(name, "."));
  open(input + name);
  original = getImageID();
  run("Fovea Segment", "model=[nuclei-dilated] engine=auto tile=1024 device=auto");
  saveAs("Tiff", output + stem + "-probabilities.tif");
  close();
  selectImage(original);
  run("Fovea Instance Masks", "model=[nuclei-dilated] method=auto engine=auto tile=1024"
      + " device=auto min_size=10 max_size=0");
  saveAs("Tiff", output + stem + "-labels.tif");
  close();
  n = nResults;
  total = 0;
  for (i = 0; i < n; i++) total = total + getResult("area", i);
  mean = 0;
  if (n > 0) mean = total / n;
  csv = csv + name + "," + n + "," + d2s(mean, 3) + "\n";
  selectImage(original);
  close();
  print("Fovea: " + name + ": " + n + " objects");
}
File.saveString(csv, output + "instances.csv");
print("Fovea: wrote " + output + "instances.csv");
