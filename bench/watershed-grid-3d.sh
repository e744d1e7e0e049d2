#!/usr/bin/env bash
# The 3D watershed parameters of `fovea instances --model nuclei-3d`, searched on held-out
# synthetic stacks: four 48 x 128 x 128 stacks from models/training/synth3d.py with seeds
# 910000-910003 (training uses seeds from 300000, the shipped evaluation stack 242424), never the
# shipped sample. Needs Debian's python3-torch and python3-tifffile.
#   bash bench/watershed-grid-3d.sh [MODEL] [MIN-SIZES, e.g. 1,10,30]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir" <<'PY'
import sys
import numpy as np
import tifffile
sys.path.insert(0, "models/training")
import synth3d
for i in range(4):
    img, lab = synth3d.generate(910000 + i, (48, 128, 128))
    for name, a in ((f"held{i}.tif", img), (f"held{i}-labels.tif", lab)):
        tifffile.imwrite(f"{sys.argv[1]}/{name}", a.astype(np.uint16), imagej=True,
                         resolution=(1.0, 1.0), metadata={"axes": "ZYX", "spacing": synth3d.Z_STEP})
PY
./fovea script bench/watershed-grid-3d.groovy dir="$dir" model="${1:-nuclei-3d}" sizes="${2:-1}"
