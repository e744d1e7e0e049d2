"""Trains a demo network on synthetic nuclei and writes its weights in PyTorch form.

    python3 train.py --arch dilated --iters 1500 --out build/nuclei-dilated

Writes state.pt (the trained parameters) and train-log.csv. export.py turns the
parameters into TorchScript, ONNX and a bioimage.io package.
"""
import argparse
import os
import time

import numpy as np
import torch
from torch import nn

import nets
import synth


def pool(n, size, first_seed, condensed=0.0):
    xs, ys = [], []
    for i in range(n):
        img, lab = synth.generate(first_seed + i, size, condensed=condensed)
        xs.append(synth.normalize(img))
        ys.append(synth.classes(lab))
    return np.stack(xs), np.stack(ys)


def batch(rng, xs, ys, n, crop):
    bx, by = [], []
    for _ in range(n):
        i = rng.integers(len(xs))
        y0, x0 = rng.integers(0, xs.shape[1] - crop + 1, 2)
        x, y = xs[i, y0:y0 + crop, x0:x0 + crop], ys[i, y0:y0 + crop, x0:x0 + crop]
        k = rng.integers(4)
        x, y = np.rot90(x, k), np.rot90(y, k)
        if rng.random() < 0.5:
            x, y = x[:, ::-1], y[:, ::-1]
        # intensity jitter: the same image at another exposure after normalization
        x = x * rng.uniform(0.7, 1.3) + rng.uniform(-0.05, 0.05)
        bx.append(x.copy())
        by.append(y.copy())
    return torch.from_numpy(np.stack(bx)[:, None].astype(np.float32)), torch.from_numpy(np.stack(by))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", choices=sorted(a for a in nets.ARCHS if not a.endswith("3d")), required=True)
    ap.add_argument("--iters", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--crop", type=int, default=128)
    ap.add_argument("--images", type=int, default=160)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--condensed", type=float, default=0.0,
                    help="mean fraction of condensed (mitotic, apoptotic) nuclei in synth.generate")
    ap.add_argument("--out", required=True)
    ap.add_argument("--init", help="start from these parameters (state.pt) instead of random ones")
    ap.add_argument("--lr", type=float, default=3e-3, help="peak learning rate")
    ap.add_argument("--class-weights", default="1,1,2",
                    help="loss weights of background, interior, boundary")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    xs, ys = pool(a.images, 256, first_seed=10_000, condensed=a.condensed)  # training seeds; tests use other seeds
    print(f"generated {len(xs)} images in {time.time() - t0:.0f} s", flush=True)
    # the strided net trains in its dense (a trous) form: the same parameters, every pixel labelled
    model = nets.ARCHS[a.arch](**({"dense": True} if a.arch == "strided" else {}))
    if a.init:
        model.load_state_dict(torch.load(a.init))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.iters)
    weight = torch.tensor([float(w) for w in a.class_weights.split(",")])
    nll = nn.NLLLoss(weight=weight)
    log = open(os.path.join(a.out, "train-log.csv"), "w")
    log.write("iter,loss,seconds\n")
    for it in range(a.iters):
        x, y = batch(rng, xs, ys, a.batch, a.crop)
        p = model(x)
        loss = nll(torch.log(p.clamp_min(1e-7)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if it % 50 == 0 or it == a.iters - 1:
            print(f"{a.arch} iter {it} loss {loss.item():.4f} {time.time() - t0:.0f} s", flush=True)
            log.write(f"{it},{loss.item():.5f},{time.time() - t0:.1f}\n")
    torch.save(model.state_dict(), os.path.join(a.out, "state.pt"))


if __name__ == "__main__":
    main()
