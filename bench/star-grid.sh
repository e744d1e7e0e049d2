#!/usr/bin/env bash
# The star-convex thresholds of `fovea instances` searched on held-out synthetic images: eight
# 256 x 256 images from models/training/synth.py with seeds 900000-900007 (training uses seeds from
# 10000), never the evaluation image. Every pair runs `fovea instances --method star` on the eight
# images and `fovea match --iou 0.5` on each; TP, FP and FN are pooled over the images.
# Needs Debian's python3-tifffile. Prints one line per pair, best accuracy first.
#   bash bench/star-grid.sh [MODEL] ["PROBS"] ["NMS"]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-nuclei-star}
probs=${2:-0.3 0.4 0.5 0.6 0.7}
nmss=${3:-0.3 0.4 0.5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir" <<'PY'
import sys
import numpy as np
import tifffile
sys.path.insert(0, "models/training")
import synth
for i in range(8):
    img, lab = synth.generate(900000 + i, 256)
    tifffile.imwrite(f"{sys.argv[1]}/held{i}.tif", img.astype(np.float32))
    tifffile.imwrite(f"{sys.argv[1]}/held{i}-truth.tif", lab.astype(np.uint16))
PY
rows=$dir/rows.txt
: > "$rows"
for p in $probs; do
  for n in $nmss; do
    out=$dir/p$p-n$n
    mkdir -p "$out"
    ./fovea instances --model "$model" --method star --prob-threshold "$p" --nms-threshold "$n" \
      -o "$out" "$dir"/held?.tif > /dev/null
    tp=0; fp=0; fn=0
    for i in 0 1 2 3 4 5 6 7; do
      read -r a b c < <(./fovea match --json --iou 0.5 "$out/held$i-labels.tif" "$dir/held$i-truth.tif" \
        | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(r["tp"], r["fp"], r["fn"])')
      tp=$((tp + a)); fp=$((fp + b)); fn=$((fn + c))
    done
    /usr/bin/python3 -c "import sys; p,n,tp,fp,fn=sys.argv[1:3]+[int(v) for v in sys.argv[3:]]; print(f'prob {p} nms {n} {tp:6d} {fp:6d} {fn:6d} {tp/(tp+fp+fn):9.4f} {2*tp/(2*tp+fp+fn):7.4f}')" \
      "$p" "$n" "$tp" "$fp" "$fn" >> "$rows"
  done
done
echo "model $model, 8 held-out images (seeds 900000-900007), IoU 0.5, pooled"
printf '%-20s %6s %6s %6s %9s %7s\n' PARAMETERS TP FP FN ACCURACY F1
sort -k8 -gr "$rows"
