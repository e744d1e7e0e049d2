"""Synthetic 3D fluorescence-nuclei stacks with instance labels (the 3D analogue of synth.py).

Every stack is drawn from a seed, so the same seed always gives the same stack. Voxels are
anisotropic: the z step is Z_STEP (2) times the x/y pixel size, so a nucleus spans about half as
many slices as it spans pixels in x/y. Nuclei are irregular ellipsoids (x/y radii about 6-11 px)
of varied size, shape, tilt and brightness, some in touching clusters, with internal texture,
out-of-focus glow, an optical blur that is longer along z, dimming with depth, an uneven
background, Poisson (shot) noise and Gaussian (read) noise, stored as 16-bit counts with a camera
offset (returned as float32 holding whole numbers).
"""
import numpy as np

Z_STEP = 2.0  # voxel size in z relative to the x/y pixel size


def _lerp_axis(a, n, axis):
    """Linear interpolation of a along axis to n samples spanning the whole axis."""
    g = a.shape[axis]
    t = np.linspace(0, g - 1.001, n)
    i0 = t.astype(int)
    f = (t - i0).reshape([-1 if k == axis else 1 for k in range(a.ndim)])
    return (1 - f) * np.take(a, i0, axis=axis) + f * np.take(a, i0 + 1, axis=axis)


