"""Trains the star-convex demo net on synthetic nuclei (object probability + ray distances).

    python3 train_star.py --iters 2000 --out build/nuclei-star

The net is nets.StarGridNet (StarDist's grid 2): one output per 2 x 2 block, output (u, v) for
input pixel (2u, 2v), so the targets of an augmented crop are its full-resolution targets at the
even pixels. The ray head outputs distances in units of --unit pixels; it is linear while training
and its bias starts at the mean target distance of the training pool, so no ray can die.

Loss: binary cross-entropy of the object probability plus the L1 error of the ray distances in
pixels, weighted per pixel by the target probability (so background pixels do not count and object
centres count most), times --dist-weight. Writes state.pt and train-log.csv.
"""
import argparse
import os
import time

import numpy as np
import torch

import nets
import star_targets
import synth


def pool(n, size, first_seed, rays, condensed=0.0):
    xs, ps, ds = [], [], []
    for i in range(n):
        img, lab = synth.generate(first_seed + i, size, condensed=condensed)
        xs.append(synth.normalize(img))
        ps.append(star_targets.object_probability(lab))
        ds.append(star_targets.ray_distances(lab, rays).astype(np.float16))
    return np.stack(xs), np.stack(ps), np.stack(ds)


def rotate_rays(d, k, flip, rays):
    """Ray channels of a crop turned by k quarter turns (np.rot90) and then mirrored in x."""
    # np.rot90 by k turns the image counter-clockwise in (row, column) display, which maps a
    # ray at angle a (from +x towards +y, y pointing down) to the angle a - k*pi/2
    d = np.roll(d, -k * rays // 4, axis=0)
    if flip:  # x -> -x maps angle a to pi - a
        d = d[(rays // 2 - np.arange(rays)) % rays]
    return d


def batch(rng, xs, ps, ds, n, crop, rays, grid):
    bx, bp, bd = [], [], []
    for _ in range(n):
        i = rng.integers(len(xs))
        y0, x0 = rng.integers(0, xs.shape[1] - crop + 1, 2)
        x = xs[i, y0:y0 + crop, x0:x0 + crop]
        p = ps[i, y0:y0 + crop, x0:x0 + crop]
        d = ds[i, :, y0:y0 + crop, x0:x0 + crop]
        k = int(rng.integers(4))
        flip = rng.random() < 0.5
        x, p, d = np.rot90(x, k), np.rot90(p, k), np.rot90(d, k, axes=(1, 2))
        if flip:
            x, p, d = x[:, ::-1], p[:, ::-1], d[:, :, ::-1]
        d = rotate_rays(d, k, flip, rays)
        x = x * rng.uniform(0.7, 1.3) + rng.uniform(-0.05, 0.05)
        bx.append(x.copy())
        bp.append(p[::grid, ::grid].copy())
        bd.append(d[:, ::grid, ::grid].astype(np.float32))
    t = lambda a: torch.from_numpy(np.stack(a).astype(np.float32))
    return t(bx)[:, None], t(bp)[:, None], t(bd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=1400)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--crop", type=int, default=128)
    ap.add_argument("--images", type=int, default=120)
    ap.add_argument("--rays", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--condensed", type=float, default=0.0,
                    help="mean fraction of condensed (mitotic, apoptotic) nuclei in synth.generate")
    ap.add_argument("--lr", type=float, default=3e-3, help="peak learning rate")
    ap.add_argument("--dist-weight", type=float, default=0.2)
    ap.add_argument("--unit", type=float, default=10.0,
                    help="pixels per unit of the ray-distance outputs (distance_unit of export.py)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True)
    ap.add_argument("--init", help="start from these parameters (state.pt) instead of random ones")
    ap.add_argument("--stop", type=int,
                    help="stop after this many iterations (the schedule still spans --iters)")
    ap.add_argument("--warmup", type=float, default=0.3,
                    help="fraction of the iterations spent raising the learning rate")
    ap.add_argument("--minutes", type=float,
                    help="wall-clock budget: the one-cycle schedule follows the larger of the"
                         " iteration and the time fractions, and training ends when either is"
                         " spent (on a shared machine the iterations are then fewer than --iters)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    xs, ps, ds = pool(a.images, 256, 10_000, a.rays, a.condensed)  # training seeds; tests use other seeds
    print(f"generated {len(xs)} images with targets in {time.time() - t0:.0f} s", flush=True)
    assert a.crop % 8 == 0, "crops on the net's size step 8"
    model = nets.StarGridNet(rays=a.rays)
    model.clip = False  # linear ray head while training
    grid = model.grid
    n_params = sum(p.numel() for p in model.parameters())
    if a.init:
        model.load_state_dict(torch.load(a.init))
    else:
        with torch.no_grad():  # start at the typical radius and the object fraction
            inside = ps > 0
            mean = float(np.mean([d[:, m].astype(np.float32).mean() for d, m in zip(ds, inside)]))
            frac = float(inside.mean())
            model.head_dist.bias.fill_(mean / a.unit)
            model.head.bias.fill_(float(np.log(frac / (1 - frac))))
        print(f"{n_params} parameters; ray bias {mean:.2f} px, object fraction {frac:.3f}",
              flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = None
    if not a.minutes:
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.iters,
                                                    pct_start=a.warmup)
    t_train = time.time()
    log = open(os.path.join(a.out, "train-log.csv"), "w")
    log.write("iter,loss,bce,l1,seconds\n")
    last = (a.stop or a.iters) - 1
    it = -1
    while it < last:
        it += 1
        if a.minutes:  # one-cycle (cosine up from lr/25, cosine down to lr/25e4) on the progress
            f = max(it / a.iters, (time.time() - t_train) / (60 * a.minutes))
            if f >= 1:
                last = it - 1
                break
            if f < a.warmup:
                lo, hi, c = a.lr / 25, a.lr, f / a.warmup
            else:
                lo, hi, c = a.lr, a.lr / 25e4, (f - a.warmup) / (1 - a.warmup)
            for g in opt.param_groups:
                g["lr"] = hi + (lo - hi) / 2 * (1 + np.cos(np.pi * c))
        x, p, d = batch(rng, xs, ps, ds, a.batch, a.crop, a.rays, grid)
        out = model(x)
        prob, dist = out[:, :1], out[:, 1:]
        bce = torch.nn.functional.binary_cross_entropy(prob.clamp(1e-6, 1 - 1e-6), p)
        l1 = ((dist * a.unit - d).abs().mean(dim=1, keepdim=True) * p).sum() / p.sum().clamp_min(1.0)
        loss = bce + a.dist_weight * l1
        opt.zero_grad()
        loss.backward()
        opt.step()
        if sched:
            sched.step()
        if it % 50 == 0 or it == last:
            s = time.time() - t0
            print(f"star iter {it} loss {loss.item():.4f} bce {bce.item():.4f} l1 {l1.item():.3f}"
                  f" {s:.0f} s", flush=True)
            log.write(f"{it},{loss.item():.5f},{bce.item():.5f},{l1.item():.4f},{s:.1f}\n")
            if a.minutes:
                print(f"  lr {opt.param_groups[0]['lr']:.2e}", flush=True)
            log.flush()
            torch.save(model.state_dict(), os.path.join(a.out, "state.pt"))
    torch.save(model.state_dict(), os.path.join(a.out, "state.pt"))
    if last % 50 != 0:  # stopped by the clock after an unlogged iteration
        log.write(f"{last},{loss.item():.5f},{bce.item():.5f},{l1.item():.4f},"
                  f"{time.time() - t0:.1f}\n")
        print(f"star iter {last} loss {loss.item():.4f} bce {bce.item():.4f} l1 {l1.item():.3f}",
              flush=True)
    print(f"done: {last + 1} iterations in {time.time() - t0:.0f} s", flush=True)
    log.write(f"# {last + 1} iterations, {time.time() - t0:.0f} s\n")
    log.close()


if __name__ == "__main__":
    main()
