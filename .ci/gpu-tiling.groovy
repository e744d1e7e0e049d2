#@ String (value="nuclei-dilated") model
#@ String (value="onnx") engine
#@ String (value="gpu") device
#@output Double maxdiff

// Tiled equals whole on one device: the shipped sample segmented with 128-pixel tiles and in one
// tile, on the given engine and device; prints and returns the largest difference.
//   ./fovea script .ci/gpu-tiling.groovy model=nuclei-dilated engine=onnx device=gpu
import org.fovea.plugins.Fovea

def root = System.getProperty("fovea.root")
def imp = Fovea.open(root + "/models/zoo/samples/nuclei-synthetic-512.tif")
def tiled = Fovea.segment(imp, model, engine, device, 128).getStack()
def whole = Fovea.segment(imp, model, engine, device, 4096).getStack()
double d = 0
for (int s = 1; s <= whole.getSize(); s++) {
  float[] a = (float[]) tiled.getPixels(s)
  float[] b = (float[]) whole.getPixels(s)
  for (int i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]) as double)
  }
}
maxdiff = d
println String.format(Locale.ROOT, "tiled (128) vs whole: %s %s %s max abs diff %.3g %s", model,
    engine, device, d, d <= 1e-5 ? "pass" : "FAIL (tolerance 1e-5)")
