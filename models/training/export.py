"""Turns trained parameters into a bioimage.io model package with TorchScript and ONNX weights.

    python3 export.py --arch dilated --state build/nuclei-dilated/state.pt --out ../zoo/nuclei-dilated

The TensorFlow SavedModel of the same weights is built afterwards from the ONNX file by the Java
converter (see make_zoo.sh), so all three formats hold identical numbers.
"""
import argparse
import hashlib
import os

import numpy as np
import torch
from torch import nn

import nets
import synth

TEST_SEED = 777  # test tensors and samples use seeds far from the training seeds (10000+)
PREPROCESSING = dict(min_percentile=1.0, max_percentile=99.8, eps=1.0e-6)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def geometric_reach(arch, size=96):
    """Reach before/after of the network's output along x, measured on a copy whose support is exact.

    The copy has the same geometry with all weights positive, average instead of max pooling and
    no softmax, so a change in one input pixel reaches every output whose receptive field contains
    it and nothing else. Returns (before, after) maximised over output positions (phases), in input
    pixels; a net with a grid g (one output per g x g block) reaches before its block's first pixel
    g u and after its last pixel g u + g - 1."""
    model = nets.ARCHS[arch]().double()
    g = getattr(model, "grid", 1)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.constant_(m.weight, 0.1)
            nn.init.constant_(m.bias, 0.0)
        if isinstance(m, nn.MaxPool2d):
            m.forward = lambda x, _m=m: torch.nn.functional.avg_pool2d(x, _m.kernel_size, _m.stride)
    logits = lambda x: torch.log(model(x))  # log-softmax equals logits up to a per-pixel constant
    head = model.head if hasattr(model, "head") else model.body[-1]
    cap = {}
    head.register_forward_hook(lambda mod, i, o: cap.__setitem__("z", o))
    x = torch.ones(1, 1, size, size, dtype=torch.float64)
    model(x)
    base = cap["z"][0, 0].clone()
    before = after = 0
    for p in range(size // 2 - 4, size // 2 + 4):  # every phase of a stride up to 8
        y = x.clone()
        y[0, 0, :, p] += 1.0
        model(y)
        changed = (cap["z"][0, 0] - base).abs().amax(dim=0) > 1e-12
        cols = torch.nonzero(changed).flatten().tolist()
        # output u sees input p: p - u is how far u reaches after itself (or before, if negative)
        after = max(after, max(p - (g * u + g - 1) for u in cols))
        before = max(before, max(g * u - p for u in cols))
    return before, after


def axes_05(name, size, halo=None, ref=None, channels=None, scale=None):
    ax = [{"type": "batch"}, {"type": "channel", "channel_names": channels}]
    for a in ("y", "x"):
        d = {"type": "space", "id": a, "size": size if ref is None else {"tensor_id": ref, "axis_id": a}}
        if halo is not None:
            d["halo"] = halo
        if scale is not None:
            d["scale"] = scale  # pixel size relative to the input's: 8.0 is one output per 8 px
        ax.append(d)
    return ax


def strided_reach():
    """Reach of the strided net's outputs (as Fovea's receptive-field analysis reports it): output
    u sees 8u - r .. 8u + r with r = sum of the 3x3 layers' input grid steps (1 + 2r = 61 px), so
    r before pixel 8u and r - 7 after its block's last pixel 8u + 7."""
    grid, total = 1, 0
    for _, _, s in nets.StridedNet.LAYERS:
        total += grid
        grid *= s
    return total, total - (grid - 1)


def yaml_dump(obj, indent=0):
    """A small YAML writer for plain dicts, lists, strings and numbers (keeps key order)."""
    pad = "  " * indent
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{k}:")
                out.append(yaml_dump(v, indent + 1))
            else:
                out.append(f"{pad}{k}: {scalar(v)}")
    else:
        for v in obj:
            if isinstance(v, dict):
                inner = yaml_dump(v, indent + 1).split("\n")
                out.append(f"{pad}- {inner[0].strip()}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {scalar(v)}")
    return "\n".join(out)


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return repr(v)
    if isinstance(v, float):
        r = repr(v)  # YAML 1.1 (SnakeYAML) reads 1e-06 as a string: keep a dot in the mantissa
        return r.replace("e", ".0e") if "e" in r and "." not in r else r
    if isinstance(v, list):
        return "[" + ", ".join(scalar(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {scalar(x)}" for k, x in v.items()) + "}"
    s = str(v)
    return '"' + s.replace('"', '\\"') + '"' if any(c in s for c in ":#{}[],&*!|>'\"%@`") or s == "" else s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", choices=sorted(a for a in nets.ARCHS if not a.endswith("3d")), required=True)
    ap.add_argument("--state", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", choices=["0.4", "0.5"], default="0.5")
    ap.add_argument("--distance-unit", type=float, default=1.0,
                    help="star: pixels per unit of the ray-distance outputs")
    ap.add_argument("--thresholds", default=None,
                    help="star: PROB,NMS chosen on held-out synthetic images (bench/star-grid.sh),"
                         " written as the model's own prob_threshold and nms_threshold")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    model = nets.ARCHS[a.arch]()
    model.load_state_dict(torch.load(a.state))
    model.eval()
    name = os.path.basename(os.path.normpath(a.out))
    output_id = "prob_dist" if a.arch == "star" else "probabilities"

    img, _ = synth.generate(TEST_SEED, 256)
    if a.arch == "star":  # 33 output channels: a 64 x 64 test tensor keeps the package small
        img = img[96:160, 96:160]
    raw = img.astype(np.float32)[None, None]
    with torch.no_grad():
        out = model(torch.from_numpy(synth.normalize(img)[None, None])).numpy().astype(np.float32)
    np.save(os.path.join(a.out, "test_input.npy"), raw)
    np.save(os.path.join(a.out, "test_output.npy"), out)

    scripted = torch.jit.script(model)
    scripted.save(os.path.join(a.out, "weights.pt"))
    torch.onnx.export(model, torch.from_numpy(synth.normalize(img)[None, None]),
                      os.path.join(a.out, "weights.onnx"), opset_version=17,
                      input_names=["raw"], output_names=[output_id],
                      dynamic_axes={"raw": {0: "b", 2: "y", 3: "x"},
                                    output_id: {0: "b", 2: "y", 3: "x"}})

    if a.arch == "strided":
        before, after = strided_reach()
        halo = -(-max(before, after) // 8)  # in output pixels, 8 input pixels each
    else:
        before, after = geometric_reach(a.arch, 256 if a.arch == "star" else 96)
        g = getattr(model, "grid", 1)
        halo = -(-max(before, after) // g)  # in output pixels, g input pixels each
    step = {"unet": 4, "star": 8, "strided": 8}.get(a.arch, 1)
    minimum = 16
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{name}: reach before {before} after {after} -> halo {halo}; {n_params} parameters")

    desc = {"dilated": "Dilated context-aggregation CNN (dilations 1, 1, 2, 4, 8, 16, 1, 1; total stride 1;"
                       " receptive field 69 px)",
            "unet": "Small U-Net (two 2x2 max-poolings, input size step 4)",
            "star": "U-Net (three 2x2 max-poolings, input size step 8) for star-convex nuclei"
                    " shaped like StarDist 2D with grid 2 (outputs at half resolution, one per 2x2"
                    " block, output (u, v) for input pixel (2u, 2v))",
            "strided": "Fully convolutional CNN of total stride 8 (three stride-2 3x3 convolutions,"
                       " one output per 8x8 block; receptive field 61 px)"}[a.arch]
    if a.arch == "star":
        rays = model.head_dist.out_channels
        desc += (" trained by Fovea on its own synthetic fluorescence nuclei; per output the object"
                 f" probability (sigmoid) and the distances to the nucleus boundary along"
                 f" {rays} rays at angles 2*pi*k/{rays} from +x towards +y, in units of"
                 f" {a.distance_unit:g} input pixels.")
        classes = ["probability"] + [f"ray_{k}" for k in range(rays)]
    else:
        desc += (" trained by Fovea on its own synthetic fluorescence nuclei; "
                 + ("softmax probabilities, one per 8x8 block (Fovea makes them dense: one per"
                    " pixel), " if a.arch == "strided" else "per-pixel softmax probabilities ")
                 + "of background, nucleus interior and nucleus boundary.")
        classes = ["background", "interior", "boundary"]
    weights = {
        "onnx": {"source": "weights.onnx", "sha256": sha256(os.path.join(a.out, "weights.onnx")),
                 "opset_version": 17},
        "torchscript": {"source": "weights.pt", "sha256": sha256(os.path.join(a.out, "weights.pt")),
                        "pytorch_version": torch.__version__.split("a")[0].split("+")[0]},
        "tensorflow_saved_model_bundle": {"source": "tf_saved_model", "tensorflow_version": "2.18.0"},
    }
    common = {"type": "model", "name": name, "description": desc,
              "authors": [{"name": "Fovea developers"}],
              "cite": [{"text": "Fovea demo model, trained on synthetic data (models/training/)"}],
              "license": "MIT", "documentation": "README.md",
              "tags": ["fluorescence-light-microscopy", "nuclei",
                       "instance-segmentation" if a.arch == "star" else "segmentation", "2d",
                       a.arch],
              "config": {"fovea": {"receptive_field_reach": [before, after],
                                   "parameters": n_params, "training": "models/training/make_zoo.sh"}}}
    if a.arch == "star":
        common["config"]["fovea"]["instances"] = {"method": "star", "rays": rays,
                                                  "distance_unit": a.distance_unit}
        if a.thresholds:
            prob, nms = (float(v) for v in a.thresholds.split(","))
            common["config"]["fovea"]["instances"].update(prob_threshold=prob, nms_threshold=nms)
    if a.format == "0.5":
        pre = [{"id": "scale_range", "kwargs": dict(axes=["y", "x"], **PREPROCESSING)}]
        rdf = {"format_version": "0.5.3", **common,
               "inputs": [{"id": "raw", "description": "fluorescence nuclei, one channel",
                           "axes": axes_05("raw", {"min": minimum, "step": step}, channels=["nuclei"]),
                           "test_tensor": {"source": "test_input.npy"},
                           "data": {"type": "float32"}, "preprocessing": pre}],
               "outputs": [{"id": output_id,
                            "description": "object probability and ray distances" if a.arch == "star"
                            else "class probabilities",
                            "axes": axes_05(output_id, None, halo=halo, ref="raw", channels=classes,
                                            scale=8.0 if a.arch == "strided" else
                                            float(getattr(model, "grid", 1)) if a.arch == "star"
                                            and getattr(model, "grid", 1) > 1 else None),
                            "test_tensor": {"source": "test_output.npy"},
                            "data": {"type": "float32"}}],
               "weights": weights}
    else:
        pre = [{"name": "scale_range", "kwargs": dict(mode="per_sample", axes="yx", **PREPROCESSING)}]
        rdf = {"format_version": "0.4.10", **common,
               "test_inputs": ["test_input.npy"], "test_outputs": ["test_output.npy"],
               "inputs": [{"name": "raw", "axes": "bcyx", "data_type": "float32",
                           "shape": {"min": [1, 1, minimum, minimum], "step": [0, 0, step, step]},
                           "preprocessing": pre}],
               "outputs": [{"name": "probabilities", "axes": "bcyx", "data_type": "float32",
                            "shape": {"reference_tensor": "raw", "scale": [1.0, 0.0, 1.0, 1.0],
                                      "offset": [0.0, 1.5, 0.0, 0.0]},
                            "halo": [0, 0, halo, halo]}],
               "weights": weights}
        for w in rdf["weights"].values():
            w.pop("opset_version", None)
    with open(os.path.join(a.out, "rdf.yaml"), "w") as f:
        f.write("# Written by models/training/export.py; do not edit by hand.\n")
        f.write(yaml_dump(rdf) + "\n")
    if a.arch == "star":
        return  # the star package keeps its hand-written README.md with the measured numbers
    with open(os.path.join(a.out, "README.md"), "w") as f:
        f.write(f"# {name}\n\n{desc}\n\nInput: one channel, normalized per image from the 1st to the"
                f" 99.8th percentile. Output: three channels ({', '.join(classes)}).\n\n"
                f"Receptive field reach: {before} px before, {after} px after (halo {halo}"
                f"{' output px' if a.arch == 'strided' else ''}).\n"
                f"Parameters: {n_params}.\n\nMade by `models/training/make_zoo.sh` from synthetic"
                " images (`models/training/synth.py`); never trained on real data.\n")


if __name__ == "__main__":
    main()
