"""Writes a bioimage.io 0.5 test package of a small 3D network (bczyx): 3x3x3 convolutions, one
dilated in y/x only (an anisotropic receptive field: 5 slices in z, 9 px in y and x), softmax over
three classes. Weights from a fixed seed; test outputs are PyTorch's. ONNX and TorchScript.

Run from this folder with Debian's python3 (torch 1.13, onnx):  /usr/bin/python3 make_package.py
"""
import hashlib

import numpy as np
import torch
from torch import nn


class Small3d(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv3d(1, 4, 3, padding=1)
        self.b = nn.Conv3d(4, 4, 3, padding=(1, 2, 2), dilation=(1, 2, 2))
        self.c = nn.Conv3d(4, 3, 1)

    def forward(self, x):
        return torch.softmax(self.c(torch.relu(self.b(torch.relu(self.a(x))))), dim=1)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    torch.manual_seed(3)
    net = Small3d().eval()
    x = torch.randn(1, 1, 12, 20, 16, generator=torch.Generator().manual_seed(4))
    # the test output is the whole pipeline's: scale_range over z, y, x (numpy's percentiles), then
    # the network
    lo, hi = np.percentile(x.numpy(), [1.0, 99.8])
    with torch.no_grad():
        y = net((x - float(lo)) / (float(hi) - float(lo) + 1e-6))
    np.save("test_input.npy", x.numpy().astype(np.float32))
    np.save("test_output.npy", y.numpy().astype(np.float32))
    torch.onnx.export(net, x, "weights.onnx", opset_version=17, input_names=["raw"],
                      output_names=["probabilities"],
                      dynamic_axes={n: {0: "b", 2: "z", 3: "y", 4: "x"}
                                    for n in ["raw", "probabilities"]})
    torch.jit.trace(net, x).save("weights.pt")
    space = "".join(f"  - type: space\n    id: {a}\n    size: {{min: 4, step: 1}}\n" for a in "zyx")
    follows = "".join(f"  - type: space\n    id: {a}\n    size: {{tensor_id: raw, axis_id: {a}}}\n"
                      f"    halo: {h}\n" for a, h in zip("zyx", (2, 3, 3)))
    with open("rdf.yaml", "w") as f:
        f.write("# Written by make_package.py.\nformat_version: 0.5.3\ntype: model\n"
                "name: small-3d\ndescription: a small 3D network (a test)\n"
                "authors:\n- name: Fovea tests\nlicense: MIT\ninputs:\n"
                "- id: raw\n  axes:\n  - type: batch\n  - type: channel\n"
                "    channel_names: [raw]\n" + space
                + "  test_tensor: {source: test_input.npy}\n"
                "  preprocessing:\n  - id: scale_range\n    kwargs: {axes: [z, y, x],"
                " min_percentile: 1.0, max_percentile: 99.8, eps: 1.0e-6}\n"
                "outputs:\n- id: probabilities\n  axes:\n  - type: batch\n  - type: channel\n"
                "    channel_names: [background, interior, boundary]\n" + follows
                + "  test_tensor: {source: test_output.npy}\n"
                "weights:\n"
                f"  onnx: {{source: weights.onnx, sha256: {sha256('weights.onnx')}, opset_version: 17}}\n"
                f"  torchscript: {{source: weights.pt, sha256: {sha256('weights.pt')},"
                " pytorch_version: '1.13'}\n")
    print("small-3d:", tuple(y.shape))


if __name__ == "__main__":
    main()
