"""Writes one small bioimage.io 0.5 test package per shape family that real packages have (issue
14): a size on a step grid, one fixed size, a half-resolution output (StarDist's grid 2), a 2x
output, a batch axis fixed at 1, and packages whose only weights Fovea cannot run (a PyTorch state
dict, a Keras HDF5 file). Random weights from fixed seeds, ONNX and TorchScript; the test outputs
are PyTorch's. `families.json` records, per package, the receptive field computed here from the
layer list by the textbook recurrence (independently of Fovea), which the tests compare with
`fovea field`. Not models to use: fixtures for `PackageFamiliesTest`.

Run from this folder with Debian's python3 (torch 1.13, onnx):  /usr/bin/python3 make_families.py
"""
import json
import os

import numpy as np
import torch
from torch import nn

here = os.path.dirname(os.path.abspath(__file__))


def conv(cin, cout, k=3, dilation=1, stride=1):
    return nn.Conv2d(cin, cout, k, stride=stride, dilation=dilation,
                     padding=dilation * (k - 1) // 2)


def field(layers):
    """Receptive field and input stride of a chain of (kernel, stride, dilation) layers, an
    upsampling by u given as (0, 1/u, 1): r += (k - 1) * d * j, j *= s."""
    r, j = 1.0, 1.0
    for k, s, d in layers:
        if k > 0:
            r += (k - 1) * d * j
        j *= s
    return r


FAMILIES = {
    # name: (layers as modules, layer list for the field, input size spec, output scale,
    #        test size (h, w), batch size)
    "param": (lambda: [conv(1, 8), nn.ReLU(), conv(8, 8, dilation=2), nn.ReLU(), conv(8, 2, 1)],
              [(3, 1, 1), (3, 1, 2), (1, 1, 1)], "{min: 16, step: 1}", 1.0, (40, 36), None),
    "fixed": (lambda: [conv(1, 8), nn.ReLU(), conv(8, 8, dilation=2), nn.ReLU(), conv(8, 2, 1)],
              [(3, 1, 1), (3, 1, 2), (1, 1, 1)], "48", 1.0, (48, 48), None),
    "half": (lambda: [conv(1, 8), nn.ReLU(), conv(8, 8, stride=2), nn.ReLU(), conv(8, 2, 1)],
             [(3, 1, 1), (3, 2, 1), (1, 1, 1)], "{min: 16, step: 2}", 2.0, (40, 36), None),
    "up2": (lambda: [conv(1, 8), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
                     conv(8, 2)],
            [(3, 1, 1), (0, 0.5, 1), (3, 1, 1)], "{min: 16, step: 1}", 0.5, (40, 36), None),
    "batch1": (lambda: [conv(1, 8), nn.ReLU(), conv(8, 2, dilation=3)],
               [(3, 1, 1), (3, 1, 3)], "{min: 16, step: 1}", 1.0, (40, 36), 1),
}


def rdf(name, size, scale, batch, weights):
    space_in = "".join(f"  - type: space\n    id: {a}\n    size: {size}\n" for a in "yx")
    scaled = "" if scale == 1.0 else f"    scale: {scale}\n"
    space_out = "".join(f"  - type: space\n    id: {a}\n    size: {{tensor_id: input, axis_id:"
                        f" {a}}}\n{scaled}" for a in "yx")
    b = "  - type: batch\n" + (f"    size: {batch}\n" if batch else "")
    return (f"# Written by make_families.py.\nformat_version: 0.5.3\ntype: model\nname: {name}\n"
            f"description: shape family '{name}' (a test)\nauthors:\n- name: Fovea tests\n"
            "license: MIT\ninputs:\n- id: input\n  axes:\n" + b
            + "  - type: channel\n    channel_names: [raw]\n" + space_in
            + "  test_tensor: {source: test_input.npy}\noutputs:\n- id: output\n  axes:\n" + b
            + "  - type: channel\n    channel_names: [a, b]\n" + space_out
            + "  test_tensor: {source: test_output.npy}\nweights:\n" + weights)


def main():
    facts = {}
    for i, (name, (make, layers, size, scale, (h, w), batch)) in enumerate(FAMILIES.items()):
        # 'fixed' has the weights of 'param': the same network declared with one input size
        torch.manual_seed(100 if name == "fixed" else 100 + i)
        net = nn.Sequential(*make()).eval()
        x = torch.randn(1, 1, h, w, generator=torch.Generator().manual_seed(200 + i))
        with torch.no_grad():
            y = net(x)
        d = os.path.join(here, name)
        os.makedirs(d, exist_ok=True)
        np.save(os.path.join(d, "test_input.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(d, "test_output.npy"), y.numpy().astype(np.float32))
        dyn = {} if size.isdigit() else {n: {2: "y", 3: "x"} for n in ["input", "output"]}
        if batch is None:
            for n in ["input", "output"]:
                dyn.setdefault(n, {})[0] = "b"
        torch.onnx.export(net, x, os.path.join(d, "weights.onnx"), opset_version=17,
                          input_names=["input"], output_names=["output"], dynamic_axes=dyn)
        torch.jit.trace(net, x).save(os.path.join(d, "weights.pt"))
        with open(os.path.join(d, "rdf.yaml"), "w") as f:
            f.write(rdf(name, size, scale, batch,
                        "  onnx: {source: weights.onnx, opset_version: 17}\n"
                        "  torchscript: {source: weights.pt, pytorch_version: 1.13}\n"))
        facts[name] = {"rf": field(layers), "output_scale": scale, "test_size": [h, w]}
        print(name, tuple(y.shape), "rf", field(layers))
    # packages with only weights Fovea cannot run: the description is all a refusal needs
    for name, entry in {
            "state_dict": "  pytorch_state_dict:\n    source: weights.pt\n"
                          "    architecture: {callable: Net, source: net.py}\n"
                          "    pytorch_version: 1.13\n",
            "keras": "  keras_hdf5: {source: weights.h5, tensorflow_version: 2.15}\n"}.items():
        d = os.path.join(here, name)
        os.makedirs(d, exist_ok=True)
        src = os.path.join(here, "param")
        for f in ["test_input.npy", "test_output.npy"]:
            with open(os.path.join(src, f), "rb") as a, open(os.path.join(d, f), "wb") as b:
                b.write(a.read())
        if name == "state_dict":
            torch.manual_seed(100)
            net = nn.Sequential(*FAMILIES["param"][0]())
            torch.save(net.state_dict(), os.path.join(d, "weights.pt"))
            with open(os.path.join(d, "net.py"), "w") as f:
                f.write("# the architecture of weights.pt (make_families.py, family 'param')\n"
                        "from torch import nn\n\n\ndef Net():\n"
                        "    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),\n"
                        "        nn.Conv2d(8, 8, 3, dilation=2, padding=2), nn.ReLU(),"
                        " nn.Conv2d(8, 2, 1))\n")
        else:
            # no h5py here: the HDF5 signature only, since Fovea refuses the format unread
            with open(os.path.join(d, "weights.h5"), "wb") as f:
                f.write(b"\x89HDF\r\n\x1a\n")
        with open(os.path.join(d, "rdf.yaml"), "w") as f:
            f.write(rdf(name, "{min: 16, step: 1}", 1.0, None, entry))
    with open(os.path.join(here, "families.json"), "w") as f:
        json.dump(facts, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
