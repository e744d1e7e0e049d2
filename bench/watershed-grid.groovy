#@ String (label="Folder of held-out synthetic images (NAME.tif + NAME-labels.tif)") dir
#@ String (label="Model", value="nuclei-dilated") model
#@ String (label="Dense mode", value="auto") dense
#@ String (label="Smallest object sizes (pixels), comma-separated", value="0") sizes

// The watershed parameters of `fovea instances`, searched on held-out synthetic images only (never
// on the evaluation image): every image is segmented once, then each parameter set runs the
// instance step and is matched at IoU 0.5 against the generator's labels, all images pooled.
// Prints one line per set, best accuracy first. bench/watershed-grid.sh makes the images.
//   ./fovea script bench/watershed-grid.groovy dir=DIR model=nuclei-dilated
import org.fovea.io.ImageFiles
import org.fovea.io.instances.LabelFiles
import org.fovea.models.ModelRequest
import org.fovea.models.Segmentation
import org.fovea.ops.instances.InstanceParams
import org.fovea.ops.instances.Instances
import org.fovea.ops.instances.Matching
import org.fovea.ops.net.Axes
import org.fovea.ops.net.Tensor

def images = new File(dir).listFiles().findAll { it.name.endsWith(".tif") && !it.name.contains("-labels") }.sort()
def m = ModelRequest.builder().setModel(model).optDense(dense).build().load()
def data = images.collect { f ->
  def imp = ImageFiles.open(f.toPath())
  float[] px = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels()
  def p = Segmentation.run(m, new Tensor(Axes.of("bcyx"), [1L, 1L, (long) imp.height, (long) imp.width] as long[], px), 0, null).probabilities()
  def truth = LabelFiles.read(new File(dir, f.name.replace(".tif", "-labels.tif")).toPath())
  [p, truth.labels()]
}
def rows = []
def run = { String name, InstanceParams params ->
  int tp = 0, fp = 0, fn = 0
  for (d in data) {
    def s = Matching.match(Instances.fromSemantic(d[0], params).labels(), d[1], 0.5d)[0]
    tp += s.tp(); fp += s.fp(); fn += s.fn()
  }
  rows << [name, tp, fp, fn, tp / (double) (tp + fp + fn), 2 * tp / (double) (2 * tp + fp + fn)]
}
def base = InstanceParams.defaults()
for (size in sizes.split(",").collect { it as long }) {
  def sized = base.withSizes(base.minSeedSize(), size, 0)
  for (fg in [0.5d, 0.7d, 0.8d, 0.9d, 0.95d]) {
    for (dyn in [0.25d, 0.5d, 0.75d, 1d, 1.5d, 2d]) {
      run(String.format("distance fg=%.2f dyn=%.2f min=%d", fg, dyn, size),
          sized.withSeeds(InstanceParams.Seeds.DISTANCE).withThresholds(0.5d, fg).withMinDynamic(dyn))
    }
    for (seed in [0.5d, 0.7d, 0.9d, 0.95d, 0.98d]) {
      run(String.format("interior fg=%.2f seed=%.2f min=%d", fg, seed, size),
          sized.withSeeds(InstanceParams.Seeds.INTERIOR).withThresholds(seed, fg))
    }
  }
}
println "model ${m.pkg().name()}, ${images.size()} images, ${data.sum { it[1].max() }} nuclei (labels' maxima)"
println String.format("%-36s %6s %6s %6s %9s %7s", "PARAMETERS", "TP", "FP", "FN", "ACCURACY", "F1")
rows.sort { -it[4] }.each { println String.format("%-36s %6d %6d %6d %9.4f %7.4f", *it) }
m.close()
