"""Writes a half-resolution star-convex test package (StarDist's grid 2 shape) from the shipped
nuclei-star weights: the same network followed by 2x2 average pooling, so that the object
probability and the ray distances (still in input pixels) come one per 2 x 2 block. Not a model to
use: a fixture for Fovea's tests of outputs at half resolution through `fovea instances`.

Run from this folder with Debian's python3 (torch 1.13, onnx):  /usr/bin/python3 make_package.py
"""
import os
import sys

import numpy as np
import onnx
import onnx.helper
import torch

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "../../../../.."))
sys.path.insert(0, os.path.join(root, "models", "training"))
import synth  # noqa: E402

zoo = os.path.join(root, "models", "zoo", "nuclei-star")


def main():
    # the test output from PyTorch (the TorchScript weights, then 2x2 average pooling) ...
    net = torch.jit.load(os.path.join(zoo, "weights.pt")).eval()
    raw = np.load(os.path.join(zoo, "test_input.npy"))
    x = torch.from_numpy(synth.normalize(raw[0, 0])[None, None].astype(np.float32))
    with torch.no_grad():
        out = torch.nn.functional.avg_pool2d(net(x), 2).numpy().astype(np.float32)
    np.save(os.path.join(here, "test_input.npy"), raw)
    np.save(os.path.join(here, "test_output.npy"), out)
    # ... and the weights: the ONNX graph with one AveragePool appended to its output
    m = onnx.load(os.path.join(zoo, "weights.onnx"))
    g = m.graph
    g.output[0].name = "prob_dist"
    for n in g.node:
        for i, o in enumerate(n.output):
            if o == "prob_dist":
                n.output[i] = "prob_dist_full"
    g.node.append(onnx.helper.make_node("AveragePool", ["prob_dist_full"], ["prob_dist"],
                                        kernel_shape=[2, 2], strides=[2, 2]))
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(here, "weights.onnx"))
    with open(os.path.join(zoo, "rdf.yaml")) as f:
        rdf = f.read()
    rdf = rdf.replace("name: nuclei-star\n", "name: star-grid2\n")
    # outputs: one per 2 x 2 block; the halo is in output pixels
    rdf = rdf.replace("          axis_id: y\n        halo: 51\n",
                      "          axis_id: y\n        halo: 26\n        scale: 2.0\n")
    rdf = rdf.replace("          axis_id: x\n        halo: 51\n",
                      "          axis_id: x\n        halo: 26\n        scale: 2.0\n")
    head, weights = rdf.split("weights:\n")
    rdf = head + "weights:\n  onnx:\n    source: weights.onnx\n    opset_version: 17\n"
    rdf = rdf.replace("# Written by models/training/export.py; do not edit by hand.\n",
                      "# Written by make_package.py from nuclei-star's rdf.yaml.\n")
    assert rdf.count("scale: 2.0") == 2, rdf
    with open(os.path.join(here, "rdf.yaml"), "w") as f:
        f.write(rdf)
    print("star-grid2:", out.shape)


if __name__ == "__main__":
    main()
