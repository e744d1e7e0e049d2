#@ File (label="Input image") input
#@ String (label="Model", value="nuclei-dilated") model
#@ File (label="Output folder", style="directory") output
#@ File (label="Ground-truth labels (optional)", required=false) truth
#@output Integer count
#@output Double meanArea
#@output Double f1

// Fovea from Groovy: class probabilities, objects and (given ground truth) matching scores of one
// image, saved next to each other in the output folder. Runs in Fiji's script editor (with the
// Fovea jar installed) and headless:
//   ./fovea script macros/segment_and_count.groovy input=cells.tif output=results
import org.fovea.plugins.Fovea

def imp = Fovea.open(input)
def base = input.name.replaceFirst(/\.[^.]+$/, "")
output.mkdirs()

// fovea.segment: one 32-bit channel per class
Fovea.save(Fovea.segment(imp, model), new File(output, base + "-probabilities.tif"))

// fovea.instances: a 16-bit label image and one table row per object
def objects = Fovea.instances(imp, model)
Fovea.save(objects.labels(), new File(output, base + "-labels.tif"))
Fovea.saveTable(objects, new File(output, base + "-objects.csv"))
count = objects.count()
meanArea = objects.meanArea()
println "${input.name}: ${count} objects, mean area ${String.format('%.1f', meanArea)} px"

// fovea.match: F1 at IoU 0.5 against ground truth, when given
f1 = null
if (truth != null) {
  def s = Fovea.match(objects.labels(), Fovea.open(truth), 0.5d)[0]
  f1 = s.f1()
  println "F1 at IoU 0.5 against ${truth.name}: ${String.format('%.4f', f1)}"
}
