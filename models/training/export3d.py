"""Turns the trained 3D parameters into a bioimage.io model package with TorchScript and ONNX weights.

    python3 export3d.py --state build/nuclei-3d/state.pt --log build/nuclei-3d/train-log.csv \
        --out ../zoo/nuclei-3d

Like export.py for the 2D models, without a TensorFlow SavedModel. The test input is a 16 x 64 x 64
crop of a synthetic stack (seed TEST_SEED, not a training seed), already normalized over itself:
its 1st and 99.8th percentiles are 0 and 1, so the package's scale_range preprocessing leaves it
as it is (up to eps). The README states the foreground IoU on the held-out sample stack.
"""
import argparse
import os
import shutil

import numpy as np
import onnx
from onnx import numpy_helper
import torch
from torch import nn

import nets
import synth3d
from export import PREPROCESSING, sha256, yaml_dump
from make_sample3d import SAMPLES

TEST_SEED = 777  # training uses seeds 300000+
ARCH = "dilated3d"
AXES = ("z", "y", "x")


def geometric_reach(size=(24, 48, 48)):
    """Reach (before, after) of the network's output per axis z, y, x, measured on a copy with all
    weights positive and no softmax: a change in one input voxel reaches exactly the outputs whose
    receptive field contains it."""
    model = nets.ARCHS[ARCH]().double()
    for m in model.modules():
        if isinstance(m, nn.Conv3d):
            nn.init.constant_(m.weight, 0.1)
            nn.init.constant_(m.bias, 0.0)
    body = model.body
    x = torch.ones(1, 1, *size, dtype=torch.float64)
    base = body(x)[0, 0]
    p = tuple(s // 2 for s in size)
    y = x.clone()
    y[(0, 0) + p] += 1.0
    changed = torch.nonzero((body(y)[0, 0] - base).abs() > 1e-12)
    reach = []
    for axis in range(3):
        u = changed[:, axis]
        reach.append((int(u.max()) - p[axis], p[axis] - int(u.min())))  # before, after
    return reach


def run_onnx(path, x):
    """The ONNX graph's output for x: ONNX Runtime when installed, else the graph's nodes (Conv,
    Relu, Softmax) run one by one with the initializers read from the file, in PyTorch."""
    try:
        import onnxruntime
        s = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        return s.run(None, {s.get_inputs()[0].name: x})[0], "onnxruntime"
    except ImportError:
        pass
    g = onnx.load(path).graph
    v = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in g.initializer}
    v[g.input[0].name] = torch.from_numpy(x)
    for n in g.node:
        at = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
        ins = [v[i] for i in n.input]
        if n.op_type == "Conv":
            pads = list(at.get("pads", [0] * 6))
            assert pads[:3] == pads[3:], pads
            r = torch.nn.functional.conv3d(ins[0], ins[1], ins[2] if len(ins) > 2 else None,
                                           stride=list(at.get("strides", [1, 1, 1])), padding=pads[:3],
                                           dilation=list(at.get("dilations", [1, 1, 1])))
        elif n.op_type == "Relu":
            r = torch.relu(ins[0])
        elif n.op_type == "Softmax":
            r = torch.softmax(ins[0], dim=at.get("axis", -1))
        else:
            raise ValueError(f"no stand-in for ONNX {n.op_type}")
        v[n.output[0]] = r
    return v[g.output[0].name].numpy(), "no onnxruntime: the ONNX nodes run one by one in PyTorch"


def foreground_iou(model, seed, shape):
    """Voxel IoU of the predicted foreground (interior or boundary wins the argmax) with labels > 0,
    and the true and predicted class shares, on a synthetic stack normalized as a whole."""
    img, lab = synth3d.generate(seed, shape)
    with torch.no_grad():
        p = model(torch.from_numpy(synth3d.normalize(img)[None, None]))[0].numpy()
    pred = p.argmax(0)
    fg, truth = pred > 0, lab > 0
    iou = (fg & truth).sum() / max(1, (fg | truth).sum())
    share = lambda c: np.bincount(c.ravel(), minlength=3) / c.size
    return float(iou), share(synth3d.classes(lab)), share(pred)


