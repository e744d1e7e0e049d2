"""Writes the ONNX fixtures of the receptive-field tests (run from this folder with Debian's
python3-torch, python3-torchvision and python3-onnx):

    /usr/bin/python3 make_graphs.py            # every fixture
    /usr/bin/python3 make_graphs.py --skip-measure   # graphs only, keep measured.json
    /usr/bin/python3 make_graphs.py --measure-only   # measured.json only

1. torchvision architectures (random weights) exported with torch.onnx.export, then stripped of
   their weight values: every float initializer keeps its name, dims and data type but loses its
   data, so each file is a few KB and still says everything about the geometry. Small tensors
   (Resize scales, Pad amounts, Clip bounds) keep their values.
2. Small networks with their (seeded, random) weights, which ONNX Runtime can run, for the
   empirical cross-check in Java: a stack of dilated 3x3 convolutions, two-branch networks whose
   branches agree or do not, a small U-Net (models/training/nets.py's UNet with 4 base channels),
   a decoder (transposed convolution, bilinear up-sampling),
   and stride-2 SAME_UPPER convolutions for the alignment seed cases.
3. Bad inputs: an unknown op, a cycle, a model without spatial axes; and a runnable model with a
   layer the analysis does not support (instance normalization).
4. measured.json: for each torchvision network, the receptive field of the final feature map
   measured by autograd on a copy with exact support (all weights 1/fan-in, biases 0, max pooling
   replaced by average pooling of the same geometry, activations by the identity, float64), along the rows of a 1024 x 64 input.
   Rows u and u + 1 of the feature map give lo/hi, hence r = hi - lo + 1, S = lo(u+1) - lo(u) and
   P = u * S - lo(u). These numbers do not come from the Java analysis.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper
import torch
from torch import nn
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "training"))
import nets  # noqa: E402  (models/training/nets.py: the zoo architectures)

OPSET = 13


def strip(path):
    """Drops the values of every float initializer with more than 8 elements (keeps name/dims/type)."""
    m = onnx.load(path)
    for t in m.graph.initializer:
        n = int(np.prod(t.dims)) if len(t.dims) else 1
        if t.data_type in (TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.FLOAT16) and n > 8:
            t.ClearField("raw_data")
            t.ClearField("float_data")
            t.ClearField("double_data")
            t.ClearField("int32_data")
    onnx.save(m, path)


def export(model, shape, name, dynamic=False, keep_weights=False):
    model.eval()
    path = os.path.join(HERE, name + ".onnx")
    x = torch.zeros(*shape)
    axes = {"input": {0: "b", 2: "y", 3: "x"}, "output": {0: "b", 2: "y", 3: "x"}} if dynamic else None
    torch.onnx.export(model, x, path, opset_version=OPSET, input_names=["input"],
                      output_names=["output"], dynamic_axes=axes, do_constant_folding=True)
    if not keep_weights:
        strip(path)
    print(f"{name}.onnx: {os.path.getsize(path)} bytes", flush=True)


ARCHS = {
    "vgg16": lambda: torchvision.models.vgg16(),
    "alexnet": lambda: torchvision.models.alexnet(),
    "resnet18": lambda: torchvision.models.resnet18(),
    "resnet50": lambda: torchvision.models.resnet50(),
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(),
    "resnet152": lambda: torchvision.models.resnet152(),
}


def features(name, model):
    """The part of a torchvision classifier up to its final feature map."""
    if name.startswith("resnet"):
        return nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool, model.layer1,
                             model.layer2, model.layer3, model.layer4)
    return model.features


def exact_support(model):
    """Makes every output depend on every input of its receptive field with a positive weight."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.weight[0].numel()
            nn.init.constant_(m.weight, 1.0 / fan_in)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        if isinstance(m, nn.MaxPool2d):
            m.forward = lambda x, _m=m: nn.functional.avg_pool2d(
                x, _m.kernel_size, _m.stride, _m.padding, _m.ceil_mode)
        if isinstance(m, (nn.ReLU, nn.ReLU6)):
            m.forward = lambda x: x  # inputs are positive; ReLU6 would clip sums above 6
    return model


def measure(name, height=1024, width=64):
    torch.manual_seed(0)
    f = exact_support(features(name, ARCHS[name]())).double().eval()
    x = torch.ones(1, 3, height, width, dtype=torch.float64, requires_grad=True)
    y = f(x)
    u = y.shape[2] // 2
    rows = []
    for v in (u, u + 1):
        g, = torch.autograd.grad(y[0, :, v, :].sum(), x, retain_graph=True)
        nz = torch.nonzero(g[0].abs().sum(dim=(0, 2)) > 0).flatten().tolist()
        rows.append((nz[0], nz[-1]))
    (lo, hi), (lo1, _) = rows
    s = lo1 - lo
    r = hi - lo + 1
    out = {"input": [height, width], "feature_rows": y.shape[2], "u": u, "lo": lo, "hi": hi,
           "lo_next": lo1, "rf": r, "stride": s, "padding": u * s - lo}
    print(name, out, flush=True)
    return out


class TwoBranch(nn.Module):
    """conv 3x3 stride 2 (centre 2v) added to a shortcut: conv 1x1 stride 2 (centre 2v, agrees) or
    2x2 average pooling then conv 1x1 (centre 2v + 0.5, half a pixel off: misaligned)."""

    def __init__(self, misaligned):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.Conv2d(4, 4, 3, padding=1))
        self.short = (nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(1, 4, 1)) if misaligned
                      else nn.Conv2d(1, 4, 1, stride=2))

    def forward(self, x):
        return torch.relu(self.main(x) + self.short(x))


