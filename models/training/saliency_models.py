"""Tiny networks with closed-form saliency, exported as TorchScript and ONNX (opset 17) for the
saliency tests in models/src/test/java/org/fovea/models/saliency/.

    /usr/bin/python3 models/training/saliency_models.py models/src/test/resources/saliency

- linear:  one 5x5 convolution, 1 -> 2 channels, zero padding 2, with bias. The gradient of
           output (c, y, x) is the kernel of channel c placed at (y, x); each input pixel
           contributes weight * value exactly.
- relu:    3x3 conv (1 -> 6), ReLU, 3x3 conv (6 -> 6), ReLU, 1x1 conv (6 -> 2): piecewise linear,
           for the completeness of Integrated Gradients.
- dilated: 3x3 conv dilation 2 (1 -> 4), sigmoid, 3x3 conv dilation 4 (4 -> 2): smooth, for
           gradients through dilated convolutions on every engine.

The weights are drawn from a fixed seed; nothing is trained. The TensorFlow SavedModels are
built from the ONNX files by the project's converter at test time.
"""
import os
import sys

import torch
from torch import nn


def linear():
    return nn.Sequential(nn.Conv2d(1, 2, 5, padding=2, bias=True))


def relu():
    return nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(6, 6, 3, padding=1), nn.ReLU(), nn.Conv2d(6, 2, 1))


def dilated():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=2, dilation=2), nn.Sigmoid(),
                         nn.Conv2d(4, 2, 3, padding=4, dilation=4))


def export(model, out, name):
    model.eval()
    x = torch.randn(1, 1, 32, 32)
    ts = torch.jit.trace(model, x)
    ts.save(os.path.join(out, name + ".pt"))
    torch.onnx.export(model, x, os.path.join(out, name + ".onnx"), opset_version=17,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "b", 2: "h", 3: "w"},
                                    "output": {0: "b", 2: "h", 3: "w"}})
    # the kernel and bias of the linear model and of the ReLU net's 1x1 head, for closed forms
    if name in ("linear", "relu"):
        conv = model[-1]
        with open(os.path.join(out, name + ".weights.txt"), "w") as f:
            f.write(" ".join("%.9g" % v for v in conv.weight.detach().flatten().tolist()) + "\n")
            f.write(" ".join("%.9g" % v for v in conv.bias.detach().flatten().tolist()) + "\n")


def main(out):
    os.makedirs(out, exist_ok=True)
    for seed, (name, make) in enumerate([("linear", linear), ("relu", relu),
                                         ("dilated", dilated)]):
        torch.manual_seed(1234 + seed)
        export(make(), out, name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "models/src/test/resources/saliency")
