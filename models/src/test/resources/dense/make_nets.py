"""Writes the strided test nets of Fovea's dense-prediction tests (the a trous rewrite checked
against shift-and-stitch).

Run from this folder with Debian's python3 (torch 1.13, onnx):  /usr/bin/python3 make_nets.py

Each NAME.onnx is opset 17 with dynamic batch, height and width; weights are drawn from a fixed
seed (the tests compare two ways of running the same weights, so training does not matter), and
batch normalizations get drawn running statistics so that they are not identities. The box nets
have known weights: every output is the mean of a k x k window, an independent reference for the
dense geometry. The *_same nets are written with onnx.helper: PyTorch cannot export SAME padding.
"""
import onnx
import torch
import torch.nn as nn


def conv(cin, cout, k, s=1, p=0, groups=1):
    return nn.Conv2d(cin, cout, k, stride=s, padding=p, groups=groups)


class S2Odd(nn.Module):
    """stride-2 3x3 convolution (odd kernel), total stride 2"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(1, 4, 3, 2, 1), nn.ReLU(), conv(4, 4, 3, 1, 1), nn.ReLU(),
                                  conv(4, 2, 1))

    def forward(self, x):
        return self.body(x)


class S4Even(nn.Module):
    """stride-2 convolutions with even kernels (4x4 pad 1, 2x2 pad 0), total stride 4"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(1, 4, 4, 2, 1), nn.ReLU(), conv(4, 4, 2, 2, 0), nn.ReLU(),
                                  conv(4, 4, 3, 1, 1), nn.ReLU(), conv(4, 3, 1))

    def forward(self, x):
        return torch.softmax(self.body(x), dim=1)


class S4Pool(nn.Module):
    """2x2 max pooling and 3x3 average pooling (stride 2, pad 1, padding counted), total stride 4"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(1, 4, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
                                  conv(4, 4, 3, 1, 1), nn.ReLU(),
                                  nn.AvgPool2d(3, stride=2, padding=1), conv(4, 2, 3, 1, 1))

    def forward(self, x):
        return self.body(x)


class S4Depthwise(nn.Module):
    """a stride-2 depthwise 3x3 convolution, then 3x3 max pooling stride 2 pad 1, total stride 4"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(1, 6, 3, 1, 1), nn.ReLU(), conv(6, 6, 3, 2, 1, groups=6),
                                  conv(6, 6, 1), nn.BatchNorm2d(6), nn.ReLU(),
                                  nn.MaxPool2d(3, stride=2, padding=1), conv(6, 2, 3, 1, 1))

    def forward(self, x):
        return self.body(x)


class Basic(nn.Module):
    """ResNet's basic block; a strided one has a strided 1x1 shortcut"""

    def __init__(self, cin, cout, s):
        super().__init__()
        self.c1 = conv(cin, cout, 3, s, 1)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = conv(cout, cout, 3, 1, 1)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = None
        if s != 1 or cin != cout:
            self.short = nn.Sequential(conv(cin, cout, 1, s, 0), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return torch.relu(y + (x if self.short is None else self.short(x)))


class S8Residual(nn.Module):
    """three residual blocks with stride 2 and strided 1x1 shortcuts, total stride 8"""

    def __init__(self):
        super().__init__()
        self.stem = conv(1, 4, 3, 1, 1)
        self.blocks = nn.Sequential(Basic(4, 6, 2), Basic(6, 6, 2), Basic(6, 8, 2))
        self.head = conv(8, 2, 1)

    def forward(self, x):
        return torch.sigmoid(self.head(self.blocks(torch.relu(self.stem(x)))))


class S32Resnet18(nn.Module):
    """ResNet-18's layout (7x7/2 stem, 3x3/2 max pooling, four stages of two basic blocks with
    strides 1, 2, 2, 2), narrow, fully convolutional: a 1x1 head instead of pooling and a dense
    layer. Total stride 32."""

    def __init__(self, w=(4, 4, 6, 6)):
        super().__init__()
        self.stem = nn.Sequential(conv(1, w[0], 7, 2, 3), nn.BatchNorm2d(w[0]), nn.ReLU(),
                                  nn.MaxPool2d(3, stride=2, padding=1))
        layers = []
        c = w[0]
        for i, (cout, s) in enumerate(zip(w, (1, 2, 2, 2))):
            layers += [Basic(c, cout, s), Basic(cout, cout, 1)]
            c = cout
        self.layers = nn.Sequential(*layers)
        self.head = conv(c, 2, 1)

    def forward(self, x):
        return self.head(self.layers(self.stem(x)))


class Box(nn.Module):
    """the mean of each k x k window, at stride s with zero padding p"""

    def __init__(self, k, s, p):
        super().__init__()
        self.c = nn.Conv2d(1, 1, k, stride=s, padding=p, bias=False)
        with torch.no_grad():
            self.c.weight.fill_(1.0 / (k * k))

    def forward(self, x):
        return self.c(x)


class Half(nn.Module):
    """2x2 max pooling between 3x3 convolutions: one output per 2 x 2 block (half resolution)"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(1, 4, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
                                  conv(4, 4, 3, 1, 1), nn.ReLU(), conv(4, 2, 1))

    def forward(self, x):
        return self.body(x)


class Up2(nn.Module):
    """nearest 2x up-sampling between 3x3 convolutions: two outputs per input pixel and axis"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(1, 4, 3, 1, 1), nn.ReLU(),
                                  nn.Upsample(scale_factor=2.0, mode="nearest"),
                                  conv(4, 2, 3, 1, 1))

    def forward(self, x):
        return self.body(x)


