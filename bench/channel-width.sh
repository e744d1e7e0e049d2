#!/usr/bin/env bash
# Why nuclei-dilated stays near half of the MatMul peak on ONNX Runtime (issue 18, item 1): its
# body convolutions have 24 channels, and ONNX Runtime's blocked (NCHWc) convolutions work on
# blocks of 16 channels on AVX-512 CPUs (8 on AVX2), so 24 channels cost as much as 32. This
# writes nuclei-dilated's architecture (the same layers, dilations and 1024 x 1024 input) at
# several widths with random weights and times each in one process, side by side.
# Needs Debian's python3-onnx.
#   bash bench/channel-width.sh ["WIDTHS"]
set -euo pipefail
cd "$(dirname "$0")/.."
widths=${1:-16 24 32 48}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir" $widths <<'PY'
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
out, widths = sys.argv[1], [int(w) for w in sys.argv[2:]]
rng = np.random.default_rng(1)
for c in widths:
    nodes, inits, prev, cin = [], [], "x", 1
    # nuclei-dilated: 3x3 convolutions with these dilations, then a 1x1 to 3 classes and softmax
    for i, d in enumerate([1, 1, 2, 4, 8, 16, 1, 1]):
        w = rng.normal(0, (2 / (9 * cin)) ** 0.5, (c, cin, 3, 3)).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(np.zeros(c, np.float32), f"b{i}")]
        nodes += [helper.make_node("Conv", [prev, f"w{i}", f"b{i}"], [f"c{i}"], dilations=[d, d], pads=[d] * 4),
                  helper.make_node("Relu", [f"c{i}"], [f"r{i}"])]
        prev, cin = f"r{i}", c
    inits += [numpy_helper.from_array(rng.normal(0, 0.1, (3, c, 1, 1)).astype(np.float32), "wo"),
              numpy_helper.from_array(np.zeros(3, np.float32), "bo")]
    nodes += [helper.make_node("Conv", [prev, "wo", "bo"], ["logits"]),
              helper.make_node("Softmax", ["logits"], ["y"], axis=1)]
    g = helper.make_graph(nodes, f"width{c}", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 1024, 1024])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 1024, 1024])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.save(m, f"{out}/width{c}.onnx")
PY
./fovea script bench/channel-width.groovy dir="$dir" widths="$widths"
