#!/usr/bin/env bash
# The watershed parameters of `fovea instances` searched on held-out synthetic images: eight
# 256 x 256 images from models/training/synth.py with seeds 900000-900007 (training uses seeds from
# 10000), never the evaluation image; with CONDENSED > 0, eight more (seeds 900100-900107) in
# which that mean fraction of nuclei is condensed (synth.generate's condensed=). Needs Debian's
# python3-torch and python3-tifffile.
#   bash bench/watershed-grid.sh [MODEL] [DENSE] [CONDENSED] [MIN-SIZES, e.g. 0,10,20]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir" "${3:-0}" <<'PY'
import sys
import numpy as np
import tifffile
sys.path.insert(0, "models/training")
import synth
condensed = float(sys.argv[2])
sets = [(900000, 0.0, "held")] + ([(900100, condensed, "condensed")] if condensed > 0 else [])
for first, c, name in sets:
    for i in range(8):
        img, lab = synth.generate(first + i, 256, condensed=c)
        tifffile.imwrite(f"{sys.argv[1]}/{name}{i}.tif", img.astype(np.float32))
        tifffile.imwrite(f"{sys.argv[1]}/{name}{i}-labels.tif", lab.astype(np.uint16))
PY
./fovea script bench/watershed-grid.groovy dir="$dir" model="${1:-nuclei-dilated}" dense="${2:-auto}" sizes="${4:-0}"
