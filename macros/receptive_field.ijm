// The receptive field of Fovea's nuclei-dilated model: its table (one row per layer) saved as CSV,
// and the field of one output pixel drawn on the shipped sample and saved, overlay burned in, as
// PNG: a yellow rectangle of exactly the input pixels that output sees, a red cross at its centre.
//
//   ImageJ -batch macros/receptive_field.ijm "input.tif,table.csv,overlay.png,X,Y"
//
// With no argument it uses the shipped sample (found through the fovea.root system property, as
// ./fovea and the tests set it), writes into the temporary folder and marks pixel (200,150).
// In Fiji the same lines work, through Plugins > Fovea > Fovea Receptive Field Table / Overlay.
args = getArgument();
if (args == "") {
  root = call("java.lang.System.getProperty", "fovea.root");
  args = root + "/models/zoo/samples/nuclei-synthetic-512.tif," + getDirectory("temp")
      + "receptive-field.csv," + getDirectory("temp") + "receptive-field.png,200,150";
}
parts = split(args, ",");
input = parts[0];
csv = parts[1];
png = parts[2];
x = parseInt(parts[3]);
y = parseInt(parts[4]);
setBatchMode(true);

run("Fovea Receptive Field Table", "model=[nuclei-dilated]");
table = "Receptive field - nuclei-dilated";
last = Table.size(table) - 1;
Table.save(csv, table);
print("Fovea Receptive Field Table: output " + Table.getString("layer", last, table) + " rf "
    + getResult("rf_y", last, table) + "," + getResult("rf_x", last, table) + " -> " + csv);

open(input);
makePoint(x, y);
run("Fovea Receptive Field Overlay", "model=[nuclei-dilated] layer=");
run("Select None");
run("Flatten");
saveAs("PNG", png);
print("Fovea Receptive Field Overlay: (" + x + "," + y + ") -> " + png);
