#!/usr/bin/env bash
# The watershed parameters of `fovea instances` searched on held-out synthetic images: eight
# 256 x 256 images from models/training/synth.py with seeds 900000-900007 (training uses seeds from
# 10000), never the evaluation image. Needs Debian's python3-torch and python3-tifffile.
#   bash bench/watershed-grid.sh [MODEL] [DENSE]
set -euo pipefail
cd "$(dirname "$0")/.."
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
    tifffile.imwrite(f"{sys.argv[1]}/held{i}-labels.tif", lab.astype(np.uint16))
PY
./fovea script bench/watershed-grid.groovy dir="$dir" model="${1:-nuclei-dilated}" dense="${2:-auto}"
