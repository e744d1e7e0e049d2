"""Writes the shipped 3D sample: a synthetic nuclei z-stack with its instance labels (16-bit ImageJ
TIFF, axes ZYX, x/y pixel size 1 um and z step 2 um, the anisotropy nuclei-3d was trained for).

    python3 make_sample3d.py ../zoo/samples
"""
import os
import sys

import numpy as np
import tifffile

import synth3d

SAMPLES = {"nuclei3d-synthetic-64x128x128": (242424, (64, 128, 128))}  # seeds below the training 300000+


def write(path, stack):
    tifffile.imwrite(path, stack.astype(np.uint16), imagej=True, resolution=(1.0, 1.0),
                     metadata={"axes": "ZYX", "spacing": synth3d.Z_STEP, "unit": "um"})


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (seed, shape) in SAMPLES.items():
        img, lab = synth3d.generate(seed, shape)
        write(os.path.join(out, name + ".tif"), img)
        write(os.path.join(out, name + "-labels.tif"), lab)
        print(f"{name}: {'x'.join(map(str, shape))} (z, y, x), {lab.max()} nuclei, seed {seed}")
