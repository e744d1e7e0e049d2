"""Synthetic fluorescence-nuclei images with instance labels.

Every image is drawn from a seed, so the same seed always gives the same image:
nuclei are irregular ellipses of varied size, shape and brightness, some in
touching clusters, with internal texture, out-of-focus glow, optical blur, an uneven background,
Poisson (shot) noise and Gaussian (read) noise, stored as 16-bit counts with a
camera offset. Optionally some nuclei are condensed, as mitotic and apoptotic nuclei are in
fluorescence DNA stains: smaller, several times brighter than their neighbours, with coarse-grained
chromatin.
"""
import numpy as np


def _smooth_noise(rng, shape, scale):
    """Low-frequency noise in [0, 1]: coarse random grid, bilinearly upsampled."""
    gh, gw = max(2, shape[0] // scale + 2), max(2, shape[1] // scale + 2)
    grid = rng.random((gh, gw))
    ys = np.linspace(0, gh - 1.001, shape[0])
    xs = np.linspace(0, gw - 1.001, shape[1])
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    g = grid
    return ((1 - fy) * (1 - fx) * g[y0][:, x0] + (1 - fy) * fx * g[y0][:, x0 + 1]
            + fy * (1 - fx) * g[y0 + 1][:, x0] + fy * fx * g[y0 + 1][:, x0 + 1])


def _gaussian_blur(img, sigma):
    if sigma <= 0:
        return img
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    p = np.pad(img, r, mode="reflect")
    p = np.apply_along_axis(lambda v: np.convolve(v, k, mode="valid"), 0, p)
    return np.apply_along_axis(lambda v: np.convolve(v, k, mode="valid"), 1, p)


def _nucleus(rng, cy, cx, a, b, theta, y0, x0, h, w):
    """Boolean mask (h x w window at y0, x0) of an irregular ellipse centred at (cy, cx)."""
    yy, xx = np.mgrid[y0:y0 + h, x0:x0 + w].astype(np.float64)
    dy, dx = yy - cy, xx - cx
    c, s = np.cos(theta), np.sin(theta)
    u, v = c * dx + s * dy, -s * dx + c * dy
    phi = np.arctan2(v, u)
    wobble = 1 + sum(rng.normal(0, 0.04) * np.cos(k * phi + rng.uniform(0, 2 * np.pi)) for k in (2, 3, 5))
    inside = (u / a) ** 2 + (v / b) ** 2 <= wobble ** 2
    profile = 1 - 0.25 * np.clip((dy * dy + dx * dx) / (a * a), 0, 1)  # brighter in the middle
    return inside, profile


def generate(seed, size=256, density=None, condensed=0.0):
    """Returns (image uint16 HxW, instance labels uint16 HxW).

    condensed: the mean fraction of nuclei drawn condensed (each image draws its own fraction
    between 0 and twice this). Their size, brightness and grain come from a second random stream,
    so condensed=0 gives exactly the images of the generator before it had them.
    """
    rng = np.random.default_rng(seed)
    crng = np.random.default_rng([seed, 2])
    rate = crng.uniform(0, 2 * condensed) if condensed > 0 else 0.0
    grain = 1 + 0.8 * (_smooth_noise(crng, (size, size), 2) - 0.5) if rate > 0 else None
    h = w = size
    labels = np.zeros((h, w), np.uint16)
    signal = np.zeros((h, w))
    texture = 1 + 0.3 * (_smooth_noise(rng, (h, w), int(rng.integers(3, 7))) - 0.5)
    n_target = int((density or rng.uniform(0.0003, 0.0012)) * h * w)
    centres = []
    label = 0
    tries = 0
    while label < n_target and tries < n_target * 20:
        tries += 1
        a = rng.uniform(5, 17)
        b = a * rng.uniform(0.5, 1.0)
        dense = rate > 0 and crng.random() < rate
        if dense:
            shrink = crng.uniform(0.45, 0.8)
            a, b = max(4.0, a * shrink), max(3.0, b * shrink)
        if centres and rng.random() < 0.35:  # touching cluster: next to an existing nucleus
            py, px, pr = centres[rng.integers(len(centres))]
            ang = rng.uniform(0, 2 * np.pi)
            d = (pr + (a + b) / 2) * rng.uniform(0.8, 1.0)
            cy, cx = py + d * np.sin(ang), px + d * np.cos(ang)
        else:
            cy, cx = rng.uniform(-5, h + 5), rng.uniform(-5, w + 5)
        r = int(np.ceil(a * 1.3)) + 1
        y0, x0 = max(0, int(cy) - r), max(0, int(cx) - r)
        y1, x1 = min(h, int(cy) + r + 1), min(w, int(cx) + r + 1)
        if y1 <= y0 or x1 <= x0:
            continue
        m, profile = _nucleus(rng, cy, cx, a, b, rng.uniform(0, np.pi), y0, x0, y1 - y0, x1 - x0)
        area = m.sum()
        if area < 20:
            continue
        window = labels[y0:y1, x0:x1]
        if (window[m] > 0).sum() > 0.12 * area:  # allow slight overlap only
            continue
        label += 1
        m &= window == 0
        window[m] = label
        centres.append((cy, cx, (a + b) / 2))
        bright = np.exp(rng.uniform(np.log(0.15), np.log(1.6)))
        look = texture[y0:y1, x0:x1][m]
        if dense:
            bright *= crng.uniform(2.5, 6.0)
            look = look * grain[y0:y1, x0:x1][m]
        signal[y0:y1, x0:x1][m] = bright * look * profile[m]
    # out-of-focus light: a dim, wide glow around nuclei that is not part of them
    signal = signal + rng.uniform(0.0, 0.35) * _gaussian_blur(signal, rng.uniform(3, 8))
    signal = _gaussian_blur(signal, rng.uniform(0.4, 1.8))
    background = rng.uniform(0.0, 0.12) + rng.uniform(0, 0.2) * _smooth_noise(rng, (h, w), int(rng.integers(48, 160)))
    clean = signal + background
    peak = np.exp(rng.uniform(np.log(15), np.log(400)))  # photons at intensity 1
    noisy = rng.poisson(clean * peak) / peak + rng.normal(0, rng.uniform(0.003, 0.04), (h, w))
    gain = rng.uniform(80, 800)
    offset = rng.uniform(0, 200)
    img = np.clip(noisy * gain + offset, 0, 65535).astype(np.uint16)
    return img, labels


def classes(labels):
    """Three classes per pixel: 0 background, 1 nucleus interior, 2 nucleus boundary.

    A pixel is boundary when one of its 8 neighbours carries another label
    (background included); the image border is not a boundary.
    """
    p = np.pad(labels, 1, mode="edge")
    h, w = labels.shape
    edge = np.zeros(labels.shape, bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            edge |= p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] != labels
    out = np.where(labels > 0, 1, 0).astype(np.int64)
    out[(labels > 0) & edge] = 2
    return out


def normalize(img, lo=1.0, hi=99.8, eps=1e-6):
    """The package's scale_range preprocessing: percentiles lo..hi to 0..1, per image."""
    x = img.astype(np.float32)
    a, b = np.percentile(x, [lo, hi])
    return ((x - a) / (b - a + eps)).astype(np.float32)
