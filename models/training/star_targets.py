"""Training targets of the star-convex net, computed from instance label images.

Object probability: inside each object, the Euclidean distance to the nearest pixel outside it
(background, another object or beyond the image border), divided by the object's largest such
distance, so 1 at the object's centre, small at its edge and 0 in the background.

Ray distances: from each object pixel, along rays at angles 2*pi*k/n from the +x axis towards
+y, the distance in pixels to the object's boundary. A ray is followed in unit steps; at the
first step whose nearest pixel is not the object, the distance is the previous step plus half a
pixel measured along the ray (0.5 / max(|cos|, |sin|)), i.e. the point where the ray leaves the
last object pixel. Background pixels get distance 0.
"""
import numpy as np


def object_probability(labels):
    h, w = labels.shape
    out = np.zeros((h, w), np.float32)
    padded = np.pad(labels, 1, constant_values=0)
    for lab in np.unique(labels):
        if lab == 0:
            continue
        ys, xs = np.nonzero(labels == lab)
        y0, y1, x0, x1 = ys.min(), ys.max() + 3, xs.min(), xs.max() + 3  # padded coordinates
        win = padded[y0:y1, x0:x1]
        oy, ox = np.nonzero(win != lab)
        # padded row r is image row r - 1; the window starts at padded row y0
        oy, ox = oy + y0 - 1, ox + x0 - 1
        d2 = (ys[:, None] - oy[None, :]) ** 2 + (xs[:, None] - ox[None, :]) ** 2
        d = np.sqrt(d2.min(axis=1))
        out[ys, xs] = d / d.max()
    return out


def ray_distances(labels, n_rays=32):
    h, w = labels.shape
    out = np.zeros((n_rays, h, w), np.float32)
    ys, xs = np.nonzero(labels > 0)
    own = labels[ys, xs]
    for k in range(n_rays):
        a = 2 * np.pi * k / n_rays
        dy, dx = np.sin(a), np.cos(a)
        corr = 0.5 / max(abs(dy), abs(dx))
        dist = np.zeros(len(ys), np.float32)
        todo = np.arange(len(ys))
        t = 0
        while len(todo):
            t += 1
            yy = np.rint(ys[todo] + t * dy).astype(int)
            xx = np.rint(xs[todo] + t * dx).astype(int)
            inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            same = np.zeros(len(todo), bool)
            same[inside] = labels[yy[inside], xx[inside]] == own[todo[inside]]
            left = todo[~same]
            dist[left] = t - 1 + corr
            todo = todo[same]
        out[k, ys, xs] = dist
    return out
