"""Writes a bioimage.io 0.5 test package with one input and two outputs, the second one holding
the background/interior/boundary classes that the watershed reads: `raw` (one channel) goes in;
`features` (conv3x3, 2 channels) and `probabilities` (softmax of a conv3x3 over 3 classes) come out.
Weights from a fixed seed (the class conv's bias favours background, so objects are sparse); the
test outputs are PyTorch's.

Run from this folder with Debian's python3 (torch 1.13, onnx):  /usr/bin/python3 make_package.py
"""
import numpy as np
import torch
from torch import nn


class TwoOutputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Conv2d(1, 2, 3, padding=1)
        self.c = nn.Conv2d(1, 3, 3, padding=1)

    def forward(self, raw):
        return self.f(raw), torch.softmax(self.c(raw), dim=1)


def main():
    torch.manual_seed(11)
    net = TwoOutputs().eval()
    with torch.no_grad():
        # class 0 background by default; bright pixels go interior, their rims boundary
        net.c.weight.zero_()
        net.c.weight[1, 0, 1, 1] = 6.0
        net.c.weight[2, 0] = torch.tensor([[1.0, 1.0, 1.0], [1.0, -4.0, 1.0], [1.0, 1.0, 1.0]])
        net.c.bias.copy_(torch.tensor([0.0, -3.0, -1.0]))
    raw = torch.randn(1, 1, 40, 36, generator=torch.Generator().manual_seed(12))
    with torch.no_grad():
        features, probabilities = net(raw)
    for name, t in [("raw", raw), ("features", features), ("probabilities", probabilities)]:
        np.save(name + ".npy", t.numpy().astype(np.float32))
    torch.onnx.export(net, raw, "weights.onnx", opset_version=17, input_names=["raw"],
                      output_names=["features", "probabilities"],
                      dynamic_axes={n: {0: "b", 2: "y", 3: "x"}
                                    for n in ["raw", "features", "probabilities"]})
    follows = "".join(f"  - type: space\n    id: {a}\n    size: {{tensor_id: raw, axis_id: {a}}}\n"
                      for a in "yx")
    space = "".join(f"  - type: space\n    id: {a}\n    size: {{min: 8, step: 1}}\n" for a in "yx")

    def tensor(tid, channels, axes):
        return (f"- id: {tid}\n  axes:\n  - type: batch\n  - type: channel\n"
                f"    channel_names: [{', '.join(channels)}]\n{axes}"
                f"  test_tensor: {{source: {tid}.npy}}\n")

    with open("rdf.yaml", "w") as f:
        f.write("# Written by make_package.py.\nformat_version: 0.5.3\ntype: model\n"
                "name: two-outputs\ndescription: one input, two outputs, the second with classes"
                " (a test)\nauthors:\n- name: Fovea tests\nlicense: MIT\ninputs:\n"
                + tensor("raw", ["raw"], space) + "outputs:\n"
                + tensor("features", ["f0", "f1"], follows)
                + tensor("probabilities", ["background", "interior", "boundary"], follows)
                + "weights:\n  onnx: {source: weights.onnx, opset_version: 17}\n")
    print("two-outputs:", features.shape, probabilities.shape)


if __name__ == "__main__":
    main()
