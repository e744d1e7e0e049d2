#@ File (label="Input image") input
#@ String (label="Model", value="nuclei-dilated") model
#@ File (label="Output folder", style="directory") output
#@ File (label="Ground-truth labels (optional)", required=false) truth
#@output Integer count
#@output Double meanArea
#@output Double f1

# Fovea from Python (Jython): class probabilities, objects and (given ground truth) matching
# scores of one image, saved next to each other in the output folder. Runs in Fiji's script
# editor (with the Fovea jar installed) and headless:
#   ./fovea script macros/segment_and_count.py input=cells.tif output=results
import os
from java.io import File
from org.fovea.plugins import Fovea

imp = Fovea.open(input)
base = os.path.splitext(input.getName())[0]
output.mkdirs()

# fovea.segment: one 32-bit channel per class
Fovea.save(Fovea.segment(imp, model), File(output, base + "-probabilities.tif"))

# fovea.instances: a 16-bit label image and one table row per object
objects = Fovea.instances(imp, model)
Fovea.save(objects.labels(), File(output, base + "-labels.tif"))
Fovea.saveTable(objects, File(output, base + "-objects.csv"))
count = objects.count()
meanArea = objects.meanArea()
print("%s: %d objects, mean area %.1f px" % (input.getName(), count, meanArea))

# fovea.match: F1 at IoU 0.5 against ground truth, when given
f1 = None
if truth is not None:
    s = Fovea.match(objects.labels(), Fovea.open(truth), [0.5])[0]
    f1 = s.f1()
    print("F1 at IoU 0.5 against %s: %.4f" % (truth.getName(), f1))
