"""Interoperability probe for Fovea's Zarr store, run with Debian's python3-zarr.

  interop.py read STORE RAW         read the array (or OME-Zarr image level 0) at STORE with
                                    zarr-python, write its values as little-endian float32 to RAW,
                                    and print its dtype, chunks and compressor id
  interop.py write STORE RAW DTYPE COMPRESSOR SEPARATOR
                                    write a seeded (2, 45, 70) array with zarr-python as an
                                    OME-Zarr image (array at STORE/0), chunks (1, 16, 32); the
                                    values of chunk (1, 1, 1) equal the fill value 7 and that
                                    chunk is not written; dump the values to RAW
"""
import json
import os
import sys

import numcodecs
import numpy as np
import zarr


def read(store, raw):
    path = store
    if not os.path.exists(os.path.join(store, ".zarray")):
        attrs = json.load(open(os.path.join(store, ".zattrs")))
        ms = attrs["multiscales"][0]
        assert ms["version"] == "0.4", ms
        path = os.path.join(store, ms["datasets"][0]["path"])
        print("axes", ",".join(a["name"] for a in ms["axes"]))
    a = zarr.open_array(path, mode="r")
    a[...].astype("<f4").tofile(raw)
    comp = a.compressor.codec_id if a.compressor is not None else "none"
    print("dtype", a.dtype.str, "chunks", ",".join(map(str, a.chunks)), "compressor", comp)


def write(store, raw, dtype, compressor, separator):
    rng = np.random.default_rng(11)
    shape = (2, 45, 70)
    if dtype.endswith("f4"):
        v = (rng.standard_normal(shape) * 1000).astype(dtype)
    else:
        v = rng.integers(0, np.iinfo(np.dtype(dtype)).max + 1, shape).astype(dtype)
    v[1, 16:32, 32:64] = 7
    comp = {
        "default": "default",
        "none": None,
        "zlib": numcodecs.Zlib(level=5),
        "gzip": numcodecs.GZip(level=5),
        "zstd": numcodecs.Zstd(level=3),
        "blosc": numcodecs.Blosc(cname="zstd", clevel=5, shuffle=numcodecs.Blosc.BITSHUFFLE),
    }[compressor]
    kw = {} if comp == "default" else {"compressor": comp}
    root = zarr.open_group(store, mode="w")
    a = root.create_dataset("0", shape=shape, chunks=(1, 16, 32), dtype=dtype, fill_value=7,
                            write_empty_chunks=False, dimension_separator=separator, **kw)
    a[...] = v
    root.attrs["multiscales"] = [{
        "version": "0.4", "name": "python",
        "axes": [{"name": "c", "type": "channel"}, {"name": "y", "type": "space"},
                 {"name": "x", "type": "space"}],
        "datasets": [{"path": "0", "coordinateTransformations": [
            {"type": "scale", "scale": [1.0, 1.0, 1.0]}]}]}]
    v.astype("<f4").tofile(raw)
    print("missing", not os.path.exists(os.path.join(store, "0", separator.join(["1", "1", "1"]))))


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](*sys.argv[2:])
