"""Writes the shipped sample images: synthetic nuclei with their instance labels (16-bit TIFF).

    python3 make_sample.py ../zoo/samples
"""
import os
import sys

import numpy as np
import tifffile

import synth

SAMPLES = {"nuclei-synthetic-512": (424242, 512)}

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (seed, size) in SAMPLES.items():
        img, lab = synth.generate(seed, size)
        tifffile.imwrite(os.path.join(out, name + ".tif"), img, imagej=True,
                         resolution=(1 / 0.5, 1 / 0.5), metadata={"unit": "um"})
        tifffile.imwrite(os.path.join(out, name + "-labels.tif"), lab.astype(np.uint16), imagej=True,
                         resolution=(1 / 0.5, 1 / 0.5), metadata={"unit": "um"})
        print(f"{name}: {size}x{size}, {lab.max()} nuclei, seed {seed}")
