#@ String (label="Folder of held-out synthetic stacks (NAME.tif + NAME-labels.tif)") dir
#@ String (label="Model", value="nuclei-3d") model
#@ String (label="Smallest object sizes (voxels), comma-separated", value="1") sizes

// The 3D watershed parameters, searched on held-out synthetic stacks only (never on the shipped
// evaluation stack): every stack is segmented once, then each parameter set runs the 3D instance
// step and is matched at IoU 0.5 (voxels) against the generator's labels, all stacks pooled.
// Prints one line per set, best accuracy first. bench/watershed-grid-3d.sh makes the stacks.
import org.fovea.io.ImageFiles
import org.fovea.io.image.ImagePlusImgs
import org.fovea.io.instances.VolumeExtraction
import org.fovea.models.ModelRequest
import org.fovea.models.Segmentation
import org.fovea.ops.instances.InstanceParams
import org.fovea.ops.instances.Matching
import org.fovea.ops.instances.volume.VolumeInstances

def images = new File(dir).listFiles().findAll { it.name.endsWith(".tif") && !it.name.contains("-labels") }.sort()
def m = ModelRequest.builder().setModel(model).build().load()
def data = images.collect { f ->
  def imp = ImageFiles.open(f.toPath())
  def p = Segmentation.probabilities(m, ImagePlusImgs.volume(imp, 1), 0)
  int n = (int) (p.dimension(0) * p.dimension(1) * p.dimension(2) * p.dimension(3))
  float[] prob = new float[n]
  int i = 0
  for (t in net.imglib2.view.Views.flatIterable(p)) { prob[i++] = t.get() }
  def truth = VolumeExtraction.read(new File(dir, f.name.replace(".tif", "-labels.tif")).toPath())
  [prob, truth, VolumeExtraction.spacingZ(imp)]
}
def rows = []
def run = { String name, InstanceParams params ->
  int tp = 0, fp = 0, fn = 0
  for (d in data) {
    def t = d[1]
    def l = VolumeInstances.fromSemantic(d[0], t.width(), t.height(), t.depth(), d[2], params)
    def s = Matching.match(l.labels(), t.labels(), 0.5d)[0]
    tp += s.tp(); fp += s.fp(); fn += s.fn()
  }
  rows << [name, tp, fp, fn, tp / (double) (tp + fp + fn), 2 * tp / (double) (2 * tp + fp + fn)]
}
for (size in sizes.split(",").collect { it as long }) {
  def base = InstanceParams.defaults().withSizes(InstanceParams.defaults().minSeedSize(), size, 0)
  for (fg in [0.5d, 0.7d, 0.8d, 0.9d]) {
    for (dyn in [0.25d, 0.5d, 1d, 1.5d, 2d]) {
      run(String.format("distance fg=%.2f dyn=%.2f min=%d", fg, dyn, size),
          base.withSeeds(InstanceParams.Seeds.DISTANCE).withThresholds(0.5d, fg).withMinDynamic(dyn))
    }
    for (seed in [0.5d, 0.7d, 0.9d, 0.95d]) {
      run(String.format("interior fg=%.2f seed=%.2f min=%d", fg, seed, size),
          base.withSeeds(InstanceParams.Seeds.INTERIOR).withThresholds(seed, fg))
    }
  }
}
println "model ${m.pkg().name()}, ${images.size()} stacks, ${data.sum { it[1].count() }} nuclei (labels' maxima)"
println String.format("%-36s %6s %6s %6s %9s %7s", "PARAMETERS", "TP", "FP", "FN", "ACCURACY", "F1")
rows.sort { -it[4] }.each { println String.format("%-36s %6d %6d %6d %9.4f %7.4f", *it) }
m.close()
