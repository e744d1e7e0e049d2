"""Writes a bioimage.io 0.5 test package with two inputs and two outputs (the shape the issue's
two-input, two-output example has): `raw` (one channel) and `mask` (one channel, the size of raw)
go in; `mixed` = conv3x3(raw) + conv1x1(mask) (2 channels) and `gated` = sigmoid(conv3x3(raw)) *
mask (1 channel) come out, as ONNX and TorchScript. Weights from a fixed seed; the test outputs
are PyTorch's.

Run from this folder with Debian's python3 (torch 1.13, onnx):  /usr/bin/python3 make_package.py
"""
import numpy as np
import torch
from torch import nn


class TwoInTwoOut(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 2, 3, padding=1)
        self.b = nn.Conv2d(1, 2, 1)
        self.g = nn.Conv2d(1, 1, 3, padding=1)

    def forward(self, raw, mask):
        return self.a(raw) + self.b(mask), torch.sigmoid(self.g(raw)) * mask


def main():
    torch.manual_seed(5)
    net = TwoInTwoOut().eval()
    raw = torch.randn(1, 1, 40, 36, generator=torch.Generator().manual_seed(6))
    mask = (torch.rand(1, 1, 40, 36, generator=torch.Generator().manual_seed(7)) > 0.5).float()
    with torch.no_grad():
        mixed, gated = net(raw, mask)
    for name, t in [("raw", raw), ("mask", mask), ("mixed", mixed), ("gated", gated)]:
        np.save(name + ".npy", t.numpy().astype(np.float32))
    torch.onnx.export(net, (raw, mask), "weights.onnx", opset_version=17,
                      input_names=["raw", "mask"], output_names=["mixed", "gated"],
                      dynamic_axes={n: {0: "b", 2: "y", 3: "x"}
                                    for n in ["raw", "mask", "mixed", "gated"]})
    torch.jit.trace(net, (raw, mask)).save("weights.pt")
    space = "".join(f"  - type: space\n    id: {a}\n    size: {{min: 8, step: 1}}\n"
                    for a in "yx")
    follows = "".join(f"  - type: space\n    id: {a}\n    size: {{tensor_id: raw, axis_id: {a}}}\n"
                      for a in "yx")

    def tensor(tid, channels, axes):
        return (f"- id: {tid}\n  axes:\n  - type: batch\n  - type: channel\n"
                f"    channel_names: [{', '.join(channels)}]\n{axes}"
                f"  test_tensor: {{source: {tid}.npy}}\n")

    with open("rdf.yaml", "w") as f:
        f.write("# Written by make_package.py.\nformat_version: 0.5.3\ntype: model\n"
                "name: two-in-two-out\ndescription: two inputs and two outputs (a test)\n"
                "authors:\n- name: Fovea tests\nlicense: MIT\ninputs:\n"
                + tensor("raw", ["raw"], space) + tensor("mask", ["mask"], follows)
                + "outputs:\n" + tensor("mixed", ["m0", "m1"], follows)
                + tensor("gated", ["gated"], follows)
                + "weights:\n  onnx: {source: weights.onnx, opset_version: 17}\n"
                + "  torchscript: {source: weights.pt, pytorch_version: 1.13}\n")
    print("two-in-two-out:", mixed.shape, gated.shape)


if __name__ == "__main__":
    main()