def _smooth_noise(rng, shape, scale):
    """Low-frequency noise in [0, 1]: coarse random grid (scale px in y/x, scale / Z_STEP slices
    in z, the same physical length), trilinearly upsampled."""
    zscale = max(1.0, scale / Z_STEP)
    grid = rng.random((max(2, int(shape[0] // zscale) + 2), max(2, shape[1] // scale + 2),
                       max(2, shape[2] // scale + 2)))
    for axis in range(3):
        grid = _lerp_axis(grid, shape[axis], axis)
    return grid


def _blur_axis(img, sigma, axis):
    if sigma <= 0:
        return img
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    pad = [(0, 0)] * img.ndim
    pad[axis] = (r, r)
    p = np.pad(img, pad, mode="reflect" if img.shape[axis] > r else "symmetric")
    n = img.shape[axis]
    out = np.zeros_like(img)
    for j, w in enumerate(k):
        out += w * np.take(p, np.arange(j, j + n), axis=axis)
    return out


def _gaussian_blur(img, sigmas):
    """Separable Gaussian blur with one sigma (in voxels) per axis z, y, x."""
    for axis, s in enumerate(sigmas):
        img = _blur_axis(img, s, axis)
    return img


def _rotation(theta, tilt):
    """Rotation about z (in the x/y plane) by theta after a tilt about x; acts on (x, y, z)."""
    c, s = np.cos(theta), np.sin(theta)
    rz = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    c, s = np.cos(tilt), np.sin(tilt)
    rx = np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    return rz @ rx


def _nucleus(rng, centre, radii, rot, corner, size):
    """Boolean mask (window of size (d, h, w) at corner (z0, y0, x0)) of an irregular ellipsoid
    centred at centre (cz, cy, cx) in voxels, radii (a, b, c) along its own axes in x/y pixel
    units (c the one nearest z), and its brightness profile."""
    z0, y0, x0 = corner
    d, h, w = size
    zz, yy, xx = np.mgrid[z0:z0 + d, y0:y0 + h, x0:x0 + w].astype(np.float64)
    dz, dy, dx = (zz - centre[0]) * Z_STEP, yy - centre[1], xx - centre[2]
    # coordinates along the nucleus' own axes: R^T (dx, dy, dz)
    u = rot[0, 0] * dx + rot[1, 0] * dy + rot[2, 0] * dz
    v = rot[0, 1] * dx + rot[1, 1] * dy + rot[2, 1] * dz
    t = rot[0, 2] * dx + rot[1, 2] * dy + rot[2, 2] * dz
    a, b, c = radii
    phi = np.arctan2(v / b, u / a)
    psi = np.arctan2(t / c, np.hypot(u / a, v / b))
    wobble = 1 + sum(rng.normal(0, 0.04) * np.cos(k * phi + rng.uniform(0, 2 * np.pi)) for k in (2, 3, 5))
    wobble = wobble + rng.normal(0, 0.05) * np.sin(psi) + rng.normal(0, 0.03) * np.cos(2 * psi) * np.cos(phi)
    r2 = (u / a) ** 2 + (v / b) ** 2 + (t / c) ** 2
    inside = r2 <= wobble ** 2
    profile = 1 - 0.25 * np.clip(r2, 0, 1)  # brighter in the middle
    return inside, profile


def generate(seed, shape=(32, 128, 128), fill=None):
    """Returns (image float32 ZxYxX of 16-bit counts, instance labels int32 ZxYxX)."""
    rng = np.random.default_rng(seed)
    D, H, W = shape
    labels = np.zeros(shape, np.int32)
    signal = np.zeros(shape)
    texture = 1 + 0.35 * (_smooth_noise(rng, shape, int(rng.integers(3, 7))) - 0.5)
    mean_volume = 4 / 3 * np.pi * 8.5 * 7.4 * 6.4 / Z_STEP  # voxels of an average nucleus
    n_target = max(1, int((fill or rng.uniform(0.08, 0.3)) * D * H * W / mean_volume))
    centres = []
    label = 0
    tries = 0
    while label < n_target and tries < n_target * 20:
        tries += 1
        a = rng.uniform(6, 11)
        b = a * rng.uniform(0.75, 1.0)
        c = (a + b) / 2 * rng.uniform(0.7, 1.0)  # physical radius along (about) z
        r_mean = (a + b + c) / 3
        if centres and rng.random() < 0.35:  # touching cluster: next to an existing nucleus
            pz, py, px, pr = centres[rng.integers(len(centres))]
            direction = rng.normal(size=3)
            direction[0] *= 0.6  # neighbours sit more often beside than above each other
            direction /= np.linalg.norm(direction)
            dist = (pr + r_mean) * rng.uniform(0.8, 1.0)
            cz = pz + dist * direction[0] / Z_STEP
            cy, cx = py + dist * direction[1], px + dist * direction[2]
        else:
            cz = rng.uniform(-2, D + 2)
            cy, cx = rng.uniform(-5, H + 5), rng.uniform(-5, W + 5)
        r = int(np.ceil(a * 1.3)) + 1
        rz = int(np.ceil(a * 1.3 / Z_STEP)) + 1
        z0, y0, x0 = max(0, int(cz) - rz), max(0, int(cy) - r), max(0, int(cx) - r)
        z1, y1, x1 = min(D, int(cz) + rz + 1), min(H, int(cy) + r + 1), min(W, int(cx) + r + 1)
        if z1 <= z0 or y1 <= y0 or x1 <= x0:
            continue
        rot = _rotation(rng.uniform(0, np.pi), rng.normal(0, 0.25))
        m, profile = _nucleus(rng, (cz, cy, cx), (a, b, c), rot, (z0, y0, x0),
                              (z1 - z0, y1 - y0, x1 - x0))
        volume = m.sum()
        if volume < 60:
            continue
        window = labels[z0:z1, y0:y1, x0:x1]
        if (window[m] > 0).sum() > 0.1 * volume:  # allow slight overlap only
            continue
        label += 1
        m &= window == 0
        window[m] = label
        centres.append((cz, cy, cx, r_mean))
        bright = np.exp(rng.uniform(np.log(0.15), np.log(1.6)))
        signal[z0:z1, y0:y1, x0:x1][m] = bright * texture[z0:z1, y0:y1, x0:x1][m] * profile[m]
    # out-of-focus light: a dim, wide glow around nuclei that is not part of them, reaching twice
    # as far along z (in physical units) as in x/y, i.e. as many slices as pixels
    g = rng.uniform(3, 8)
    signal = signal + rng.uniform(0.0, 0.35) * _gaussian_blur(signal, (g * 2 / Z_STEP, g, g))
    # optical blur: the point spread function is 2.5-4 times longer along z than across
    s = rng.uniform(0.4, 1.5)
    signal = _gaussian_blur(signal, (s * rng.uniform(2.5, 4.0) / Z_STEP, s, s))
    signal *= np.exp(-rng.uniform(0, 0.5) * np.arange(D) / D)[:, None, None]  # dimmer deeper down
    background = rng.uniform(0.0, 0.12) + rng.uniform(0, 0.2) * _smooth_noise(rng, shape, int(rng.integers(48, 160)))
    clean = signal + background
    peak = np.exp(rng.uniform(np.log(15), np.log(400)))  # photons at intensity 1
    noisy = rng.poisson(clean * peak) / peak + rng.normal(0, rng.uniform(0.003, 0.04), shape)
    gain = rng.uniform(80, 800)
    offset = rng.uniform(0, 200)
    img = np.round(np.clip(noisy * gain + offset, 0, 65535)).astype(np.float32)
    return img, labels


def classes(labels):
    """Three classes per voxel: 0 background, 1 nucleus interior, 2 nucleus boundary.

    A voxel is boundary when one of its 6 face neighbours (z, y, x) carries another label
    (background included); the stack's border is not a boundary.
    """
    p = np.pad(labels, 1, mode="edge")
    d, h, w = labels.shape
    edge = np.zeros(labels.shape, bool)
    for dz, dy, dx in ((-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1)):
        edge |= p[1 + dz:1 + dz + d, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w] != labels
    out = np.where(labels > 0, 1, 0).astype(np.int64)
    out[(labels > 0) & edge] = 2
    return out


def normalize(img, lo=1.0, hi=99.8, eps=1e-6):
    """The package's scale_range preprocessing: percentiles lo..hi over z, y, x to 0..1, per stack."""
    x = img.astype(np.float32)
    a, b = np.percentile(x, [lo, hi])
    return ((x - a) / (b - a + eps)).astype(np.float32)