def axes(size=None, halo=None, ref=None, channels=None):
    ax = [{"type": "batch"}, {"type": "channel", "channel_names": channels}]
    for i, a in enumerate(AXES):
        d = {"type": "space", "id": a,
             "size": size[i] if ref is None else {"tensor_id": ref, "axis_id": a}}
        if halo is not None:
            d["halo"] = halo[i]
        ax.append(d)
    return ax


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--log", help="train-log.csv to copy into the package")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    model = nets.ARCHS[ARCH]()
    model.load_state_dict(torch.load(a.state))
    model.eval()
    name = os.path.basename(os.path.normpath(a.out))
    output_id = "probabilities"

    img, _ = synth3d.generate(TEST_SEED, (32, 128, 128))
    x = synth3d.normalize(img[8:24, 32:96, 32:96])[None, None]  # (1, 1, 16, 64, 64)
    xt = torch.from_numpy(x)
    with torch.no_grad():
        out = model(xt).numpy().astype(np.float32)
        again = model(torch.from_numpy(synth3d.normalize(x))).numpy()
    np.save(os.path.join(a.out, "test_input.npy"), x)
    np.save(os.path.join(a.out, "test_output.npy"), out)
    print(f"test input {x.shape}: preprocessing it again changes the output by at most"
          f" {np.abs(again - out).max():.2e}")

    traced = torch.jit.trace(model, xt)
    traced.save(os.path.join(a.out, "weights.pt"))
    onnx_path = os.path.join(a.out, "weights.onnx")
    torch.onnx.export(model, xt, onnx_path, opset_version=17,
                      input_names=["raw"], output_names=[output_id],
                      dynamic_axes={"raw": {0: "b", 2: "z", 3: "y", 4: "x"},
                                    output_id: {0: "b", 2: "z", 3: "y", 4: "x"}})
    onnx.checker.check_model(onnx.load(onnx_path), full_check=True)

    # the written weights against the test tensors, and at another size (the sizes are dynamic)
    loaded = torch.jit.load(os.path.join(a.out, "weights.pt"))
    other = torch.from_numpy(synth3d.normalize(img[:20, :40, :52])[None, None])
    with torch.no_grad():
        ts = np.abs(loaded(xt).numpy() - out).max()
        ts_other = np.abs(loaded(other).numpy() - model(other).numpy()).max()
        onnx_other = np.abs(run_onnx(onnx_path, other.numpy())[0] - model(other).numpy()).max()
    onnx_out, how = run_onnx(onnx_path, x)
    print(f"max |difference| from test_output.npy: TorchScript {ts:.2e}, ONNX {np.abs(onnx_out - out).max():.2e}"
          f" ({how}); at 20x40x52: TorchScript {ts_other:.2e}, ONNX {onnx_other:.2e}")

    reach = geometric_reach()
    halo = [max(r) for r in reach]
    expected = [sum(d[i] for d in nets.Dilated3DNet.DILATIONS) for i in range(3)]
    assert halo == expected, (halo, expected)
    field = [1 + 2 * h for h in halo]
    n_params = sum(p.numel() for p in model.parameters())
    sample, (seed, shape) = next(iter(SAMPLES.items()))
    iou, true_share, pred_share = foreground_iou(model, seed, shape)
    print(f"{name}: reach z, y, x {halo}; {n_params} parameters; held-out stack {sample} (seed {seed}):"
          f" foreground IoU {iou:.4f}; classes background/interior/boundary true"
          f" {np.round(true_share, 3).tolist()} predicted {np.round(pred_share, 3).tolist()}")

    dil = "; ".join(",".join(map(str, d)) for d in nets.Dilated3DNet.DILATIONS)
    desc = (f"3D dilated context-aggregation CNN (3x3x3 convolutions, dilations z,y,x {dil}; total stride 1;"
            f" receptive field {field[0]} slices x {field[1]} x {field[2]} px) trained by Fovea on its own"
            f" synthetic fluorescence nuclei z-stacks with anisotropic voxels: the z step is"
            f" {synth3d.Z_STEP:g}x the x/y pixel size (nuclei span about half as many slices as pixels);"
            f" resample other stacks to that anisotropy first. Per-voxel softmax probabilities of"
            f" background, nucleus interior and nucleus boundary.")
    classes = ["background", "interior", "boundary"]
    weights = {
        "onnx": {"source": "weights.onnx", "sha256": sha256(onnx_path), "opset_version": 17},
        "torchscript": {"source": "weights.pt", "sha256": sha256(os.path.join(a.out, "weights.pt")),
                        "pytorch_version": torch.__version__.split("a")[0].split("+")[0]},
    }
    pre = [{"id": "scale_range", "kwargs": dict(axes=list(AXES), **PREPROCESSING)}]
    rdf = {"format_version": "0.5.3", "type": "model", "name": name, "description": desc,
           "authors": [{"name": "Fovea developers"}],
           "cite": [{"text": "Fovea demo model, trained on synthetic data (models/training/)"}],
           "license": "MIT", "documentation": "README.md",
           "tags": ["fluorescence-light-microscopy", "nuclei", "segmentation", "3d", ARCH],
           "config": {"fovea": {"receptive_field_reach": halo,
                                "voxel_size_zyx": [synth3d.Z_STEP, 1.0, 1.0],
                                "parameters": n_params, "training": "models/training/make_zoo.sh",
                                # the watershed's defaults for this model, chosen on held-out
                                # synthetic stacks by bench/watershed-grid-3d.sh (BENCHMARKS.md)
                                "instances": {"method": "watershed",
                                              "foreground_threshold": 0.5,
                                              "min_dynamic": 0.5}}},
           "inputs": [{"id": "raw", "description": "fluorescence nuclei z-stack, one channel, z step"
                                                   f" {synth3d.Z_STEP:g}x the x/y pixel size",
                       "axes": axes(size=[{"min": 8, "step": 1}, {"min": 16, "step": 1},
                                          {"min": 16, "step": 1}], channels=["nuclei"]),
                       "test_tensor": {"source": "test_input.npy"},
                       "data": {"type": "float32"}, "preprocessing": pre}],
           "outputs": [{"id": output_id, "description": "class probabilities",
                        "axes": axes(halo=halo, ref="raw", channels=classes),
                        "test_tensor": {"source": "test_output.npy"},
                        "data": {"type": "float32"}}],
           "weights": weights}
    with open(os.path.join(a.out, "rdf.yaml"), "w") as f:
        f.write("# Written by models/training/export3d.py; do not edit by hand.\n")
        f.write(yaml_dump(rdf) + "\n")
    trained = ""
    if a.log:
        shutil.copyfile(a.log, os.path.join(a.out, "train-log.csv"))
        last = open(a.log).read().strip().split("\n")[-1].split(",")
        trained = (f" Trained for {int(last[0]) + 1} iterations in {float(last[2]) / 60:.0f} minutes (wall"
                   " time, stack generation included) on 2 CPU cores (`train-log.csv`).")
    with open(os.path.join(a.out, "README.md"), "w") as f:
        f.write(f"# {name}\n\n{desc}\n\nInput: one channel (z, y, x), normalized per stack from the 1st to"
                f" the 99.8th percentile; z step {synth3d.Z_STEP:g}x the x/y pixel size. Output: three"
                f" channels ({', '.join(classes)}). The test input is a 16 x 64 x 64 crop, already"
                " normalized.\n\n"
                f"Receptive field reach (z, y, x): {halo[0]} slices, {halo[1]} px, {halo[2]} px before and"
                f" after (halo {halo[0]}, {halo[1]}, {halo[2]}).\nParameters: {n_params}.\n\n"
                f"Foreground voxel IoU {iou:.3f} on the held-out synthetic stack"
                f" `samples/{sample}.tif` (seed {seed}).\n\n"
                "Made by `models/training/make_zoo.sh` from synthetic stacks"
                f" (`models/training/synth3d.py`, training seeds 300000 and up); never trained on real"
                f" data.{trained}\n")


if __name__ == "__main__":
    main()
