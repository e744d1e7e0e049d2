"""Refits the ray-distance head of a trained star net by weighted least squares.

    python3 refit_star_head.py --state build/nuclei-star-ft/state.pt --out build/nuclei-star-refit

The body is kept; on synthetic training images (seeds 10000+, as in training) the last layer's
input features are computed once, and the 1x1 convolution that maps them to the ray distances is
solved in closed form: per ray, least squares of the target distance on the features plus a bias,
each object pixel weighted by its target object probability (the same weighting as the L1 term
of training). This revives rays whose ReLU died during training (they output 0 everywhere).
"""
import argparse
import os

import numpy as np
import torch

import nets
import star_targets
import synth


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--images", type=int, default=24)
    ap.add_argument("--rays", type=int, default=32)
    ap.add_argument("--unit", type=float, default=10.0,
                    help="pixels per output unit: the head outputs distances / unit, so that the"
                         " outputs stay near 1 and float32 engines agree within 1e-4")
    ap.add_argument("--ridge", type=float, default=1000.0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(2)
    model = nets.StarNet(rays=a.rays)
    model.load_state_dict(torch.load(a.state))
    model.eval()
    feats = {}
    model.head_dist.register_forward_hook(lambda m, i, o: feats.__setitem__("x", i[0]))
    xs, ys, ws = [], [], []
    for s in range(a.images):
        img, lab = synth.generate(10_000 + s, 256)
        with torch.no_grad():
            model(torch.from_numpy(synth.normalize(img)[None, None]))
        f = feats["x"][0].numpy().reshape(feats["x"].shape[1], -1).T
        p = star_targets.object_probability(lab).ravel()
        d = star_targets.ray_distances(lab, a.rays).reshape(a.rays, -1).T / a.unit
        keep = p > 0
        xs.append(f[keep])
        ys.append(d[keep])
        ws.append(p[keep])
    x = np.concatenate(xs).astype(np.float64)
    x = np.concatenate([x, np.ones((len(x), 1))], axis=1)
    y = np.concatenate(ys).astype(np.float64)
    w = np.concatenate(ws).astype(np.float64)
    xtw = x.T * w
    beta = np.linalg.solve(xtw @ x + a.ridge * np.eye(x.shape[1]), xtw @ y)
    before = (np.abs(np.maximum(x @ np.concatenate(
        [model.head_dist.weight.detach().numpy()[:, :, 0, 0].T,
         model.head_dist.bias.detach().numpy()[None]]), 0) - y * a.unit).mean(axis=1) * w).sum() / w.sum()
    after = (np.abs(np.maximum(x @ beta, 0) - y).mean(axis=1) * w).sum() / w.sum()
    print(f"{len(x)} object pixels; weighted L1 of the distances {before:.3f} (head"
          f" in pixels) -> {after * a.unit:.3f} px (head in units of {a.unit} px)")
    with torch.no_grad():
        model.head_dist.weight.copy_(torch.from_numpy(beta[:-1].T.astype(np.float32))[:, :, None, None])
        model.head_dist.bias.copy_(torch.from_numpy(beta[-1].astype(np.float32)))
    torch.save(model.state_dict(), os.path.join(a.out, "state.pt"))


if __name__ == "__main__":
    main()
