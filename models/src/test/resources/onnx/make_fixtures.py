"""Writes the tiny ONNX fixtures of Fovea's ONNX reader and ONNX-to-SavedModel tests.

Run from this folder with Debian's python3 (torch 1.13, onnx):  /usr/bin/python3 make_fixtures.py

For each net NAME it writes NAME.onnx (opset 17, dynamic batch, height and width) and
NAME.expected.txt, the facts the Java tests check, one per line:
  opset V
  input NAME DIM...        (a symbolic dim is written as -1:PARAM)
  output NAME DIM...
  node NAME OPTYPE inputs=A,B outputs=C
  attr NODE KEY V1,V2,...  (int, ints, float, string, or a tensor's values as floats)
  init NAME DTYPE dims=D1,D2 first=V1,V2,... (first values, float32 written exactly)

For the nets that Fovea converts it also writes NAME.grad.bin: PyTorch's gradient of
sum(net(x) * w) with respect to x, little-endian float32, for the 1x1x24x20 input x and the
output-shaped weights w of probe() (integer formulas that Java reproduces exactly).
"""
import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn as nn


class Dilated(nn.Module):
    """conv d=1,2,4 + relu, then 1x1 conv and softmax over 4 classes."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 4, 3, padding=1, dilation=1)
        self.c2 = nn.Conv2d(4, 4, 3, padding=2, dilation=2)
        self.c3 = nn.Conv2d(4, 4, 3, padding=4, dilation=4)
        self.head = nn.Conv2d(4, 4, 1)

    def forward(self, x):
        x = torch.relu(self.c1(x))
        x = torch.relu(self.c2(x))
        x = torch.relu(self.c3(x))
        return torch.softmax(self.head(x), dim=1)


class UNet(nn.Module):
    """conv, maxpool 2, conv, nearest upsample x2, concat skip, conv, softmax."""

    def __init__(self):
        super().__init__()
        self.e1 = nn.Conv2d(1, 4, 3, padding=1)
        self.e2 = nn.Conv2d(4, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.d1 = nn.Conv2d(12, 3, 3, padding=1)

    def forward(self, x):
        a = torch.relu(self.e1(x))
        b = torch.relu(self.e2(self.pool(a)))
        u = torch.cat([self.up(b), a], dim=1)
        return torch.softmax(self.d1(u), dim=1)


class Residual(nn.Module):
    """strided conv, depthwise conv, sigmoid, add, padded maxpool 3 stride 1."""

    def __init__(self):
        super().__init__()
        self.s = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(4, 4, 3, padding=2, dilation=2, groups=4)
        self.g = nn.Conv2d(4, 6, 3, padding=1, groups=2)
        self.pool = nn.MaxPool2d(3, stride=1, padding=1)
        self.head = nn.Conv2d(6, 2, 1)

    def forward(self, x):
        a = self.s(x)
        b = a + torch.sigmoid(self.dw(a))
        return self.head(self.pool(torch.relu(self.g(b))))


class Unsupported(nn.Module):
    """A transposed convolution, which OnnxToSavedModel does not convert."""

    def __init__(self):
        super().__init__()
        self.t = nn.ConvTranspose2d(1, 2, 2, stride=2)

    def forward(self, x):
        return self.t(x)


def probe(n, mult, mod):
    """Deterministic values in [-1, 1): ((i * mult) % mod) / (mod / 2) - 1, as float32."""
    i = np.arange(n, dtype=np.int64)
    return ((i * mult) % mod / (mod / 2.0) - 1.0).astype(np.float32)


def write_gradient(name, net):
    x = torch.from_numpy(probe(24 * 20, 7919, 2003).reshape(1, 1, 24, 20)).requires_grad_(True)
    y = net(x)
    w = torch.from_numpy(probe(y.numel(), 104729, 3001).reshape(y.shape))
    (y * w).sum().backward()
    x.grad.numpy().astype("<f4").tofile(name + ".grad.bin")


def export(name, net):
    torch.manual_seed({"dilated": 1, "unet": 2, "residual": 3, "unsupported": 4}[name])
    for p in net.parameters():  # non-trivial weights, reproducible
        nn.init.uniform_(p, -0.5, 0.5)
    net.eval()
    dyn = {0: "batch", 2: "height", 3: "width"}
    torch.onnx.export(net, torch.zeros(1, 1, 16, 16), name + ".onnx", opset_version=17,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": dyn, "output": dyn}, do_constant_folding=True)
    model = onnx.load(name + ".onnx")
    onnx.checker.check_model(model)
    g = model.graph
    lines = ["opset %d" % model.opset_import[0].version]
    for kind, vis in (("input", g.input), ("output", g.output)):
        for vi in vis:
            dims = [str(d.dim_value) if d.HasField("dim_value") else "-1:" + d.dim_param
                    for d in vi.type.tensor_type.shape.dim]
            lines.append(" ".join([kind, vi.name] + dims))
    for n in g.node:
        lines.append("node %s %s inputs=%s outputs=%s" % (n.name, n.op_type, ",".join(n.input),
                                                         ",".join(n.output)))
        for a in n.attribute:
            if a.type == onnx.AttributeProto.INTS:
                lines.append("attr %s %s %s" % (n.name, a.name, ",".join(map(str, a.ints))))
            elif a.type == onnx.AttributeProto.INT:
                lines.append("attr %s %s %d" % (n.name, a.name, a.i))
            elif a.type == onnx.AttributeProto.FLOAT:
                lines.append("attr %s %s %r" % (n.name, a.name, a.f))
            elif a.type == onnx.AttributeProto.STRING:
                lines.append("attr %s %s %s" % (n.name, a.name, a.s.decode()))
            elif a.type == onnx.AttributeProto.TENSOR:
                v = numpy_helper.to_array(a.t).ravel()
                lines.append("attr %s %s %s" % (n.name, a.name,
                                                ",".join(repr(float(x)) for x in v)))
    for t in g.initializer:
        v = numpy_helper.to_array(t).ravel()
        first = ",".join(repr(float(x)) for x in v[:5])
        lines.append("init %s %d dims=%s first=%s" % (t.name, t.data_type,
                                                     ",".join(map(str, t.dims)), first))
    if name != "unsupported":
        write_gradient(name, net)
    with open(name + ".expected.txt", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    export("dilated", Dilated())
    export("unet", UNet())
    export("residual", Residual())
    export("unsupported", Unsupported())