NETS = {
    "s2_odd": S2Odd,
    "s4_even": S4Even,
    "s4_pool": S4Pool,
    "s4_depthwise": S4Depthwise,
    "s8_residual": S8Residual,
    "s32_resnet18": S32Resnet18,
    "box5_s4": lambda: Box(5, 4, 2),
    "box4_s2": lambda: Box(4, 2, 1),
    "half": Half,
    "up2": Up2,
}

# nets whose package tests need PyTorch's own output as test tensors: NAME.in.npy, NAME.out.npy
WITH_TENSORS = ("half", "up2")


def randomize_norms(net, g):
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.2)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=g) * 0.1)


def same_nets():
    """Nets with SAME padding at stride 2 (as TensorFlow and Keras export them, which PyTorch
    cannot): odd and even kernels, SAME_UPPER and SAME_LOWER, and a SAME max pooling."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(7)

    def conv(name, x, cin, cout, k, s, pad, mean=False):
        w = (np.full((cout, cin, k, k), 1.0 / (k * k * cin)) if mean
             else rng.normal(0, 0.5, (cout, cin, k, k))).astype(np.float32)
        inits.append(numpy_helper.from_array(w, name + "_w"))
        nodes.append(helper.make_node("Conv", [x, name + "_w"], [name], kernel_shape=[k, k],
                                      strides=[s, s], auto_pad=pad))
        return name

    def relu(x):
        nodes.append(helper.make_node("Relu", [x], [x + "_r"]))
        return x + "_r"

    def model(name, out):
        g = helper.make_graph(nodes, name, [helper.make_tensor_value_info(
            "input", TensorProto.FLOAT, ["b", 1, "y", "x"])], [helper.make_tensor_value_info(
                out, TensorProto.FLOAT, ["b", None, "oy", "ox"])], inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
        m.ir_version = 8
        onnx.checker.check_model(m)
        onnx.save(m, name + ".onnx")
        print(name)

    nodes, inits = [], []
    x = relu(conv("c1", "input", 1, 4, 3, 2, "SAME_UPPER"))
    x = relu(conv("c2", x, 4, 4, 2, 2, "SAME_LOWER"))
    nodes.append(helper.make_node("MaxPool", [x], ["p"], kernel_shape=[3, 3], strides=[2, 2],
                                  auto_pad="SAME_UPPER"))
    model("s8_same", conv("c3", "p", 4, 2, 3, 1, "SAME_UPPER"))
    nodes, inits = [], []
    model("box4_s2_same", conv("box", "input", 1, 1, 4, 2, "SAME_UPPER", mean=True))


def main():
    same_nets()
    for i, (name, make) in enumerate(NETS.items()):
        torch.manual_seed(100 + i)
        net = make()
        randomize_norms(net, torch.Generator().manual_seed(200 + i))
        net.eval()
        x = torch.zeros(1, 1, 64, 64)
        torch.onnx.export(net, x, name + ".onnx", opset_version=17, input_names=["input"],
                          output_names=["output"],
                          dynamic_axes={"input": {0: "b", 2: "y", 3: "x"},
                                        "output": {0: "b", 2: "oy", 3: "ox"}})
        if name in WITH_TENSORS:
            import numpy as np
            t = torch.randn(1, 1, 64, 48, generator=torch.Generator().manual_seed(300 + i))
            with torch.no_grad():
                np.save(name + ".in.npy", t.numpy())
                np.save(name + ".out.npy", net(t).numpy())
        print(name)


if __name__ == "__main__":
    main()