class Decoder(nn.Module):
    """A strided conv, a transposed conv (k 4, s 2, p 1), bilinear up-sampling (half-pixel) and a
    dilated conv: the geometry of decoders, for the empirical cross-check on ONNX Runtime."""

    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.up = nn.ConvTranspose2d(4, 4, 4, stride=2, padding=1)
        self.head = nn.Conv2d(4, 2, 3, padding=2, dilation=2)

    def forward(self, x):
        y = self.up(torch.relu(self.down(x)))
        y = nn.functional.interpolate(y, scale_factor=2.0, mode="bilinear", align_corners=False)
        return self.head(y)


def small_nets():
    torch.manual_seed(1)
    export(nets.DilatedNet(width=4, dilations=(1, 2, 4, 8)), (1, 1, 64, 64), "dilated_stack",
           dynamic=True, keep_weights=True)
    export(TwoBranch(False), (1, 1, 64, 64), "two_branch_agree", dynamic=True, keep_weights=True)
    export(TwoBranch(True), (1, 1, 64, 64), "two_branch_misaligned", dynamic=True,
           keep_weights=True)
    export(nets.UNet(base=4), (1, 1, 64, 64), "unet_small", dynamic=True, keep_weights=True)
    export(Decoder(), (1, 1, 64, 64), "decoder", dynamic=True, keep_weights=True)


def same_conv(name, kernels, pads_mode="SAME_UPPER"):
    """Stride-2 convolutions with auto_pad (what TensorFlow's SAME exports to), 1 channel."""
    rng = np.random.default_rng(7)
    nodes, inits, prev = [], [], "input"
    for i, k in enumerate(kernels):
        w = helper.make_tensor(f"w{i}", TensorProto.FLOAT, [1, 1, k, k],
                               (rng.random(k * k) + 0.5).astype(np.float32).tolist())
        inits.append(w)
        out = "output" if i == len(kernels) - 1 else f"c{i}"
        nodes.append(helper.make_node("Conv", [prev, f"w{i}"], [out], name=f"conv{i}",
                                      kernel_shape=[k, k], strides=[2, 2], auto_pad=pads_mode))
        prev = out
    g = helper.make_graph(nodes, name, [value("input", ["b", 1, "y", "x"])],
                          [value("output", ["b", 1, "v", "u"])], inits)
    save(helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)]), name)


def value(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def save(m, name):
    path = os.path.join(HERE, name + ".onnx")
    onnx.save(m, path)
    print(f"{name}.onnx: {os.path.getsize(path)} bytes", flush=True)


def bad_graphs():
    op = lambda *a, **k: helper.make_node(*a, **k)
    relu = op("Relu", ["input"], ["r"], name="relu")
    mystery = op("FoveaMystery", ["r"], ["output"], name="mystery", domain="org.fovea.test")
    g = helper.make_graph([relu, mystery], "unknown_op", [value("input", [1, 1, 32, 32])],
                          [value("output", [1, 1, 32, 32])])
    save(helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET),
                                             helper.make_opsetid("org.fovea.test", 1)]),
         "unknown_op")
    a = op("Add", ["input", "b"], ["a"], name="add_a")
    b = op("Relu", ["a"], ["b"], name="relu_b")
    c = op("Relu", ["a"], ["output"], name="relu_out")
    g = helper.make_graph([a, b, c], "cycle", [value("input", [1, 1, 32, 32])],
                          [value("output", [1, 1, 32, 32])])
    save(helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)]), "cycle")
    w = helper.make_tensor("w", TensorProto.FLOAT, [4, 16], [0.0] * 64)
    g = helper.make_graph([op("Gemm", ["input", "w"], ["output"], name="dense", transB=1)],
                          "no_spatial", [value("input", [1, 16])], [value("output", [1, 4])], [w])
    save(helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)]), "no_spatial")
    # runs on ONNX Runtime, but its instance normalization makes every output see the whole input:
    # the analysis names it and the command line measures the reach instead
    rng = np.random.default_rng(3)
    w = helper.make_tensor("w", TensorProto.FLOAT, [2, 1, 3, 3], rng.random(18).astype(np.float32))
    s = helper.make_tensor("s", TensorProto.FLOAT, [2], [1.0, 1.0])
    b = helper.make_tensor("b", TensorProto.FLOAT, [2], [0.0, 0.0])
    g = helper.make_graph([op("Conv", ["input", "w"], ["c"], name="conv", kernel_shape=[3, 3],
                              pads=[1, 1, 1, 1]),
                           op("InstanceNormalization", ["c", "s", "b"], ["output"], name="inorm")],
                          "instance_norm", [value("input", ["b", 1, "y", "x"])],
                          [value("output", ["b", 2, "y", "x"])], [w, s, b])
    save(helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)]), "instance_norm")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-measure", action="store_true")
    ap.add_argument("--measure-only", action="store_true")
    a = ap.parse_args()
    torch.manual_seed(0)
    if not a.measure_only:
        for name, make in ARCHS.items():
            export(make(), (1, 3, 224, 224), name)
        small_nets()
        same_conv("same_k3", [3])
        same_conv("same_k2", [2])
        same_conv("same_deep", [3, 3, 3, 3, 3])
        bad_graphs()
    if not a.skip_measure:
        measured = {n: measure(n) for n in ARCHS if n != "resnet152"}
        with open(os.path.join(HERE, "measured.json"), "w") as f:
            json.dump(measured, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
