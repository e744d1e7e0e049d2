#!/usr/bin/env bash
# Rebuilds the shipped demo models and sample image from nothing but this folder's scripts.
# Needs Debian's python3-torch, python3-onnx, python3-tifffile (apt-get install) and the Fovea build.
#   models/training/make_zoo.sh            # about 60 minutes on 2 CPU cores (nuclei-3d: 20-30 of them)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
zoo="$root/models/zoo"
build="$here/build"
py=/usr/bin/python3
cd "$here"
mkdir -p "$build"
$py make_sample.py "$zoo/samples"
[ -f "$zoo/samples/nuclei3d-synthetic-64x128x128.tif" ] || $py make_sample3d.py "$zoo/samples"
[ -f "$build/nuclei-dilated/state.pt" ] || $py train.py --arch dilated --iters 1200 --out "$build/nuclei-dilated"
# second stage: lower learning rate, background weighted up so that the out-of-focus glow stays background
[ -f "$build/nuclei-dilated-ft/state.pt" ] || $py train.py --arch dilated --iters 300 --lr 1e-3 \
  --class-weights 1.5,1,1 --init "$build/nuclei-dilated/state.pt" --out "$build/nuclei-dilated-ft"
[ -f "$build/nuclei-unet/state.pt" ] || $py train.py --arch unet --iters 700 --out "$build/nuclei-unet"
# total stride 8, trained in its dense (a trous) form so that every pixel is labelled
[ -f "$build/nuclei-strided/state.pt" ] || $py train.py --arch strided --iters 800 --crop 96 \
  --out "$build/nuclei-strided"
# star-convex nuclei shaped like StarDist 2D (grid 2, 32 rays, nets.StarGridNet): one one-cycle
# schedule over 6000 iterations or 33 minutes of wall time, whichever is spent first (on shared
# cores the clock ends it; the shipped run's count and time are in nuclei-star/train-log.csv)
[ -f "$build/nuclei-star/state.pt" ] || $py train_star.py --iters 6000 --minutes 33 --batch 8 \
  --crop 128 --images 200 --lr 2e-3 --warmup 0.15 --out "$build/nuclei-star"
# 3D nuclei (z step twice the x/y pixel size): 2000 iterations of 4 crops 24x64x64, about 17 minutes
# alone on 2 CPU cores; the shipped run took 30 minutes (1813 s) while the cores were shared
[ -f "$build/nuclei-3d/state.pt" ] || $py train3d.py --iters 2000 --out "$build/nuclei-3d"
$py export.py --arch dilated --format 0.5 --state "$build/nuclei-dilated-ft/state.pt" --out "$zoo/nuclei-dilated"
$py export.py --arch unet --format 0.4 --state "$build/nuclei-unet/state.pt" --out "$zoo/nuclei-unet"
cat "$build/nuclei-dilated/train-log.csv" > "$zoo/nuclei-dilated/train-log.csv"
tail -n +2 "$build/nuclei-dilated-ft/train-log.csv" | sed 's/^/ft-/' >> "$zoo/nuclei-dilated/train-log.csv"
cp "$build/nuclei-unet/train-log.csv" "$zoo/nuclei-unet/train-log.csv"
$py export.py --arch strided --format 0.5 --state "$build/nuclei-strided/state.pt" --out "$zoo/nuclei-strided"
cp "$build/nuclei-strided/train-log.csv" "$zoo/nuclei-strided/train-log.csv"
# no SavedModel for the 3D model; export3d.py copies its train-log.csv
$py export3d.py --state "$build/nuclei-3d/state.pt" --log "$build/nuclei-3d/train-log.csv" --out "$zoo/nuclei-3d"
# thresholds: the best pair on held-out synthetic images (bash bench/star-grid.sh, BENCHMARKS.md)
$py export.py --arch star --distance-unit 10.0 --thresholds 0.3,0.3 --state "$build/nuclei-star/state.pt" --out "$zoo/nuclei-star"
cp "$build/nuclei-star/train-log.csv" "$zoo/nuclei-star/train-log.csv"
for m in nuclei-dilated nuclei-unet nuclei-star nuclei-strided; do
  rm -rf "$zoo/$m/tf_saved_model"
  # the same weights as a TensorFlow SavedModel, built by TF Java from the ONNX graph
  "$root/fovea" models convert-tf "$zoo/$m/weights.onnx" "$zoo/$m/tf_saved_model"
done
"$root/fovea" models validate nuclei-dilated
"$root/fovea" models validate nuclei-unet
"$root/fovea" models validate nuclei-star
"$root/fovea" models validate nuclei-strided
"$root/fovea" models validate nuclei-3d
