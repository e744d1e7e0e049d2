// Which engines Fovea found, their versions and devices, and why a GPU cannot be used: the same
// report as `fovea doctor`, through Plugins > Fovea > Fovea About (in Fiji also Plugins > Fovea >
// About Fovea / Engines). It fills the Results table "Fovea Engines" and prints one line per engine.
//
//   ImageJ -batch macros/about_engines.ijm
run("Fovea About");
for (row = 0; row < Table.size("Fovea Engines"); row++) {
  engine = getResultString("engine", row, "Fovea Engines");
  version = getResultString("version", row, "Fovea Engines");
  status = getResultString("status", row, "Fovea Engines");
  devices = getResultString("devices", row, "Fovea Engines");
  gpu = getResultString("gpu", row, "Fovea Engines");
  if (gpu == "")
    gpu = "usable";
  print("engine " + engine + " " + version + " status=" + status + " devices=" + devices + " gpu=" + gpu);
}
