"""Trains the 3D demo network (nets.Dilated3DNet) on synthetic nuclei stacks and writes its weights.

    python3 train3d.py --iters 2000 --out build/nuclei-3d

Stacks come from synth3d.py (z step twice the x/y pixel size), drawn from seeds 300000 upwards;
test tensors and samples use other seeds. Writes state.pt (the trained parameters) and
train-log.csv; the last row's seconds is the wall time of the whole run, stack generation
included. export3d.py turns the parameters into TorchScript, ONNX and a bioimage.io package.
"""
import argparse
import os
import time

import numpy as np
import torch
from torch import nn

import nets
import synth3d

FIRST_SEED = 300_000  # training seeds: 300000 .. 300000 + stacks - 1


def pool(n, shape, first_seed):
    xs, ys = [], []
    for i in range(n):
        img, lab = synth3d.generate(first_seed + i, shape)
        xs.append(synth3d.normalize(img))
        ys.append(synth3d.classes(lab).astype(np.uint8))
    return np.stack(xs), np.stack(ys)


def batch(rng, xs, ys, n, crop):
    """Random crops (z, y, x), turned by multiples of 90 degrees in y/x and flipped along any axis;
    z is never swapped with y or x, so the voxel anisotropy stays as trained."""
    cz, cy, cx = crop
    bx, by = [], []
    for _ in range(n):
        i = rng.integers(len(xs))
        z0 = rng.integers(0, xs.shape[1] - cz + 1)
        y0 = rng.integers(0, xs.shape[2] - cy + 1)
        x0 = rng.integers(0, xs.shape[3] - cx + 1)
        x = xs[i, z0:z0 + cz, y0:y0 + cy, x0:x0 + cx]
        y = ys[i, z0:z0 + cz, y0:y0 + cy, x0:x0 + cx]
        k = rng.integers(4)
        x, y = np.rot90(x, k, axes=(1, 2)), np.rot90(y, k, axes=(1, 2))
        if rng.random() < 0.5:
            x, y = x[:, :, ::-1], y[:, :, ::-1]
        if rng.random() < 0.5:
            x, y = x[::-1], y[::-1]
        # intensity jitter: the same stack at another exposure after normalization
        x = x * rng.uniform(0.7, 1.3) + rng.uniform(-0.05, 0.05)
        bx.append(x.copy())
        by.append(y.astype(np.int64))
    return torch.from_numpy(np.stack(bx)[:, None].astype(np.float32)), torch.from_numpy(np.stack(by))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--crop", default="24,64,64", help="training crop z,y,x")
    ap.add_argument("--stacks", type=int, default=160, help="synthetic stacks of --stack voxels")
    ap.add_argument("--stack", default="32,128,128", help="size z,y,x of each synthetic stack")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True)
    ap.add_argument("--init", help="start from these parameters (state.pt) instead of random ones")
    ap.add_argument("--lr", type=float, default=3e-3, help="peak learning rate")
    ap.add_argument("--class-weights", default="1,1,2",
                    help="loss weights of background, interior, boundary")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    crop = tuple(int(v) for v in a.crop.split(","))
    t0 = time.time()
    xs, ys = pool(a.stacks, tuple(int(v) for v in a.stack.split(",")), first_seed=FIRST_SEED)
    share = np.bincount(ys.ravel(), minlength=3) / ys.size
    print(f"generated {len(xs)} stacks in {time.time() - t0:.0f} s; voxels background"
          f" {share[0]:.3f} interior {share[1]:.3f} boundary {share[2]:.3f}", flush=True)
    model = nets.ARCHS["dilated3d"]()
    if a.init:
        model.load_state_dict(torch.load(a.init))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.iters)
    weight = torch.tensor([float(w) for w in a.class_weights.split(",")])
    nll = nn.NLLLoss(weight=weight)
    log = open(os.path.join(a.out, "train-log.csv"), "w")
    log.write("iter,loss,seconds\n")
    for it in range(a.iters):
        x, y = batch(rng, xs, ys, a.batch, crop)
        p = model(x)
        loss = nll(torch.log(p.clamp_min(1e-7)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if it % 50 == 0 or it == a.iters - 1:
            print(f"dilated3d iter {it} loss {loss.item():.4f} {time.time() - t0:.0f} s", flush=True)
            log.write(f"{it},{loss.item():.5f},{time.time() - t0:.1f}\n")
            log.flush()
    torch.save(model.state_dict(), os.path.join(a.out, "state.pt"))
    log.close()
    print(f"wall time {time.time() - t0:.0f} s ({a.iters} iterations of {a.batch} crops"
          f" {crop[0]}x{crop[1]}x{crop[2]})", flush=True)


if __name__ == "__main__":
    main()
